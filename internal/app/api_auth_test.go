package app_test

import (
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"

	"github.com/tessera-crm/tessera/internal/testutil/testserver"
)

func TestAuth_LoginLogoutAndRoles(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		admin := s.NewTenant(t, "acme", "none")
		for _, bad := range []map[string]any{
			{"tenant": "acme", "email": "admin@acme.test", "password": "wrong-password-1"},
			{"tenant": "nope", "email": "admin@acme.test", "password": testserver.Password},
			{"tenant": "acme", "email": "who@acme.test", "password": testserver.Password},
		} {
			r := s.Do(t, "POST", "/api/v1/auth/login", "", bad).Expect(t, 401)
			if _, code := r.Problem(t); code != "unauthorized" {
				t.Fatalf("code %s", code)
			}
		}
		s.Do(t, "POST", "/api/v1/auth/login", "", map[string]any{"tenant": "acme"}).Expect(t, 400)
		me := s.Do(t, "GET", "/api/v1/auth/me", admin, nil).Expect(t, 200).JSON(t)
		if me["tenant"].(map[string]any)["key"] != "acme" || me["user"].(map[string]any)["role"] != "admin" {
			t.Fatalf("me: %v", me)
		}
		// A member may read metadata and records but not change metadata.
		_, err := s.App.Identity.CreateUser(t.Context(), str(me["tenant"].(map[string]any)["id"]), identityInput("rep@acme.test"))
		if err != nil {
			t.Fatal(err)
		}
		member := s.Login(t, "acme", "rep@acme.test", testserver.Password)
		s.Do(t, "GET", "/api/v1/meta/objects", member, nil).Expect(t, 200)
		s.Do(t, "POST", "/api/v1/meta/objects", member, map[string]any{"api_name": "x", "label": "X"}).Expect(t, 403)
		// Tenant users cannot use platform routes; operators cannot use tenant routes.
		s.Do(t, "POST", "/api/v1/platform/tenants", admin, map[string]any{}).Expect(t, 403)
		s.Do(t, "GET", "/api/v1/meta/objects", s.Operator, nil).Expect(t, 403)
		// Logout revokes the token at once.
		s.Do(t, "POST", "/api/v1/auth/logout", member, nil).Expect(t, 204)
		s.Do(t, "GET", "/api/v1/auth/me", member, nil).Expect(t, 401)
	})
}

func TestAuth_EveryAPIRouteButLoginNeedsAToken(t *testing.T) {
	s := testserver.New(t, "sqlite", testserver.Options{})
	open := map[string]bool{"POST /api/v1/auth/login": true, "POST /api/v1/platform/auth/login": true,
		// The single sign-on hand-off is public: the login page and the
		// provider's redirect reach it without a session.
		"GET /api/v1/auth/sso": true, "GET /api/v1/auth/sso/:tenant/start": true, "GET /api/v1/auth/sso/callback": true}
	checked := 0
	for _, r := range s.App.Router.Routes() {
		if !strings.HasPrefix(r.Path, "/api/") || open[r.Method+" "+r.Path] {
			continue
		}
		path := strings.NewReplacer(":object", "account", ":id", "0190a0b0-0000-7000-8000-000000000001", ":field", "name").Replace(r.Path)
		for _, tok := range []string{"", "tss_forged-token", "Bearer"} {
			resp := s.Do(t, r.Method, path, tok, "{}")
			if resp.Status != 401 {
				t.Errorf("%s %s with token %q: status %d, want 401", r.Method, r.Path, tok, resp.Status)
			}
		}
		checked++
	}
	if checked < 15 {
		t.Fatalf("only %d routes checked; did the router change?", checked)
	}
}

func TestPlatform_CreateTenantValidates(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		cases := []struct {
			body  map[string]any
			field string
		}{
			{map[string]any{"key": "Bad Key", "name": "x", "admin_email": "a@b.co", "admin_password": testserver.Password}, "key"},
			{map[string]any{"key": "ok", "admin_email": "a@b.co", "admin_password": testserver.Password}, "name"},
			{map[string]any{"key": "ok", "name": "x", "admin_email": "nope", "admin_password": testserver.Password}, "admin_email"},
			{map[string]any{"key": "ok", "name": "x", "admin_email": "a@b.co", "admin_password": "short"}, "admin_password"},
			{map[string]any{"key": "ok", "name": "x", "admin_email": "a@b.co", "admin_password": testserver.Password, "time_zone": "Mars/Base"}, "time_zone"},
			{map[string]any{"key": "ok", "name": "x", "admin_email": "a@b.co", "admin_password": testserver.Password, "currency": "yuan"}, "currency"},
		}
		for _, c := range cases {
			r := s.Do(t, "POST", "/api/v1/platform/tenants", s.Operator, c.body).Expect(t, 400)
			if field, _ := r.Problem(t); field != c.field {
				t.Errorf("%v: names %q, want %q", c.body, field, c.field)
			}
		}
		s.NewTenant(t, "dup", "none")
		s.Do(t, "POST", "/api/v1/platform/tenants", s.Operator, map[string]any{"key": "dup", "name": "x", "admin_email": "a@b.co", "admin_password": testserver.Password}).Expect(t, 409)
		list := s.Do(t, "GET", "/api/v1/platform/tenants", s.Operator, nil).Expect(t, 200).JSON(t)
		if n := len(list["data"].([]any)); n != 1 {
			t.Fatalf("tenants = %d, want 1 (refused creates must leave nothing)", n)
		}
	})
}

