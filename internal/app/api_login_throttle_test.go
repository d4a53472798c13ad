package app_test

import (
	"slices"
	"strconv"
	"testing"

	"github.com/tessera-crm/tessera/internal/testutil/testserver"
)

func login(t *testing.T, s *testserver.Server, tenant, email, password string) *testserver.Response {
	t.Helper()
	return s.Do(t, "POST", "/api/v1/auth/login", "", map[string]any{"tenant": tenant, "email": email, "password": password, "mode": "token"})
}

func expectLocked(t *testing.T, r *testserver.Response) {
	t.Helper()
	r.Expect(t, 429)
	if _, code := r.Problem(t); code != "too_many_attempts" {
		t.Fatalf("code %s", code)
	}
	secs, err := strconv.Atoi(r.Header.Get("Retry-After"))
	if err != nil || secs < 14*60 || secs > 15*60 {
		t.Fatalf("Retry-After %q", r.Header.Get("Retry-After"))
	}
}

func TestLogin_FiveFailuresLockTheAccountWhetherOrNotItExists(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		admin := s.NewTenant(t, "acme", "none")
		s.Do(t, "POST", "/api/v1/users", admin, map[string]any{"email": "rep@acme.test", "password": testserver.Password}).Expect(t, 201)
		for _, acct := range []struct{ tenant, email string }{
			{"acme", "admin@acme.test"},   // exists
			{"acme", "ghost@acme.test"},   // unknown email
			{"nowhere", "x@nowhere.test"}, // unknown tenant
		} {
			for i := 0; i < 5; i++ {
				login(t, s, acct.tenant, acct.email, "wrong-horse-1").Expect(t, 401)
			}
			// Locked: even the right password is refused, alike for all.
			expectLocked(t, login(t, s, acct.tenant, acct.email, testserver.Password))
		}
		// The address is the account however it is typed.
		expectLocked(t, login(t, s, "acme", " Admin@ACME.test ", testserver.Password))
		// Other accounts are not affected, and the admin's session lives on.
		login(t, s, "acme", "rep@acme.test", testserver.Password).Expect(t, 200)
		s.Do(t, "GET", "/api/v1/auth/me", admin, nil).Expect(t, 200)

		actions := auditActions(t, s, "acme")
		failed := 0
		for _, a := range actions {
			if a == "auth.login_failed" {
				failed++
			}
		}
		if failed != 10 || !slices.Contains(actions, "auth.login") {
			t.Fatalf("audit: %d failed logins (want 10) in %v", failed, actions)
		}
	})
}

func TestLogin_SuccessClearsTheAccountCounter(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		s.NewTenant(t, "acme", "none")
		for round := 0; round < 3; round++ {
			for i := 0; i < 4; i++ {
				login(t, s, "acme", "admin@acme.test", "wrong-horse-1").Expect(t, 401)
			}
			login(t, s, "acme", "admin@acme.test", testserver.Password).Expect(t, 200)
		}
	})
}

func TestLogin_TwentyFailuresFromOneAddressLockIt(t *testing.T) {
	s := testserver.New(t, "sqlite", testserver.Options{})
	s.NewTenant(t, "acme", "none")
	for i := 0; i < 20; i++ {
		// Four failures per account: no account reaches its own limit.
		login(t, s, "acme", "guess"+strconv.Itoa(i/4)+"@acme.test", "wrong-horse-1").Expect(t, 401)
	}
	expectLocked(t, login(t, s, "acme", "admin@acme.test", testserver.Password))
}
