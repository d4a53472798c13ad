package app_test

import (
	"net/url"
	"testing"

	"github.com/tessera-crm/tessera/internal/testutil/testserver"
)

// Two tenants define the same objects; nothing one does may read or touch
// the other's data, through any route, id, header or lookup.
func TestIsolation_TenantsNeverSeeEachOther(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		a := s.NewTenant(t, "alpha", "sales")
		b := s.NewTenant(t, "beta", "sales")
		for _, tok := range []string{a, b} {
			s.Do(t, "POST", "/api/v1/meta/objects", tok, map[string]any{"api_name": "project", "label": "Project"}).Expect(t, 201)
		}
		s.Do(t, "POST", "/api/v1/meta/objects/project/fields", b, map[string]any{"api_name": "secret", "type": "text", "label": "Secret"}).Expect(t, 201)
		bAcct := create(t, s, b, "account", map[string]any{"name": "Beta Secret Customer"})
		bProj := create(t, s, b, "project", map[string]any{"name": "beta-only", "secret": "s3cret"})
		create(t, s, a, "account", map[string]any{"name": "Alpha Customer"})

		bID := str(bAcct["id"])
		// Direct access by id, with or without a forged tenant header.
		for _, hdr := range [][]string{nil, {"X-Tenant", "beta"}} {
			s.Do(t, "GET", "/api/v1/records/account/"+bID, a, nil, hdr...).Expect(t, 404)
			s.Do(t, "PATCH", "/api/v1/records/account/"+bID, a, map[string]any{"name": "pwned"}, hdr...).Expect(t, 404)
			s.Do(t, "DELETE", "/api/v1/records/account/"+bID, a, nil, hdr...).Expect(t, 404)
			s.Do(t, "POST", "/api/v1/records/account/"+bID+"/restore", a, nil, hdr...).Expect(t, 404)
			s.Do(t, "POST", "/api/v1/records/account/"+bID+"/purge", a, nil, hdr...).Expect(t, 404)
			s.Do(t, "GET", "/api/v1/records/project/"+str(bProj["id"]), a, nil, hdr...).Expect(t, 404)
		}
		// Lists, filters and counts only see the caller's rows.
		page := s.Do(t, "GET", "/api/v1/records/account?count=true&filter="+url.QueryEscape(`id == "`+bID+`" || name contains "Beta"`), a, nil).Expect(t, 200).JSON(t)
		if len(page["data"].([]any)) != 0 || str(page["total"]) != "0" {
			t.Fatalf("alpha sees beta's accounts: %v", page)
		}
		all := s.Do(t, "GET", "/api/v1/records/account?count=true", a, nil).Expect(t, 200).JSON(t)
		if str(all["total"]) != "1" {
			t.Fatalf("alpha's account total = %v, want 1", all["total"])
		}
		// Beta's field does not exist for alpha: not readable, filterable or writable.
		s.Do(t, "GET", "/api/v1/records/project?filter="+url.QueryEscape(`secret == "s3cret"`), a, nil).Expect(t, 400)
		s.Do(t, "POST", "/api/v1/records/project", a, map[string]any{"name": "x", "secret": "y"}).Expect(t, 400)
		// A lookup cannot point into the other tenant.
		r := s.Do(t, "POST", "/api/v1/records/contact", a, map[string]any{"name": "spy", "account_id": bID}).Expect(t, 400)
		if field, code := r.Problem(t); field != "account_id" || code != "lookup_not_found" {
			t.Fatalf("cross-tenant lookup: %s/%s", field, code)
		}
		// Bulk updates by the other tenant's ids touch nothing.
		s.Do(t, "POST", "/api/v1/records/account/bulk", a, map[string]any{"operations": []any{
			map[string]any{"op": "update", "id": bID, "values": map[string]any{"name": "pwned"}},
		}}).Expect(t, 404)
		// Metadata changes stay in their tenant.
		s.Do(t, "DELETE", "/api/v1/meta/objects/project", a, nil).Expect(t, 204)
		got := s.Do(t, "GET", "/api/v1/records/account/"+bID, b, nil).Expect(t, 200).JSON(t)
		if got["name"] != "Beta Secret Customer" || got["version"] != bAcct["version"] {
			t.Fatalf("beta's record changed: %v", got)
		}
		s.Do(t, "GET", "/api/v1/records/project/"+str(bProj["id"]), b, nil).Expect(t, 200)
		objs := s.Do(t, "GET", "/api/v1/meta/objects/project", b, nil).Expect(t, 200).JSON(t)
		if len(objs["fields"].([]any)) != 2 {
			t.Fatalf("beta's project lost its fields: %v", objs["fields"])
		}
	})
}
