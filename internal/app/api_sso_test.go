package app_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/tessera-crm/tessera/internal/testutil/testserver"
)

// fakeIdP is an OpenID provider: discovery, keys, an authorization endpoint
// that approves at once, and a token endpoint that checks the client, the
// redirect URI and PKCE before answering an RS256-signed ID token.
type fakeIdP struct {
	*httptest.Server
	key          *rsa.PrivateKey
	clientID     string
	clientSecret string

	mu    sync.Mutex
	codes map[string]idpGrant
	// What the next ID token says.
	email    string
	verified any
	nonce    string // overrides the nonce the client sent, when set
}

type idpGrant struct{ nonce, challenge, redirectURI string }

func newFakeIdP(t *testing.T) *fakeIdP {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	idp := &fakeIdP{key: key, clientID: "tessera", clientSecret: "s3cret-of-the-client", codes: map[string]idpGrant{}, verified: true}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"issuer": idp.URL, "authorization_endpoint": idp.URL + "/authorize", "token_endpoint": idp.URL + "/token",
			"jwks_uri": idp.URL + "/jwks", "response_types_supported": []string{"code"}, "subject_types_supported": []string{"public"},
			"id_token_signing_alg_values_supported": []string{"RS256"}, "code_challenge_methods_supported": []string{"S256"}})
	})
	mux.HandleFunc("GET /jwks", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
	})
	mux.HandleFunc("GET /authorize", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if q.Get("response_type") != "code" || q.Get("client_id") != idp.clientID || q.Get("code_challenge_method") != "S256" ||
			q.Get("code_challenge") == "" || q.Get("nonce") == "" || q.Get("state") == "" || !strings.Contains(q.Get("scope"), "openid") {
			http.Error(w, "bad authorization request: "+r.URL.RawQuery, 400)
			return
		}
		code := randomID()
		idp.mu.Lock()
		idp.codes[code] = idpGrant{nonce: q.Get("nonce"), challenge: q.Get("code_challenge"), redirectURI: q.Get("redirect_uri")}
		idp.mu.Unlock()
		back, _ := url.Parse(q.Get("redirect_uri"))
		back.RawQuery = url.Values{"code": {code}, "state": {q.Get("state")}}.Encode()
		http.Redirect(w, r, back.String(), http.StatusFound)
	})
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		id, secret, ok := r.BasicAuth()
		if !ok {
			id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
		}
		if id != idp.clientID || secret != idp.clientSecret {
			writeJSON(w, 401, map[string]any{"error": "invalid_client"})
			return
		}
		idp.mu.Lock()
		g, ok := idp.codes[r.PostForm.Get("code")]
		delete(idp.codes, r.PostForm.Get("code"))
		idp.mu.Unlock()
		sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
		if !ok || g.redirectURI != r.PostForm.Get("redirect_uri") || base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge {
			writeJSON(w, 400, map[string]any{"error": "invalid_grant"})
			return
		}
		idp.mu.Lock()
		nonce := g.nonce
		if idp.nonce != "" {
			nonce = idp.nonce
		}
		claims := map[string]any{"iss": idp.URL, "sub": "user-1", "aud": idp.clientID, "iat": time.Now().Unix(), "exp": time.Now().Add(time.Hour).Unix(),
			"nonce": nonce, "email": idp.email, "email_verified": idp.verified}
		idp.mu.Unlock()
		writeJSON(w, 200, map[string]any{"access_token": "at", "token_type": "Bearer", "expires_in": 3600, "id_token": idp.sign(t, claims)})
	})
	idp.Server = httptest.NewServer(mux)
	t.Cleanup(idp.Close)
	return idp
}

func (idp *fakeIdP) sign(t *testing.T, claims map[string]any) string {
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: idp.key, KeyID: "k1"}}, (&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		t.Error(err)
		return ""
	}
	payload, _ := json.Marshal(claims)
	jws, err := signer.Sign(payload)
	if err != nil {
		t.Error(err)
		return ""
	}
	out, _ := jws.CompactSerialize()
	return out
}

