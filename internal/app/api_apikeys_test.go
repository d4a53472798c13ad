package app_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tessera-crm/tessera/internal/identity"
	"github.com/tessera-crm/tessera/internal/testutil/testserver"
)

func TestAPIKeys_CreateUseListRevoke(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		admin := s.NewTenant(t, "acme", "none")
		expires := time.Now().Add(24 * time.Hour).UTC().Truncate(time.Second)
		created := s.Do(t, "POST", "/api/v1/api-keys", admin, map[string]any{"name": "  ci  ", "expires_at": expires.Format(time.RFC3339)}).Expect(t, 201).JSON(t)
		key, _ := created["key"].(string)
		id := str(created["id"])
		if !strings.HasPrefix(key, "tsk_"+str(created["prefix"])+"_") || created["name"] != "ci" || created["expires_at"] != expires.Format(time.RFC3339) {
			t.Fatalf("created %v", created)
		}
		if _, ok := created["secret_hash"]; ok {
			t.Fatal("the answer carries the secret's hash")
		}
		var stored string
		s.App.DB.Conn(t.Context()).Raw(`SELECT secret_hash FROM api_keys WHERE id = ?`, id).Scan(&stored)
		if stored == "" || strings.Contains(key, stored) || strings.Contains(stored, key[len(key)-64:]) {
			t.Fatalf("stored %q for key %q", stored, key)
		}

		me := s.Do(t, "GET", "/api/v1/auth/me", key, nil).Expect(t, 200).JSON(t)
		if me["user"].(map[string]any)["email"] != "admin@acme.test" {
			t.Fatalf("the key acts as %v", me["user"])
		}
		// Keys need no CSRF token, but cannot mint keys or change passwords.
		s.Do(t, "PATCH", "/api/v1/auth/me", key, map[string]any{"name": "Ada"}).Expect(t, 200)
		s.Do(t, "POST", "/api/v1/api-keys", key, map[string]any{"name": "child"}).Expect(t, 403)
		s.Do(t, "POST", "/api/v1/auth/me/password", key, map[string]any{"current_password": testserver.Password, "new_password": "Brand-new-horse-1"}).Expect(t, 403)
		s.Do(t, "POST", "/api/v1/auth/logout", key, nil).Expect(t, 400)

		list := s.Do(t, "GET", "/api/v1/api-keys", admin, nil).Expect(t, 200).JSON(t)["data"].([]any)
		if len(list) != 1 {
			t.Fatalf("list %v", list)
		}
		k := list[0].(map[string]any)
		if _, ok := k["key"]; ok || k["id"] != id || k["last_used_at"] == nil || k["revoked_at"] != nil {
			t.Fatalf("listed %v", k)
		}

		s.Do(t, "DELETE", "/api/v1/api-keys/"+id, admin, nil).Expect(t, 204)
		s.Do(t, "GET", "/api/v1/auth/me", key, nil).Expect(t, 401)
		s.Do(t, "DELETE", "/api/v1/api-keys/"+id, admin, nil).Expect(t, 204)
		list = s.Do(t, "GET", "/api/v1/api-keys", admin, nil).Expect(t, 200).JSON(t)["data"].([]any)
		if list[0].(map[string]any)["revoked_at"] == nil {
			t.Fatalf("revoked key listed as %v", list[0])
		}
		actions := auditActions(t, s, "acme")
		if !slices.Contains(actions, "api_key.create") || !slices.Contains(actions, "api_key.revoke") {
			t.Fatalf("audit %v", actions)
		}
	})
}

func TestAPIKeys_ExpiredKeyStopsWorking(t *testing.T) {
	s := testserver.New(t, "sqlite", testserver.Options{})
	admin := s.NewTenant(t, "acme", "none")
	expires := time.Now().Add(1200 * time.Millisecond)
	key := s.Do(t, "POST", "/api/v1/api-keys", admin, map[string]any{"name": "brief", "expires_at": expires.Format(time.RFC3339Nano)}).Expect(t, 201).JSON(t)["key"].(string)
	s.Do(t, "GET", "/api/v1/auth/me", key, nil).Expect(t, 200)
	time.Sleep(time.Until(expires) + 50*time.Millisecond)
	s.Do(t, "GET", "/api/v1/auth/me", key, nil).Expect(t, 401)
}

