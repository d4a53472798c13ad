package app_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/tessera-crm/tessera/internal/identity"
	"github.com/tessera-crm/tessera/internal/testutil/testserver"
	"github.com/tessera-crm/tessera/metadata"
)

// setCookies returns the response's cookies by name.
func setCookies(r *testserver.Response) map[string]*http.Cookie {
	out := map[string]*http.Cookie{}
	for _, c := range (&http.Response{Header: r.Header}).Cookies() {
		out[c.Name] = c
	}
	return out
}

// auditActions returns the actions in a tenant's operation log, oldest first.
func auditActions(t *testing.T, s *testserver.Server, tenantKey string) []string {
	t.Helper()
	var out []string
	table := s.App.DB.Dialect.Table(tenantKey, metadata.TableAuditLog)
	if err := s.App.DB.Conn(t.Context()).Raw(`SELECT action FROM ` + table + ` ORDER BY at, id`).Scan(&out).Error; err != nil {
		t.Fatalf("read audit log: %v", err)
	}
	return out
}

func TestSession_CookieLoginSetsHttpOnlyLaxCookiesAndAnswersNoToken(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		s.NewTenant(t, "acme", "none")
		creds := map[string]any{"tenant": "acme", "email": "admin@acme.test", "password": testserver.Password}
		r := s.Do(t, "POST", "/api/v1/auth/login", "", creds).Expect(t, 200)
		body := r.JSON(t)
		if _, ok := body["token"]; ok {
			t.Fatalf("cookie login answered the token: %s", r.Body)
		}
		csrf, _ := body["csrf_token"].(string)
		if csrf == "" || body["user"] == nil || body["tenant"] == nil || body["expires_in"] == nil {
			t.Fatalf("answer %s", r.Body)
		}
		cookies := setCookies(r)
		sess, tok := cookies["tessera_session"], cookies["tessera_csrf"]
		if sess == nil || tok == nil {
			t.Fatalf("cookies %v", r.Header.Values("Set-Cookie"))
		}
		if !sess.HttpOnly || sess.SameSite != http.SameSiteLaxMode || sess.Path != "/" || sess.Secure || sess.MaxAge <= 0 {
			t.Fatalf("session cookie %+v", sess)
		}
		if tok.HttpOnly || tok.SameSite != http.SameSiteLaxMode || tok.Path != "/" || tok.Value != csrf {
			t.Fatalf("csrf cookie %+v, csrf_token %q", tok, csrf)
		}
		// A forwarded "https" from a proxy nobody trusts changes nothing.
		r = s.Do(t, "POST", "/api/v1/auth/login", "", creds, "X-Forwarded-Proto", "https").Expect(t, 200)
		if setCookies(r)["tessera_session"].Secure {
			t.Fatal("an untrusted X-Forwarded-Proto made the cookie Secure")
		}

		// Token mode answers the token and sets no cookie.
		creds["mode"] = "token"
		r = s.Do(t, "POST", "/api/v1/auth/login", "", creds).Expect(t, 200)
		if tokStr, _ := r.JSON(t)["token"].(string); !strings.HasPrefix(tokStr, "tss_") || len(r.Header.Values("Set-Cookie")) != 0 {
			t.Fatalf("token mode: %s %v", r.Body, r.Header.Values("Set-Cookie"))
		}
		creds["mode"] = "jwt"
		if field, _ := s.Do(t, "POST", "/api/v1/auth/login", "", creds).Expect(t, 400).Problem(t); field != "mode" {
			t.Fatalf("bad mode names %q", field)
		}
	})
}