func (idp *fakeIdP) set(email string, verified any, nonce string) {
	idp.mu.Lock()
	defer idp.mu.Unlock()
	idp.email, idp.verified, idp.nonce = email, verified, nonce
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func randomID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// follow sends one GET with the browser and returns the response's
// redirect target.
func follow(t *testing.T, b *testserver.Browser, target string) string {
	t.Helper()
	resp, err := b.Client.Get(target)
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("GET %s: %d, want a redirect", target, resp.StatusCode)
	}
	return resp.Header.Get("Location")
}

// signIn runs a whole sign-on and returns where the server sent the browser
// at the end, and the callback URL it was given.
func signIn(t *testing.T, s *testserver.Server, b *testserver.Browser, tenant string) (landing, callback string) {
	t.Helper()
	authorize := follow(t, b, s.URL+"/api/v1/auth/sso/"+tenant+"/start")
	if strings.HasPrefix(authorize, "/login") {
		return authorize, ""
	}
	callback = follow(t, b, authorize)
	return follow(t, b, callback), callback
}

func ssoTenant(t *testing.T, s *testserver.Server, idp *fakeIdP, domains ...string) string {
	t.Helper()
	admin := s.NewTenant(t, "acme", "none")
	if domains == nil {
		domains = []string{}
	}
	cfg := s.Do(t, "PUT", "/api/v1/admin/sso", admin, map[string]any{"enabled": true, "label": "Acme ID", "issuer": idp.URL, "client_id": idp.clientID,
		"client_secret": idp.clientSecret, "allowed_domains": domains}).Expect(t, 200).JSON(t)
	if cfg["client_secret_set"] != true || cfg["client_secret"] != nil || cfg["redirect_uri"] != s.URL+"/api/v1/auth/sso/callback" {
		t.Fatalf("settings answered %v", cfg)
	}
	return admin
}

func TestSSO_SignInMatchesAVerifiedEmailAndSetsTheSessionCookie(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		idp := newFakeIdP(t)
		ssoTenant(t, s, idp)
		info := s.Do(t, "GET", "/api/v1/auth/sso?tenant=acme", "", nil).Expect(t, 200).JSON(t)
		if info["enabled"] != true || info["label"] != "Acme ID" {
			t.Fatalf("info %v", info)
		}
		var stored string
		s.App.DB.Conn(t.Context()).Raw(`SELECT client_secret_enc FROM tenant_sso`).Scan(&stored)
		if stored == "" || strings.Contains(stored, idp.clientSecret) {
			t.Fatalf("client secret stored as %q", stored)
		}

		idp.set("Admin@ACME.test", true, "")
		b := s.NewBrowser(t)
		landing, callback := signIn(t, s, b, "acme")
		if landing != "/" {
			t.Fatalf("landed on %s", landing)
		}
		if c := b.Cookie("tessera_session"); c == nil || b.Cookie("tessera_csrf") == nil {
			t.Fatal("no session cookies after sign-on")
		}
		b.CSRF = b.Cookie("tessera_csrf").Value
		me := b.Do(t, "GET", "/api/v1/auth/me", nil).Expect(t, 200).JSON(t)
		if me["user"].(map[string]any)["email"] != "admin@acme.test" {
			t.Fatalf("signed in as %v", me["user"])
		}
		b.Do(t, "PATCH", "/api/v1/auth/me", map[string]any{"name": "Ada"}).Expect(t, 200)
		if !slices.Contains(auditActions(t, s, "acme"), "auth.login") {
			t.Fatal("the sign-on is not audited")
		}

		// The state is good for one callback.
		other := s.NewBrowser(t)
		if got := follow(t, other, callback); got != "/login?sso_error=invalid_state" {
			t.Fatalf("replayed callback went to %s", got)
		}
	})
}