func TestAPIKeys_RefuseBadInputNamingTheField(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		admin := s.NewTenant(t, "acme", "none")
		cases := []struct {
			body        any
			field, code string
		}{
			{map[string]any{}, "name", "required"},
			{map[string]any{"name": "   "}, "name", "required"},
			{map[string]any{"name": strings.Repeat("k", 101)}, "name", "too_long"},
			{map[string]any{"name": 7}, "name", "invalid_type"},
			{map[string]any{"name": "k", "expires_at": "2001-01-01T00:00:00Z"}, "expires_at", "out_of_range"},
			{map[string]any{"name": "k", "expires_at": "tomorrow"}, "expires_at", "invalid_type"},
			{map[string]any{"name": "k", "expires_at": 5}, "expires_at", "invalid_type"},
			{map[string]any{"name": "k", "permission_sets": "sales"}, "permission_sets", "invalid_type"},
			{map[string]any{"name": "k", "permission_sets": []any{"Sales Rep"}}, "permission_sets[0]", "invalid_value"},
			{map[string]any{"name": "k", "permission_sets": []any{"ok", 5}}, "permission_sets", "invalid_type"},
			{map[string]any{"name": "k", "scopes": []any{}}, "scopes", "unknown_field"},
		}
		for _, c := range cases {
			r := s.Do(t, "POST", "/api/v1/api-keys", admin, c.body).Expect(t, 400)
			if field, code := r.Problem(t); field != c.field || code != c.code {
				t.Errorf("%v: %s %s, want %s %s", c.body, field, code, c.field, c.code)
			}
		}
		s.Do(t, "POST", "/api/v1/api-keys", admin, `{"name":`).Expect(t, 400)
		s.Do(t, "DELETE", "/api/v1/api-keys/not-a-uuid", admin, nil).Expect(t, 404)
		s.Do(t, "DELETE", "/api/v1/api-keys/0190a0b0-0000-7000-8000-000000000001", admin, nil).Expect(t, 404)
		if field, _ := s.Do(t, "GET", "/api/v1/api-keys?all=maybe", admin, nil).Expect(t, 400).Problem(t); field != "all" {
			t.Fatalf("all=maybe names %q", field)
		}
		for _, forged := range []string{"tsk_", "tsk_x_y", "tsk_" + strings.Repeat("0", 16) + "_" + strings.Repeat("0", 64), "tsk_" + strings.Repeat("é", 100)} {
			s.Do(t, "GET", "/api/v1/auth/me", forged, nil).Expect(t, 401)
		}
	})
}

func TestAPIKeys_AdminsSeeAndRevokeEveryKeyMembersOnlyTheirOwn(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		admin := s.NewTenant(t, "acme", "none")
		adminKey := s.Do(t, "POST", "/api/v1/api-keys", admin, map[string]any{"name": "admin's"}).Expect(t, 201).JSON(t)
		u := s.Do(t, "POST", "/api/v1/users", admin, map[string]any{"email": "rep@acme.test", "password": testserver.Password}).Expect(t, 201).JSON(t)["user"].(map[string]any)
		member := s.Login(t, "acme", "rep@acme.test", testserver.Password)
		// Creating a key through the API needs the api capability, which a
		// plain member lacks; the service makes one for the test.
		s.Do(t, "POST", "/api/v1/api-keys", member, map[string]any{"name": "mine"}).Expect(t, 403)
		tenant := s.Do(t, "GET", "/api/v1/auth/me", admin, nil).Expect(t, 200).JSON(t)["tenant"].(map[string]any)
		p := &identity.Principal{UserID: str(u["id"]), TenantID: str(tenant["id"]), TenantKey: "acme", Email: "rep@acme.test", Role: identity.RoleMember}
		memberKey, _, err := s.App.Identity.CreateAPIKey(t.Context(), p, identity.NewAPIKey{Name: "mine"})
		if err != nil {
			t.Fatal(err)
		}

		own := s.Do(t, "GET", "/api/v1/api-keys", member, nil).Expect(t, 200).JSON(t)["data"].([]any)
		if len(own) != 1 || own[0].(map[string]any)["id"] != memberKey.ID {
			t.Fatalf("member lists %v", own)
		}
		s.Do(t, "GET", "/api/v1/api-keys?all=true", member, nil).Expect(t, 403)
		all := s.Do(t, "GET", "/api/v1/api-keys?all=true", admin, nil).Expect(t, 200).JSON(t)["data"].([]any)
		if len(all) != 2 {
			t.Fatalf("admin lists %v", all)
		}
		s.Do(t, "DELETE", "/api/v1/api-keys/"+str(adminKey["id"]), member, nil).Expect(t, 404)
		s.Do(t, "DELETE", "/api/v1/api-keys/"+memberKey.ID, admin, nil).Expect(t, 204)
		if k := s.Do(t, "GET", "/api/v1/api-keys", member, nil).Expect(t, 200).JSON(t)["data"].([]any)[0].(map[string]any); k["revoked_at"] == nil {
			t.Fatalf("the member's key is not revoked: %v", k)
		}
	})
}