func TestSession_CookieIsSecureBehindATrustedHTTPSProxy(t *testing.T) {
	s := testserver.New(t, "sqlite", testserver.Options{TrustedProxies: []string{"127.0.0.1"}})
	s.NewTenant(t, "acme", "none")
	creds := map[string]any{"tenant": "acme", "email": "admin@acme.test", "password": testserver.Password}
	r := s.Do(t, "POST", "/api/v1/auth/login", "", creds, "X-Forwarded-Proto", "https").Expect(t, 200)
	c := setCookies(r)
	if !c["tessera_session"].Secure || !c["tessera_csrf"].Secure {
		t.Fatalf("cookies behind a trusted https proxy are not Secure: %v", r.Header.Values("Set-Cookie"))
	}
	r = s.Do(t, "POST", "/api/v1/auth/login", "", creds).Expect(t, 200)
	if setCookies(r)["tessera_session"].Secure {
		t.Fatal("plain http through the proxy made a Secure cookie")
	}

	https := testserver.New(t, "sqlite", testserver.Options{PublicURL: "https://crm.example.com"})
	https.NewTenant(t, "acme", "none")
	r = https.Do(t, "POST", "/api/v1/auth/login", "", creds).Expect(t, 200)
	if !setCookies(r)["tessera_session"].Secure {
		t.Fatal("an https public URL does not make cookies Secure")
	}
}

func TestSession_CookieWritesNeedTheCSRFToken(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		admin := s.NewTenant(t, "acme", "none")
		b := s.LoginBrowser(t, "acme", "admin@acme.test", testserver.Password)
		b.Do(t, "GET", "/api/v1/auth/me", nil).Expect(t, 200)
		patch := map[string]any{"name": "Ada"}
		for _, bad := range []string{"", "wrong", strings.Repeat("x", len(b.CSRF)), b.CSRF + "x"} {
			r := b.Do(t, "PATCH", "/api/v1/auth/me", patch, "X-CSRF-Token", bad).Expect(t, 403)
			if _, code := r.Problem(t); code != "csrf_failed" {
				t.Fatalf("X-CSRF-Token %q: code %s", bad, code)
			}
		}
		b.Do(t, "PATCH", "/api/v1/auth/me", patch).Expect(t, 200)
		// Another session's token does not do.
		other := s.LoginBrowser(t, "acme", "admin@acme.test", testserver.Password)
		b.Do(t, "PATCH", "/api/v1/auth/me", patch, "X-CSRF-Token", other.CSRF).Expect(t, 403)
		// Bearer tokens need no CSRF token: no browser sends them by itself.
		s.Do(t, "PATCH", "/api/v1/auth/me", admin, patch).Expect(t, 200)
		// A header wins over the cookie, even a bad one.
		b.Do(t, "GET", "/api/v1/auth/me", nil, "Authorization", "Bearer tss_forged").Expect(t, 401)
		// The session cookie carries sessions only, never API keys.
		key := s.Do(t, "POST", "/api/v1/api-keys", admin, map[string]any{"name": "k"}).Expect(t, 201).JSON(t)["key"].(string)
		req, _ := http.NewRequest("GET", s.URL+"/api/v1/auth/me", nil)
		req.AddCookie(&http.Cookie{Name: "tessera_session", Value: key})
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 401 {
			t.Fatalf("an API key in the session cookie: %d", resp.StatusCode)
		}
	})
}

func TestSession_LogoutClearsTheCookiesAndEndsTheSession(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		s.NewTenant(t, "acme", "none")
		b := s.LoginBrowser(t, "acme", "admin@acme.test", testserver.Password)
		old := b.Cookie("tessera_session").Value
		b.Do(t, "POST", "/api/v1/auth/logout", nil, "X-CSRF-Token", "").Expect(t, 403)
		r := b.Do(t, "POST", "/api/v1/auth/logout", nil).Expect(t, 204)
		c := setCookies(r)
		for _, name := range []string{"tessera_session", "tessera_csrf"} {
			if c[name] == nil || c[name].MaxAge >= 0 || c[name].Value != "" {
				t.Fatalf("logout did not clear %s: %v", name, r.Header.Values("Set-Cookie"))
			}
			if b.Cookie(name) != nil {
				t.Fatalf("the browser still holds %s", name)
			}
		}
		b.Do(t, "GET", "/api/v1/auth/me", nil).Expect(t, 401)
		req, _ := http.NewRequest("GET", s.URL+"/api/v1/auth/me", nil)
		req.AddCookie(&http.Cookie{Name: "tessera_session", Value: old})
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 401 {
			t.Fatalf("the old session cookie still works: %d", resp.StatusCode)
		}
	})
}

