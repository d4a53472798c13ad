// Command load is an HTTP load generator for the records API (and for the
// baseline server, which answers the same routes):
//
//	load -url http://127.0.0.1:8080 -token TOKEN -scenario get|list|create [-c 32] [-d 10s] [-n 1000000]
//
// get reads opportunities by id, cycling over ids it lists first (or reads
// from -ids-file); list runs one filtered, sorted page; create posts valid
// opportunities on accounts it lists first. Every client sends requests
// back to back. The run stops after -d or -n requests, whichever comes
// first, waits for the requests in flight (each bounded by -timeout), and
// prints throughput, latency percentiles, transport errors and non-2xx
// answers, then one tab-separated RESULT line for scripts.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

type config struct {
	baseURL, token    string
	idsURL, idsToken  string
	idsFile           string
	scenario, label   string
	object            string
	filter, sort      string
	limit, ids        int
	concurrency       int
	duration, timeout time.Duration
	maxRequests       int64
}

func main() {
	var cfg config
	flag.StringVar(&cfg.baseURL, "url", "http://127.0.0.1:8080", "server base URL")
	flag.StringVar(&cfg.token, "token", "", "bearer token")
	flag.StringVar(&cfg.scenario, "scenario", "get", "get, list or create")
	flag.IntVar(&cfg.concurrency, "c", 32, "concurrent clients")
	flag.DurationVar(&cfg.duration, "d", 10*time.Second, "how long to send requests")
	flag.Int64Var(&cfg.maxRequests, "n", 1_000_000, "most requests to send")
	flag.DurationVar(&cfg.timeout, "timeout", 10*time.Second, "per-request timeout")
	flag.StringVar(&cfg.object, "object", "opportunity", "object api name")
	flag.StringVar(&cfg.filter, "filter", `stage == "proposal" && amount > 100000`, "list filter")
	flag.StringVar(&cfg.sort, "sort", "-amount", "list sort")
	flag.IntVar(&cfg.limit, "limit", 50, "list page size")
	flag.IntVar(&cfg.ids, "ids", 2000, "how many record ids get cycles over")
	flag.StringVar(&cfg.idsURL, "ids-url", "", "server to list ids and accounts from (default -url)")
	flag.StringVar(&cfg.idsToken, "ids-token", "", "token for -ids-url (default -token)")
	flag.StringVar(&cfg.idsFile, "ids-file", "", "read get's ids from this file, or write the listed ones to it when it does not exist")
	flag.StringVar(&cfg.label, "label", "", "label for the RESULT line (default: the URL)")
	flag.Parse()
	if cfg.idsURL == "" {
		cfg.idsURL = cfg.baseURL
	}
	if cfg.idsToken == "" {
		cfg.idsToken = cfg.token
	}
	if cfg.label == "" {
		cfg.label = cfg.baseURL
	}
	if err := run(cfg); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

// request builds the i-th request of one client.
type request func(r *rand.Rand) (*http.Request, error)

func run(cfg config) error {
	if cfg.concurrency < 1 || cfg.duration <= 0 || cfg.maxRequests < 1 {
		return errors.New("-c, -d and -n must be positive")
	}
	client := &http.Client{
		Timeout: cfg.timeout,
		Transport: &http.Transport{
			DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			MaxIdleConns:        cfg.concurrency * 2,
			MaxIdleConnsPerHost: cfg.concurrency * 2,
			IdleConnTimeout:     90 * time.Second,
			DisableCompression:  true,
		},
	}
	var next request
	var err error
	switch cfg.scenario {
	case "get":
		next, err = getScenario(client, cfg)
	case "list":
		next, err = listScenario(cfg)
	case "create":
		next, err = createScenario(client, cfg)
	default:
		return fmt.Errorf("unknown scenario %q: use get, list or create", cfg.scenario)
	}
	if err != nil {
		return err
	}
	res := hammer(client, cfg, next)
	res.print(cfg)
	return nil
}

// result is what the clients measured.
type result struct {
	latencies []time.Duration
	errors    int64
	non2xx    int64
	elapsed   time.Duration
	firstBad  string
}

func hammer(client *http.Client, cfg config, next request) *result {
	deadline := time.Now().Add(cfg.duration)
	var sent atomic.Int64
	var mu sync.Mutex
	res := &result{}
	var wg sync.WaitGroup
	start := time.Now()
	for w := range cfg.concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(w), uint64(start.UnixNano())))
			lat := make([]time.Duration, 0, 4096)
			var errs, bad int64
			var firstBad string
			for time.Now().Before(deadline) && sent.Add(1) <= cfg.maxRequests {
				req, err := next(r)
				if err != nil {
					errs++
					continue
				}
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					errs++
					if firstBad == "" {
						firstBad = err.Error()
					}
					continue
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				d := time.Since(t0)
				if err != nil {
					errs++
					continue
				}
				lat = append(lat, d)
				if resp.StatusCode < 200 || resp.StatusCode > 299 {
					bad++
					if firstBad == "" {
						firstBad = fmt.Sprintf("%d %s", resp.StatusCode, truncate(string(body), 300))
					}
				}
			}
			mu.Lock()
			res.latencies = append(res.latencies, lat...)
			res.errors += errs
			res.non2xx += bad
			if res.firstBad == "" {
				res.firstBad = firstBad
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	return res
}

