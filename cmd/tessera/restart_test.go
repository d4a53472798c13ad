package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	_ "github.com/glebarez/go-sqlite"
	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/tessera-crm/tessera/internal/sqldialect"
	"github.com/tessera-crm/tessera/internal/testutil"
	"github.com/tessera-crm/tessera/metadata"
)

// api is a small client of a running server.
type api struct {
	t     *testing.T
	base  string
	token string
}

func (a api) do(method, path string, body any) (int, map[string]any) {
	a.t.Helper()
	var buf bytes.Buffer
	if body != nil {
		_ = json.NewEncoder(&buf).Encode(body)
	}
	req, _ := http.NewRequest(method, a.base+path, &buf)
	req.Header.Set("Content-Type", "application/json")
	if a.token != "" {
		req.Header.Set("Authorization", "Bearer "+a.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func (a api) must(method, path string, body any, want int) map[string]any {
	a.t.Helper()
	status, out := a.do(method, path, body)
	if status != want {
		a.t.Fatalf("%s %s: %d, want %d: %v", method, path, status, want, out)
	}
	return out
}

// TestServer_WorkflowRunsSurviveAKill kills the server with SIGKILL while
// its queue is working through workflow runs, starts it again on the same
// database, and checks that every run happened exactly once: one execution
// log entry and one created record per triggering record.
func TestServer_WorkflowRunsSurviveAKill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	for _, dialect := range testutil.Dialects(t) {
		t.Run(dialect, func(t *testing.T) { killAndRestart(t, bin, dialect) })
	}
}

func killAndRestart(t *testing.T, bin, dialect string) {
	dir := t.TempDir()
	addr := freeAddr(t)
	dbURL := testutil.NewDatabaseURL(t, dialect)
	env := append(os.Environ(), "DATABASE_URL="+dbURL, "REDIS_URL=", "ADDR="+addr,
		"TESSERA_MASTER_KEY_FILE="+filepath.Join(dir, "master.key"),
		// One worker and quick rescue of the jobs the kill interrupts.
		"TESSERA_JOB_WORKERS=1", "TESSERA_JOB_TIMEOUT=3s", "TESSERA_JOB_RESCUE_AFTER=4s")
	run := func(args ...string) {
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("tessera %v: %v\n%s", args, err, out)
		}
	}
	run("migrate")
	run("tenant", "create", "--key", "acme", "--name", "Acme", "--template", "none", "--admin-email", "boss@acme.test", "--admin-password", "Acme-Tenant-Pass-1")
	serve := func() *exec.Cmd {
		cmd := exec.Command(bin, "serve")
		cmd.Env = env
		var logs bytes.Buffer
		cmd.Stdout, cmd.Stderr = &logs, &logs
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = cmd.Process.Kill(); _, _ = cmd.Process.Wait() })
		waitHealthy(t, "http://"+addr)
		return cmd
	}
	server := serve()
	c := api{t: t, base: "http://" + addr}
	login := c.must("POST", "/api/v1/auth/login", map[string]any{"tenant": "acme", "email": "boss@acme.test", "password": "Acme-Tenant-Pass-1", "mode": "token"}, 200)
	c.token = fmt.Sprint(login["token"])
	c.must("POST", "/api/v1/meta/objects", map[string]any{"api_name": "ticket", "label": "Ticket"}, 201)
	c.must("POST", "/api/v1/meta/objects", map[string]any{"api_name": "mark", "label": "Mark", "fields": []any{
		map[string]any{"api_name": "ticket_id", "type": "lookup", "target": "ticket", "label": "Ticket"}}}, 201)
	// Each run does a little work (a count over a range) and creates one mark.
	c.must("POST", "/api/v1/meta/objects/ticket/workflows", map[string]any{"api_name": "mark_it", "labels": map[string]any{"en": "Mark it"}, "active": true,
		"trigger": map[string]any{"type": "after_create"},
		"actions": []any{map[string]any{"type": "create_record", "object": "mark", "values": map[string]any{
			"name": `concat(name, "-", count(1..20000, # % 7 == 0))`, "ticket_id": "id"}}}}, 201)
	const tickets = 400
	for batch := 0; batch < tickets/200; batch++ {
		var ops []any
		for i := 0; i < 200; i++ {
			ops = append(ops, map[string]any{"op": "create", "values": map[string]any{"name": fmt.Sprintf("t%03d", batch*200+i)}})
		}
		c.must("POST", "/api/v1/records/ticket/bulk", map[string]any{"operations": ops}, 200)
	}
	runsDone := func() int {
		_, out := c.do("GET", "/api/v1/workflow-runs?limit=200&workflow=mark_it", nil)
		data, _ := out["data"].([]any)
		return len(data)
	}
	deadline := time.Now().Add(60 * time.Second)
	for runsDone() < 20 {
		if time.Now().After(deadline) {
			t.Fatal("the queue did not start working")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := server.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_, _ = server.Process.Wait()
	if done := countRunsOffline(t, dialect, dbURL); done >= tickets {
		t.Fatalf("the kill came too late: %d of %d runs were done", done, tickets)
	} else {
		t.Logf("killed with %d of %d runs done", done, tickets)
	}

	serve()
	var marks, logged int
	deadline = time.Now().Add(120 * time.Second)
	for {
		_, out := c.do("GET", "/api/v1/records/mark?count=true&limit=1", nil)
		marks = int(out["total"].(float64))
		logged = countRuns(t, c)
		if logged >= tickets || time.Now().After(deadline) {
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	if logged != tickets || marks != tickets {
		t.Fatalf("after the kill and restart: %d runs logged and %d marks for %d tickets; want each exactly once", logged, marks, tickets)
	}
	// Each ticket has exactly one mark.
	_, out := c.do("GET", "/api/v1/records/mark/aggregate?group_by=ticket_id", nil)
	groups, _ := out["data"].([]any)
	if len(groups) != tickets {
		t.Fatalf("marks spread over %d tickets, want %d", len(groups), tickets)
	}
	for _, g := range groups {
		if n := g.(map[string]any)["count"].(float64); n != 1 {
			t.Fatalf("a ticket has %v marks: %v", n, g)
		}
	}
}

// countRuns pages through the execution log.
func countRuns(t *testing.T, c api) int {
	t.Helper()
	n, before := 0, ""
	for {
		path := "/api/v1/workflow-runs?limit=200&workflow=mark_it"
		if before != "" {
			path += "&before=" + before
		}
		_, out := c.do("GET", path, nil)
		data, _ := out["data"].([]any)
		n += len(data)
		if len(data) < 200 {
			return n
		}
		before = fmt.Sprint(data[len(data)-1].(map[string]any)["started_at"])
	}
}

// countRunsOffline counts the execution log in the database file while no
// server runs.
func countRunsOffline(t *testing.T, dialect, url string) int {
	t.Helper()
	driver := map[string]string{"sqlite": "sqlite", "postgres": "pgx"}[dialect]
	db, err := sql.Open(driver, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	d, _ := sqldialect.For(sqldialect.Name(dialect))
	if err := db.QueryRow(`SELECT COUNT(*) FROM ` + d.Table("acme", metadata.TableWorkflowRuns)).Scan(&n); err != nil {
		t.Fatalf("count runs: %v", err)
	}
	return n
}