func TestSSO_RefusedSignOnsReturnToTheLoginPageWithACode(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		idp := newFakeIdP(t)
		admin := ssoTenant(t, s, idp)
		s.Do(t, "POST", "/api/v1/users", admin, map[string]any{"email": "gone@acme.test", "password": testserver.Password}).Expect(t, 201)
		var goneID string
		s.App.DB.Conn(t.Context()).Raw(`SELECT id FROM users WHERE email = 'gone@acme.test'`).Scan(&goneID)
		s.Do(t, "PATCH", "/api/v1/users/"+goneID, admin, map[string]any{"status": "inactive"}).Expect(t, 200)
		cases := []struct {
			name, email string
			verified    any
			nonce, code string
		}{
			{"wrong nonce", "admin@acme.test", true, "not-the-nonce", "invalid_token"},
			{"unknown email", "ghost@acme.test", true, "", "unknown_user"},
			{"inactive user", "gone@acme.test", true, "", "user_inactive"},
			{"unverified email", "admin@acme.test", false, "", "email_not_verified"},
			{"verified as a string", "admin@acme.test", "false", "", "email_not_verified"},
			{"no verification claim", "admin@acme.test", nil, "", "email_not_verified"},
		}
		for _, c := range cases {
			idp.set(c.email, c.verified, c.nonce)
			b := s.NewBrowser(t)
			if landing, _ := signIn(t, s, b, "acme"); landing != "/login?sso_error="+c.code {
				t.Errorf("%s: landed on %s, want code %s", c.name, landing, c.code)
			}
			if b.Cookie("tessera_session") != nil {
				t.Errorf("%s: a session cookie was set", c.name)
			}
		}

		// Domains: only the allowed ones sign in.
		s.Do(t, "PUT", "/api/v1/admin/sso", admin, map[string]any{"enabled": true, "label": "Acme ID", "issuer": idp.URL, "client_id": idp.clientID,
			"allowed_domains": []string{"Example.com"}}).Expect(t, 200)
		idp.set("admin@acme.test", true, "")
		if landing, _ := signIn(t, s, s.NewBrowser(t), "acme"); landing != "/login?sso_error=domain_not_allowed" {
			t.Fatalf("disallowed domain landed on %s", landing)
		}

		// The provider refusing, a forged state, an expired sign-on.
		b := s.NewBrowser(t)
		authorize := follow(t, b, s.URL+"/api/v1/auth/sso/acme/start")
		state := must(url.Parse(authorize)).Query().Get("state")
		if got := follow(t, b, s.URL+"/api/v1/auth/sso/callback?error=access_denied&state="+state); got != "/login?sso_error=access_denied" {
			t.Fatalf("provider refusal went to %s", got)
		}
		for _, q := range []string{"", "?state=forged&code=x", "?code=x", "?state=" + strings.Repeat("s", 500)} {
			if got := follow(t, b, s.URL+"/api/v1/auth/sso/callback"+q); got != "/login?sso_error=invalid_state" {
				t.Fatalf("callback%s went to %s", q, got)
			}
		}
		s.Do(t, "PUT", "/api/v1/admin/sso", admin, map[string]any{"enabled": true, "issuer": idp.URL, "client_id": idp.clientID}).Expect(t, 200)
		callback := follow(t, b, follow(t, b, s.URL+"/api/v1/auth/sso/acme/start"))
		s.App.DB.Conn(t.Context()).Exec(`UPDATE oidc_logins SET created_at = ?`, time.Now().UTC().Add(-11*time.Minute))
		if got := follow(t, b, callback); got != "/login?sso_error=expired" {
			t.Fatalf("expired sign-on went to %s", got)
		}

		// Tenants without single sign-on, or unknown, refuse at the start.
		for _, tenant := range []string{"nowhere", "ACME", "x%20y"} {
			if got := follow(t, b, s.URL+"/api/v1/auth/sso/"+tenant+"/start"); got != "/login?sso_error=sso_disabled" {
				t.Fatalf("start for %s went to %s", tenant, got)
			}
		}
		s.Do(t, "PUT", "/api/v1/admin/sso", admin, map[string]any{"enabled": false}).Expect(t, 200)
		if got := follow(t, b, s.URL+"/api/v1/auth/sso/acme/start"); got != "/login?sso_error=sso_disabled" {
			t.Fatalf("disabled start went to %s", got)
		}
		if info := s.Do(t, "GET", "/api/v1/auth/sso?tenant=acme", "", nil).Expect(t, 200).JSON(t); info["enabled"] != false {
			t.Fatalf("info %v", info)
		}
	})
}