func TestSession_DeactivationEndsSessionsAndAPIKeysAtOnce(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		admin := s.NewTenant(t, "acme", "none")
		u := s.Do(t, "POST", "/api/v1/users", admin, map[string]any{"email": "ops@acme.test", "role": "admin", "password": testserver.Password}).Expect(t, 201).JSON(t)
		id := str(u["user"].(map[string]any)["id"])
		tok := s.Login(t, "acme", "ops@acme.test", testserver.Password)
		b := s.LoginBrowser(t, "acme", "ops@acme.test", testserver.Password)
		key := s.Do(t, "POST", "/api/v1/api-keys", tok, map[string]any{"name": "sync"}).Expect(t, 201).JSON(t)["key"].(string)
		// Warm every cache first: revocation must reach cached entries.
		for _, cred := range []string{tok, key} {
			s.Do(t, "GET", "/api/v1/auth/me", cred, nil).Expect(t, 200)
		}
		b.Do(t, "GET", "/api/v1/auth/me", nil).Expect(t, 200)

		s.Do(t, "PATCH", "/api/v1/users/"+id, admin, map[string]any{"status": "inactive"}).Expect(t, 200)
		for _, cred := range []string{tok, key} {
			s.Do(t, "GET", "/api/v1/auth/me", cred, nil).Expect(t, 401)
		}
		b.Do(t, "GET", "/api/v1/auth/me", nil).Expect(t, 401)
		s.Do(t, "POST", "/api/v1/auth/login", "", map[string]any{"tenant": "acme", "email": "ops@acme.test", "password": testserver.Password}).Expect(t, 401)

		// Reactivated, the key works again (it was never revoked); the
		// sessions stay ended.
		s.Do(t, "PATCH", "/api/v1/users/"+id, admin, map[string]any{"status": "active"}).Expect(t, 200)
		s.Do(t, "GET", "/api/v1/auth/me", key, nil).Expect(t, 200)
		s.Do(t, "GET", "/api/v1/auth/me", tok, nil).Expect(t, 401)

		// An admin's password reset ends the user's sessions too.
		tok = s.Login(t, "acme", "ops@acme.test", testserver.Password)
		s.Do(t, "POST", "/api/v1/users/"+id+"/reset-password", admin, map[string]any{"password": "Another-horse-7"}).Expect(t, 200)
		s.Do(t, "GET", "/api/v1/auth/me", tok, nil).Expect(t, 401)
		s.Login(t, "acme", "ops@acme.test", "Another-horse-7")
	})
}