func TestBadInput_StructuredErrorsNeverA500(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		tok := projectTenant(t, s, "acme")
		rec := create(t, s, tok, "project", map[string]any{"name": "x"})
		id := str(rec["id"])
		cases := []struct {
			method, path string
			body         any
			status       int
		}{
			{"POST", "/api/v1/records/project", `{"name": "x",`, 400},
			{"POST", "/api/v1/records/project", `[1,2]`, 400},
			{"POST", "/api/v1/records/project", ``, 400},
			{"POST", "/api/v1/records/project", `{"name":"x"} {"name":"y"}`, 400},
			{"POST", "/api/v1/records/ghost", map[string]any{"name": "x"}, 404},
			{"GET", "/api/v1/records/project/not-a-uuid", nil, 404},
			{"GET", "/api/v1/records/project/0190a0b0-0000-7000-8000-000000000001", nil, 404},
			{"PATCH", "/api/v1/records/project/" + id, map[string]any{"name": "y"}, 200},
			{"PATCH", "/api/v1/records/project/" + id, `"str"`, 400},
			{"PATCH", "/api/v1/records/project/not-a-uuid", map[string]any{"name": "y"}, 404},
			{"DELETE", "/api/v1/records/project/not-a-uuid", nil, 404},
			{"POST", "/api/v1/records/project/bulk", `{"operations": "all"}`, 400},
			{"POST", "/api/v1/records/project/bulk", `{"operations": [{"op": "explode"}]}`, 400},
			{"POST", "/api/v1/meta/objects", `{"api_name": 5}`, 400},
			{"PATCH", "/api/v1/meta/objects/project/fields/name", `{"api_name": "renamed"}`, 400},
			{"PUT", "/api/v1/records/project", nil, 405},
			{"GET", "/api/v1/nothing", nil, 404},
		}
		for _, c := range cases {
			r := s.Do(t, c.method, c.path, tok, c.body)
			if r.Status != c.status {
				t.Errorf("%s %s %v: status %d, want %d: %s", c.method, c.path, c.body, r.Status, c.status, r.Body)
				continue
			}
			if c.status >= 400 {
				r.Problem(t)
			}
		}
		big := `{"name":"` + strings.Repeat("x", 2<<20) + `"}`
		s.Do(t, "POST", "/api/v1/records/project", tok, big).Expect(t, 413)

		// Random garbage in every input position never reaches a 500.
		rng := rand.New(rand.NewPCG(1, 2))
		junk := []string{`'`, `"`, `\`, `%`, `;DROP TABLE x;--`, `\u0000`, `{`, `[`, `1e999`, `-0`, `null`, `true`, `日本`, `${x}`, `) OR 1=1 --`, `amount >`, `a.b.c.d`, `len(x)`}
		for i := 0; i < 300; i++ {
			j := junk[rng.IntN(len(junk))] + junk[rng.IntN(len(junk))]
			paths := []string{
				"/api/v1/records/project?filter=" + url.QueryEscape(j),
				"/api/v1/records/project?sort=" + url.QueryEscape(j),
				"/api/v1/records/project?fields=" + url.QueryEscape(j),
				"/api/v1/records/project?cursor=" + url.QueryEscape(j),
				"/api/v1/records/project?limit=" + url.QueryEscape(j),
				"/api/v1/records/" + url.PathEscape(j),
				"/api/v1/records/project/" + url.PathEscape(j),
			}
			p := paths[rng.IntN(len(paths))]
			if r := s.Do(t, "GET", p, tok, nil); r.Status >= 500 {
				t.Fatalf("GET %s: %d %s", p, r.Status, r.Body)
			}
			body := fmt.Sprintf(`{"name": %q, "seats": %s}`, j, []string{`1`, `"1"`, `null`, `[]`, `{}`, `1.5`, `99999999999999999999`}[rng.IntN(7)])
			if r := s.Do(t, "POST", "/api/v1/records/project", tok, body); r.Status >= 500 {
				t.Fatalf("POST %s: %d %s", body, r.Status, r.Body)
			}
			raw := j + j
			if r := s.Do(t, "POST", "/api/v1/records/project", tok, raw); r.Status >= 500 {
				t.Fatalf("POST raw %q: %d %s", raw, r.Status, r.Body)
			}
		}
	})
}