func TestSSO_SettingsAreValidatedAndOnlyForSecurityAdmins(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		idp := newFakeIdP(t)
		admin := s.NewTenant(t, "acme", "none")
		cfg := s.Do(t, "GET", "/api/v1/admin/sso", admin, nil).Expect(t, 200).JSON(t)
		if cfg["enabled"] != false || cfg["client_secret_set"] != false || cfg["redirect_uri"] == nil {
			t.Fatalf("fresh settings %v", cfg)
		}
		ok := func(patch map[string]any) map[string]any {
			body := map[string]any{"enabled": true, "issuer": idp.URL, "client_id": "tessera", "client_secret": "x"}
			for k, v := range patch {
				if v == nil {
					delete(body, k)
				} else {
					body[k] = v
				}
			}
			return body
		}
		cases := []struct {
			body        any
			field, code string
		}{
			{ok(map[string]any{"issuer": nil}), "issuer", "required"},
			{ok(map[string]any{"issuer": "ftp://login.example.com"}), "issuer", "invalid_value"},
			{ok(map[string]any{"issuer": "http://login.example.com"}), "issuer", "invalid_value"},
			{ok(map[string]any{"issuer": "https://login.example.com?x=1"}), "issuer", "invalid_value"},
			{ok(map[string]any{"issuer": "http://127.0.0.1:1"}), "issuer", "invalid_value"},
			{ok(map[string]any{"client_id": nil}), "client_id", "required"},
			{ok(map[string]any{"client_secret": nil}), "client_secret", "required"},
			{ok(map[string]any{"label": strings.Repeat("l", 61)}), "label", "too_long"},
			{ok(map[string]any{"allowed_domains": []any{"not a domain"}}), "allowed_domains[0]", "invalid_value"},
			{ok(map[string]any{"allowed_domains": "example.com"}), "allowed_domains", "invalid_type"},
			{ok(map[string]any{"enabled": "yes"}), "enabled", "invalid_type"},
			{ok(map[string]any{"client_secret_set": true}), "client_secret_set", "unknown_field"},
		}
		for _, c := range cases {
			r := s.Do(t, "PUT", "/api/v1/admin/sso", admin, c.body).Expect(t, 400)
			if field, code := r.Problem(t); field != c.field || code != c.code {
				t.Errorf("%v: %s %s, want %s %s", c.body, field, code, c.field, c.code)
			}
		}
		if field, _ := s.Do(t, "GET", "/api/v1/auth/sso", "", nil).Expect(t, 400).Problem(t); field != "tenant" {
			t.Fatalf("info without tenant names %q", field)
		}
		if info := s.Do(t, "GET", "/api/v1/auth/sso?tenant=nowhere", "", nil).Expect(t, 200).JSON(t); info["enabled"] != false {
			t.Fatalf("unknown tenant: %v", info)
		}
		// The secret is kept when a change leaves it out.
		s.Do(t, "PUT", "/api/v1/admin/sso", admin, ok(nil)).Expect(t, 200)
		cfg = s.Do(t, "PUT", "/api/v1/admin/sso", admin, ok(map[string]any{"client_secret": nil, "label": "Acme"})).Expect(t, 200).JSON(t)
		if cfg["client_secret_set"] != true || cfg["label"] != "Acme" {
			t.Fatalf("settings %v", cfg)
		}
		if !slices.Contains(auditActions(t, s, "acme"), "sso.update") {
			t.Fatal("settings changes are not audited")
		}
		s.Do(t, "POST", "/api/v1/users", admin, map[string]any{"email": "rep@acme.test", "password": testserver.Password}).Expect(t, 201)
		member := s.Login(t, "acme", "rep@acme.test", testserver.Password)
		s.Do(t, "GET", "/api/v1/admin/sso", member, nil).Expect(t, 403)
		s.Do(t, "PUT", "/api/v1/admin/sso", member, ok(nil)).Expect(t, 403)
	})
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
