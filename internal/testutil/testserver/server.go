// Package testserver runs the whole Tessera server over real HTTP on a
// fresh database, for API tests.
package testserver

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tessera-crm/tessera/internal/app"
	"github.com/tessera-crm/tessera/internal/testutil"
)

// OperatorEmail and Password are the credentials every test server knows.
const (
	OperatorEmail = "ops@tessera.test"
	Password      = "correct-horse-9"
)

// Server is a running Tessera.
type Server struct {
	URL      string
	App      *app.App
	Operator string // operator session token
	http     *httptest.Server
}

// Options tune a test server.
type Options struct {
	DatabaseURL string // reuse a database (two instances on one database)
	RedisURL    string
	BodyLimit   int64
	// TrustedProxies and PublicURL are as in app.Config.
	TrustedProxies []string
	PublicURL      string
	// Jobs starts the job queue's workers, for tests of what runs on it.
	Jobs bool
	// AllowPrivateWebhooks lets webhooks reach test receivers on loopback.
	AllowPrivateWebhooks bool
}

// New starts a server on a fresh database of the dialect.
func New(t testing.TB, dialect string, opts Options) *Server {
	t.Helper()
	if opts.DatabaseURL == "" {
		opts.DatabaseURL = testutil.NewDatabaseURL(t, dialect)
	}
	level := slog.LevelWarn
	if os.Getenv("TESSERA_TEST_LOG") != "" {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	a, err := app.New(context.Background(), app.Config{DatabaseURL: opts.DatabaseURL, RedisURL: opts.RedisURL, BodyLimit: opts.BodyLimit, MaxOpenConns: 10,
		TrustedProxies: opts.TrustedProxies, PublicURL: opts.PublicURL, AllowPrivateWebhooks: opts.AllowPrivateWebhooks, MasterKeyFile: filepath.Join(t.TempDir(), "master.key")}, log)
	if err != nil {
		t.Fatalf("start server: %v", err)
	}
	hs := httptest.NewServer(a.Router)
	s := &Server{URL: hs.URL, App: a, http: hs}
	if opts.Jobs {
		if err := a.Jobs.Start(context.Background()); err != nil {
			t.Fatalf("start jobs: %v", err)
		}
	}
	t.Cleanup(func() {
		hs.Close()
		if opts.Jobs {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			_ = a.Jobs.Stop(ctx)
			cancel()
		}
		a.Close()
	})
	if n, err := a.Identity.CountOperators(context.Background()); err == nil && n == 0 {
		if _, err := a.Identity.CreateOperator(context.Background(), OperatorEmail, "Ops", Password); err != nil {
			t.Fatalf("create operator: %v", err)
		}
	}
	r := s.Do(t, "POST", "/api/v1/platform/auth/login", "", map[string]any{"email": OperatorEmail, "password": Password})
	r.Expect(t, 200)
	s.Operator = r.JSON(t)["token"].(string)
	return s
}

// NewTenant provisions a tenant through the platform API and returns its
// admin's session token.
func (s *Server) NewTenant(t testing.TB, key, template string) string {
	t.Helper()
	r := s.Do(t, "POST", "/api/v1/platform/tenants", s.Operator, map[string]any{
		"key": key, "name": strings.ToUpper(key), "locale": "en", "template": template,
		"admin_email": "admin@" + key + ".test", "admin_password": Password,
	})
	r.Expect(t, 201)
	return s.Login(t, key, "admin@"+key+".test", Password)
}

// Login returns a bearer session token (login in token mode).
func (s *Server) Login(t testing.TB, tenant, email, password string) string {
	t.Helper()
	r := s.Do(t, "POST", "/api/v1/auth/login", "", map[string]any{"tenant": tenant, "email": email, "password": password, "mode": "token"})
	r.Expect(t, 200)
	return r.JSON(t)["token"].(string)
}

// Browser is a client that behaves like the web app: it keeps cookies and
// sends the CSRF token from the login answer on writes.
type Browser struct {
	s      *Server
	Client *http.Client
	// CSRF is the token the login answered; Do sends it on writes.
	CSRF string
}

// NewBrowser returns a browser without a session.
func (s *Server) NewBrowser(t testing.TB) *Browser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatalf("cookie jar: %v", err)
	}
	// Redirects are the test's to follow: single sign-on tests look at them.
	return &Browser{s: s, Client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// LoginBrowser logs in in cookie mode and returns the browser holding the
// session cookie.
func (s *Server) LoginBrowser(t testing.TB, tenant, email, password string) *Browser {
	t.Helper()
	b := s.NewBrowser(t)
	r := b.Do(t, "POST", "/api/v1/auth/login", map[string]any{"tenant": tenant, "email": email, "password": password})
	r.Expect(t, 200)
	b.CSRF, _ = r.JSON(t)["csrf_token"].(string)
	return b
}

// Do sends a request with the browser's cookies. On POST, PUT, PATCH and
// DELETE it adds X-CSRF-Token unless headers set it (to "" to send none).
func (b *Browser) Do(t testing.TB, method, path string, body any, headers ...string) *Response {
	t.Helper()
	if method != "GET" && method != "HEAD" && b.CSRF != "" {
		set := false
		for i := 0; i+1 < len(headers); i += 2 {
			set = set || http.CanonicalHeaderKey(headers[i]) == "X-Csrf-Token"
		}
		if !set {
			headers = append(headers, "X-CSRF-Token", b.CSRF)
		}
	}
	return b.s.send(t, b.Client, method, path, "", body, headers...)
}

// Cookie returns the browser's cookie of that name for the server, or nil.
func (b *Browser) Cookie(name string) *http.Cookie {
	u, _ := url.Parse(b.s.URL)
	for _, c := range b.Client.Jar.Cookies(u) {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Response is a finished HTTP exchange.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
	req    string
}

// Do sends a request; body is JSON-encoded unless it is a string or []byte.
func (s *Server) Do(t testing.TB, method, path, token string, body any, headers ...string) *Response {
	t.Helper()
	return s.send(t, http.DefaultClient, method, path, token, body, headers...)
}

func (s *Server) send(t testing.TB, client *http.Client, method, path, token string, body any, headers ...string) *Response {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		enc, err := json.Marshal(b)
		if err != nil {
			t.Fatalf("encode body: %v", err)
		}
		rd = bytes.NewReader(enc)
	}
	req, err := http.NewRequest(method, s.URL+path, rd)
	if err != nil {
		t.Fatalf("new request: %v", err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: out, req: method + " " + path}
}

// Expect fails the test unless the status matches.
func (r *Response) Expect(t testing.TB, status int) *Response {
	t.Helper()
	if r.Status != status {
		t.Fatalf("%s: status %d, want %d; body: %s", r.req, r.Status, status, r.Body)
	}
	return r
}

// JSON decodes the body as an object.
func (r *Response) JSON(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(r.Body))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("%s: decode %q: %v", r.req, r.Body, err)
	}
	return m
}

// Problem decodes an error body and returns its first field error's field
// and code (or the top-level code when there is none).
func (r *Response) Problem(t testing.TB) (field, code string) {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Fatalf("%s: content type %q, want problem+json; body %s", r.req, ct, r.Body)
	}
	m := r.JSON(t)
	if errs, ok := m["errors"].([]any); ok && len(errs) > 0 {
		e := errs[0].(map[string]any)
		return e["field"].(string), e["code"].(string)
	}
	c, _ := m["code"].(string)
	return "", c
}