func TestPassword_ChangeKeepsThisSessionAndEndsTheOthers(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		s.NewTenant(t, "acme", "none")
		this := s.Login(t, "acme", "admin@acme.test", testserver.Password)
		other := s.Login(t, "acme", "admin@acme.test", testserver.Password)
		browser := s.LoginBrowser(t, "acme", "admin@acme.test", testserver.Password)
		cases := []struct {
			body        any
			field, code string
		}{
			{map[string]any{"current_password": "wrong-horse-1", "new_password": "Brand-new-horse-1"}, "current_password", "invalid_value"},
			{map[string]any{"current_password": testserver.Password, "new_password": "short-1A"}, "new_password", "too_short"},
			{map[string]any{"current_password": testserver.Password, "new_password": "alllowercaseletters"}, "new_password", "invalid_value"},
			{map[string]any{"current_password": testserver.Password, "new_password": "my-ADMIN-horse-1"}, "new_password", "invalid_value"},
			{map[string]any{"current_password": testserver.Password, "new_password": testserver.Password}, "new_password", "invalid_value"},
			{map[string]any{"current_password": testserver.Password}, "new_password", "required"},
			{map[string]any{"current_password": 5, "new_password": "x"}, "current_password", "invalid_type"},
			{map[string]any{"password": "x"}, "password", "unknown_field"},
			{`{"current_password":`, "body", "invalid_json"},
		}
		for _, c := range cases {
			r := s.Do(t, "POST", "/api/v1/auth/me/password", this, c.body).Expect(t, 400)
			field, code := r.Problem(t)
			if code == "invalid_json" && field == "" {
				field = "body"
			}
			if field != c.field || code != c.code {
				t.Errorf("%v: %s %s, want %s %s", c.body, field, code, c.field, c.code)
			}
		}
		s.Do(t, "GET", "/api/v1/auth/me", other, nil).Expect(t, 200)
		s.Do(t, "POST", "/api/v1/auth/me/password", this, map[string]any{"current_password": testserver.Password, "new_password": "Brand-new-horse-1"}).Expect(t, 204)
		s.Do(t, "GET", "/api/v1/auth/me", this, nil).Expect(t, 200)
		s.Do(t, "GET", "/api/v1/auth/me", other, nil).Expect(t, 401)
		browser.Do(t, "GET", "/api/v1/auth/me", nil).Expect(t, 401)
		s.Do(t, "POST", "/api/v1/auth/login", "", map[string]any{"tenant": "acme", "email": "admin@acme.test", "password": testserver.Password}).Expect(t, 401)
		s.Login(t, "acme", "admin@acme.test", "Brand-new-horse-1")

		var changedAt *string
		s.App.DB.Conn(t.Context()).Raw(`SELECT CAST(password_changed_at AS TEXT) FROM users WHERE email = ?`, "admin@acme.test").Scan(&changedAt)
		if changedAt == nil {
			t.Fatal("password_changed_at is not set")
		}
		if !slices.Contains(auditActions(t, s, "acme"), "user.password_change") {
			t.Fatalf("no user.password_change entry: %v", auditActions(t, s, "acme"))
		}
	})
}

func TestPassword_PolicyIsPublishedAndATenantMayRaiseTheMinimum(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		admin := s.NewTenant(t, "acme", "none")
		p := s.Do(t, "GET", "/api/v1/auth/password-policy", admin, nil).Expect(t, 200).JSON(t)
		if jsonNum(p["min_length"]) != identity.MinPasswordLength || jsonNum(p["classes"]) != 3 {
			t.Fatalf("policy %v", p)
		}
		if err := s.App.DB.Conn(t.Context()).Exec(`UPDATE tenants SET security = ? WHERE key = ?`, `{"password_min_length": 16}`, "acme").Error; err != nil {
			t.Fatal(err)
		}
		p = s.Do(t, "GET", "/api/v1/auth/password-policy", admin, nil).Expect(t, 200).JSON(t)
		if jsonNum(p["min_length"]) != 16 {
			t.Fatalf("policy %v", p)
		}
		r := s.Do(t, "POST", "/api/v1/users", admin, map[string]any{"email": "rep@acme.test", "password": "Fifteen-chars-1"}).Expect(t, 400)
		if field, code := r.Problem(t); field != "password" || code != "too_short" {
			t.Fatalf("%s %s", field, code)
		}
		// Generated passwords (18 characters) pass the raised minimum.
		s.Do(t, "POST", "/api/v1/users", admin, map[string]any{"email": "rep@acme.test"}).Expect(t, 201)
		// Settings lower than the default are ignored.
		s.App.DB.Conn(t.Context()).Exec(`UPDATE tenants SET security = ? WHERE key = ?`, `{"password_min_length": 4}`, "acme")
		p = s.Do(t, "GET", "/api/v1/auth/password-policy", admin, nil).Expect(t, 200).JSON(t)
		if jsonNum(p["min_length"]) != identity.MinPasswordLength {
			t.Fatalf("policy %v", p)
		}
	})
}