func (res *result) print(cfg config) {
	slices.Sort(res.latencies)
	n := len(res.latencies)
	pct := func(p float64) time.Duration {
		if n == 0 {
			return 0
		}
		return res.latencies[min(n-1, int(float64(n)*p))]
	}
	rps := float64(n) / res.elapsed.Seconds()
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	fmt.Printf("%s %s: %d clients for %s\n", cfg.label, cfg.scenario, cfg.concurrency, res.elapsed.Round(time.Millisecond))
	fmt.Printf("  responses %d  transport errors %d  non-2xx %d\n", n, res.errors, res.non2xx)
	fmt.Printf("  req/s %.0f\n", rps)
	fmt.Printf("  latency p50 %.2fms  p90 %.2fms  p99 %.2fms  max %.2fms\n", ms(pct(0.50)), ms(pct(0.90)), ms(pct(0.99)), ms(pct(1)))
	if res.firstBad != "" {
		fmt.Printf("  first failure: %s\n", res.firstBad)
	}
	fmt.Printf("RESULT\t%s\t%s\t%d\t%d\t%d\t%d\t%.0f\t%.2f\t%.2f\t%.2f\t%.2f\n", cfg.label, cfg.scenario, cfg.concurrency,
		n, res.errors, res.non2xx, rps, ms(pct(0.50)), ms(pct(0.90)), ms(pct(0.99)), ms(pct(1)))
}

func truncate(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}

func newRequest(method, base, path, token string, body []byte) (*http.Request, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, base+path, rd)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return req, nil
}

func getScenario(client *http.Client, cfg config) (request, error) {
	ids, err := loadIDs(client, cfg)
	if err != nil {
		return nil, err
	}
	var i atomic.Uint64
	return func(*rand.Rand) (*http.Request, error) {
		id := ids[int(i.Add(1)-1)%len(ids)]
		return newRequest("GET", cfg.baseURL, "/api/v1/records/"+cfg.object+"/"+id, cfg.token, nil)
	}, nil
}

func listScenario(cfg config) (request, error) {
	q := url.Values{"filter": {cfg.filter}, "sort": {cfg.sort}, "limit": {fmt.Sprint(cfg.limit)}}
	path := "/api/v1/records/" + cfg.object + "?" + q.Encode()
	return func(*rand.Rand) (*http.Request, error) {
		return newRequest("GET", cfg.baseURL, path, cfg.token, nil)
	}, nil
}

var stages = []string{"qualification", "needs_analysis", "proposal", "negotiation", "closed_won", "closed_lost"}

func createScenario(client *http.Client, cfg config) (request, error) {
	accounts, err := listIDs(client, cfg.idsURL, cfg.idsToken, "account", "name", 200)
	if err != nil {
		return nil, err
	}
	if len(accounts) == 0 {
		return nil, errors.New("no accounts to create opportunities on: seed first")
	}
	var n atomic.Int64
	return func(r *rand.Rand) (*http.Request, error) {
		cents := 100_000 + r.Int64N(99_900_000)
		body, err := json.Marshal(map[string]any{
			"name":       fmt.Sprintf("Load test opportunity %d", n.Add(1)),
			"account_id": accounts[r.IntN(len(accounts))],
			"amount":     fmt.Sprintf("%d.%02d", cents/100, cents%100),
			"currency":   "CNY",
			"close_date": fmt.Sprintf("%d-%02d-%02d", 2025+r.IntN(3), 1+r.IntN(12), 1+r.IntN(28)),
			"stage":      stages[r.IntN(len(stages))],
			"next_step":  "Call back",
		})
		if err != nil {
			return nil, err
		}
		return newRequest("POST", cfg.baseURL, "/api/v1/records/"+cfg.object, cfg.token, body)
	}, nil
}

// loadIDs returns the ids get cycles over: from -ids-file when it exists,
// else listed from the server (ordered by close date, so they spread over
// the whole table rather than the newest rows) and saved to -ids-file.
func loadIDs(client *http.Client, cfg config) ([]string, error) {
	if cfg.idsFile != "" {
		if b, err := os.ReadFile(cfg.idsFile); err == nil {
			ids := strings.Fields(string(b))
			if len(ids) == 0 {
				return nil, fmt.Errorf("%s holds no ids", cfg.idsFile)
			}
			return ids, nil
		} else if !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
	}
	ids, err := listIDs(client, cfg.idsURL, cfg.idsToken, cfg.object, "close_date", cfg.ids)
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("%s has no records: seed first", cfg.object)
	}
	rand.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	if cfg.idsFile != "" {
		f, err := os.Create(cfg.idsFile)
		if err != nil {
			return nil, err
		}
		w := bufio.NewWriter(f)
		for _, id := range ids {
			fmt.Fprintln(w, id)
		}
		if err := errors.Join(w.Flush(), f.Close()); err != nil {
			return nil, fmt.Errorf("write %s: %w", cfg.idsFile, err)
		}
	}
	return ids, nil
}

// listIDs pages through an object's records with the records API.
func listIDs(client *http.Client, base, token, object, sort string, want int) ([]string, error) {
	var ids []string
	cursor := ""
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for len(ids) < want {
		q := url.Values{"fields": {"id"}, "sort": {sort}, "limit": {fmt.Sprint(min(200, want-len(ids)))}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		req, err := newRequest("GET", base, "/api/v1/records/"+object+"?"+q.Encode(), token, nil)
		if err != nil {
			return nil, err
		}
		resp, err := client.Do(req.WithContext(ctx))
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", object, err)
		}
		var page struct {
			Data       []map[string]any `json:"data"`
			NextCursor *string          `json:"next_cursor"`
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", object, err)
		}
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("list %s: %d %s", object, resp.StatusCode, truncate(string(body), 300))
		}
		if err := json.Unmarshal(body, &page); err != nil {
			return nil, fmt.Errorf("list %s: %w", object, err)
		}
		for _, r := range page.Data {
			if id, ok := r["id"].(string); ok {
				ids = append(ids, id)
			}
		}
		if page.NextCursor == nil || len(page.Data) == 0 {
			break
		}
		cursor = *page.NextCursor
	}
	return ids, nil
}
