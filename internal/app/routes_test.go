package app_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tessera-crm/tessera/internal/testutil/testserver"
)

// publicRoutes are the only API routes that answer without credentials.
var publicRoutes = map[string]bool{
	"POST /api/v1/auth/login":            true,
	"POST /api/v1/platform/auth/login":   true,
	"GET /api/v1/auth/sso":               true,
	"GET /api/v1/auth/sso/:tenant/start": true,
	"GET /api/v1/auth/sso/callback":      true,
	"GET /healthz":                       true,
	"GET /readyz":                        true,
}

// Every route the router knows, except the few public ones, refuses a
// request without credentials, with a bad bearer token, and with a forged
// session cookie. The list comes from the router itself, so a route added
// later without authentication fails this test.
func TestRoutes_NoneWithoutAuthentication(t *testing.T) {
	s := testserver.New(t, "sqlite", testserver.Options{})
	s.NewTenant(t, "acme", "sales")
	routes := s.App.Router.Routes()
	if len(routes) < 40 {
		t.Fatalf("the router lists only %d routes", len(routes))
	}
	filled := strings.NewReplacer(":object", "account", ":id", "01a21074-5c17-7760-a04e-6efd273cb733", ":field", "name",
		":name", "x", ":share", "01a21074-5c17-7760-a04e-6efd273cb733", ":tenant", "acme", ":layout", "x")
	checked := 0
	for _, r := range routes {
		key := r.Method + " " + r.Path
		if publicRoutes[key] {
			continue
		}
		path := filled.Replace(r.Path)
		for name, auth := range map[string]func(*http.Request){
			"none":          func(*http.Request) {},
			"bad bearer":    func(req *http.Request) { req.Header.Set("Authorization", "Bearer tss_not-a-token") },
			"bad api key":   func(req *http.Request) { req.Header.Set("Authorization", "Bearer tsk_abc_def") },
			"forged cookie": func(req *http.Request) { req.AddCookie(&http.Cookie{Name: "tessera_session", Value: "tss_forged"}) },
		} {
			req := httptest.NewRequest(r.Method, path, strings.NewReader("{}"))
			req.Header.Set("Content-Type", "application/json")
			auth(req)
			rec := httptest.NewRecorder()
			s.App.Router.ServeHTTP(rec, req)
			if rec.Code != http.StatusUnauthorized {
				t.Errorf("%s with %s: status %d, want 401", key, name, rec.Code)
			}
		}
		checked++
	}
	t.Logf("%d routes checked", checked)
}
