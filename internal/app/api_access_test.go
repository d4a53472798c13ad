package app_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/tessera-crm/tessera/internal/access"
	"github.com/tessera-crm/tessera/internal/testutil/testserver"
)

// salesOrg is a sales tenant with a team: two representatives, their team
// lead and the lead's regional director, each logged in.
type salesOrg struct {
	s                        *testserver.Server
	admin                    string
	roles                    map[string]string // api name -> id
	repA, repB, lead, direct member
}

type member struct {
	id, tok string
}

func newSalesOrg(t *testing.T, s *testserver.Server, key string) *salesOrg {
	t.Helper()
	o := &salesOrg{s: s, admin: s.NewTenant(t, key, "sales"), roles: map[string]string{}}
	for _, r := range s.Do(t, "GET", "/api/v1/org/roles", o.admin, nil).Expect(t, 200).JSON(t)["data"].([]any) {
		m := r.(map[string]any)
		o.roles[str(m["api_name"])] = str(m["id"])
	}
	o.direct = o.addMember(t, key, "director", "regional_director", nil)
	o.lead = o.addMember(t, key, "lead", "team_lead", []string{"sales_manager"})
	o.repA = o.addMember(t, key, "rep.a", "sales_rep", nil)
	o.repB = o.addMember(t, key, "rep.b", "sales_rep", nil)
	return o
}

// addMember creates a member with a role and permission sets (the tenant's
// default sets when nil) and logs them in.
func (o *salesOrg) addMember(t testing.TB, key, name, role string, sets []string) member {
	t.Helper()
	email := name + "@" + key + ".test"
	u := o.s.Do(t, "POST", "/api/v1/users", o.admin, map[string]any{"email": email, "name": name, "role": "member", "password": testserver.Password}).Expect(t, 201).JSON(t)
	id := str(u["user"].(map[string]any)["id"])
	var p access.Placement
	if roleID, ok := o.roles[role]; ok {
		p.RoleID = &roleID
	}
	if sets != nil {
		p.PermissionSets = &sets
	}
	if err := o.s.App.PlaceUser(context.Background(), o.tenantID(t), id, p); err != nil {
		t.Fatalf("place %s: %v", name, err)
	}
	return member{id: id, tok: o.s.Login(t, key, email, testserver.Password)}
}

func (o *salesOrg) tenantID(t testing.TB) string {
	t.Helper()
	return str(o.s.Do(t, "GET", "/api/v1/tenant", o.admin, nil).Expect(t, 200).JSON(t)["id"])
}

// names lists the names of the records a caller sees, sorted.
func names(t *testing.T, s *testserver.Server, tok, object, query string) []string {
	t.Helper()
	var out []string
	for _, r := range s.Do(t, "GET", "/api/v1/records/"+object+"?limit=200"+query, tok, nil).Expect(t, 200).JSON(t)["data"].([]any) {
		out = append(out, str(r.(map[string]any)["name"]))
	}
	slices.Sort(out)
	return out
}

func expectNames(t *testing.T, got []string, want ...string) {
	t.Helper()
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("sees %v, want %v", got, want)
	}
}

func TestAccess_RoleHierarchyAndSharing(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		o := newSalesOrg(t, s, "acme")
		a1 := create(t, s, o.repA.tok, "account", map[string]any{"name": "A1", "region": "north_china"})
		b1 := create(t, s, o.repB.tok, "account", map[string]any{"name": "B1", "region": "east_china"})
		create(t, s, o.lead.tok, "account", map[string]any{"name": "L1"})
		create(t, s, o.admin, "account", map[string]any{"name": "Admin1"})

		// Peers in the same role do not see each other's records.
		expectNames(t, names(t, s, o.repA.tok, "account", ""), "A1")
		expectNames(t, names(t, s, o.repB.tok, "account", ""), "B1")
		s.Do(t, "GET", "/api/v1/records/account/"+str(b1["id"]), o.repA.tok, nil).Expect(t, 404)
		s.Do(t, "PATCH", "/api/v1/records/account/"+str(b1["id"]), o.repA.tok, map[string]any{"name": "stolen"}).Expect(t, 404)
		// Reps may not delete accounts at all (the template's sales_rep set).
		s.Do(t, "DELETE", "/api/v1/records/account/"+str(b1["id"]), o.repA.tok, nil).Expect(t, 403)
		// Counts and aggregates apply the same predicate.
		if n := jsonNum(s.Do(t, "GET", "/api/v1/records/account?count=true", o.repA.tok, nil).Expect(t, 200).JSON(t)["total"]); n != 1 {
			t.Fatalf("rep A counts %d accounts, want 1", n)
		}
		// The lead sees the team below; the director sees the lead's too;
		// nobody below the admin sees the admin's.
		expectNames(t, names(t, s, o.lead.tok, "account", ""), "A1", "B1", "L1")
		expectNames(t, names(t, s, o.direct.tok, "account", ""), "A1", "B1", "L1")
		expectNames(t, names(t, s, o.admin, "account", ""), "A1", "B1", "L1", "Admin1")
		// Accounts grant hierarchy edit in the template: the lead edits a rep's.
		s.Do(t, "PATCH", "/api/v1/records/account/"+str(a1["id"]), o.lead.tok, map[string]any{"phone": "010-1234"}).Expect(t, 200)
		// Search and filters cannot reach around the predicate.
		expectNames(t, names(t, s, o.repA.tok, "account", "&q=B1"))
		expectNames(t, names(t, s, o.repA.tok, "account", "&filter="+url.QueryEscape(`name == "B1"`)))

		// A sharing rule grants exactly what it says: read, to the reps'
		// role, of East China accounts.
		rule := map[string]any{"api_name": "east_read", "labels": map[string]any{"en": "East"}, "condition": `region == "east_china"`,
			"grantee": map[string]any{"type": "role", "id": o.roles["sales_rep"]}, "access": "read", "active": true}
		s.Do(t, "POST", "/api/v1/meta/objects/account/sharing-rules", o.repA.tok, rule).Expect(t, 403)
		s.Do(t, "POST", "/api/v1/meta/objects/account/sharing-rules", o.admin, rule).Expect(t, 201)
		expectNames(t, names(t, s, o.repA.tok, "account", ""), "A1", "B1")
		s.Do(t, "GET", "/api/v1/records/account/"+str(b1["id"]), o.repA.tok, nil).Expect(t, 200)
		s.Do(t, "PATCH", "/api/v1/records/account/"+str(b1["id"]), o.repA.tok, map[string]any{"name": "x"}).Expect(t, 403)
		acc := s.Do(t, "GET", "/api/v1/records/account/"+str(b1["id"])+"/access", o.repA.tok, nil).Expect(t, 200).JSON(t)
		if acc["read"] != true || acc["edit"] != false || acc["share"] != false {
			t.Fatalf("rep A's access to B1 = %v, want read only", acc)
		}
		// A bad condition is refused with its position, naming the field.
		bad := map[string]any{"api_name": "bad", "labels": map[string]any{"en": "Bad"}, "condition": `regoin == "x"`,
			"grantee": map[string]any{"type": "role", "id": o.roles["sales_rep"]}, "access": "read", "active": true}
		if f, _ := s.Do(t, "POST", "/api/v1/meta/objects/account/sharing-rules", o.admin, bad).Expect(t, 400).Problem(t); f != "condition" {
			t.Fatalf("bad condition blamed %q, want condition", f)
		}
		// A field a rule's condition names cannot be deleted from under it.
		s.Do(t, "POST", "/api/v1/meta/objects/account/fields", o.admin, map[string]any{"api_name": "zone", "type": "text", "label": "Zone"}).Expect(t, 201)
		zoneRule := map[string]any{"api_name": "zone_rule", "labels": map[string]any{"en": "Zone"}, "condition": `zone == "z1"`,
			"grantee": map[string]any{"type": "role", "id": o.roles["sales_rep"]}, "access": "read", "active": true}
		s.Do(t, "POST", "/api/v1/meta/objects/account/sharing-rules", o.admin, zoneRule).Expect(t, 201)
		s.Do(t, "DELETE", "/api/v1/meta/objects/account/fields/zone", o.admin, nil).Expect(t, 409)
		s.Do(t, "DELETE", "/api/v1/meta/objects/account/sharing-rules/zone_rule", o.admin, nil).Expect(t, 204)
		s.Do(t, "DELETE", "/api/v1/meta/objects/account/fields/zone", o.admin, nil).Expect(t, 204)
		// Revoking the rule revokes the access, at once.
		s.Do(t, "DELETE", "/api/v1/meta/objects/account/sharing-rules/east_read", o.admin, nil).Expect(t, 204)
		expectNames(t, names(t, s, o.repA.tok, "account", ""), "A1")

		// Manual sharing: only the owner (or above) shares; an edit share
		// lets rep A change B1; removing it ends that.
		share := map[string]any{"grantee": map[string]any{"type": "user", "id": o.repA.id}, "access": "edit"}
		s.Do(t, "POST", "/api/v1/records/account/"+str(a1["id"])+"/shares", o.repB.tok, share).Expect(t, 404)
		sh := s.Do(t, "POST", "/api/v1/records/account/"+str(b1["id"])+"/shares", o.repB.tok, share).Expect(t, 201).JSON(t)
		s.Do(t, "PATCH", "/api/v1/records/account/"+str(b1["id"]), o.repA.tok, map[string]any{"phone": "021-5555"}).Expect(t, 200)
		list := s.Do(t, "GET", "/api/v1/records/account/"+str(b1["id"])+"/shares", o.repA.tok, nil).Expect(t, 200).JSON(t)["data"].([]any)
		if len(list) != 1 || list[0].(map[string]any)["grantee_name"] != "rep.a" {
			t.Fatalf("shares = %v, want rep.a's", list)
		}
		s.Do(t, "DELETE", "/api/v1/records/account/"+str(b1["id"])+"/shares/"+str(sh["id"]), o.repA.tok, nil).Expect(t, 403)
		s.Do(t, "DELETE", "/api/v1/records/account/"+str(b1["id"])+"/shares/"+str(sh["id"]), o.repB.tok, nil).Expect(t, 204)
		s.Do(t, "GET", "/api/v1/records/account/"+str(b1["id"]), o.repA.tok, nil).Expect(t, 404)

		// Sharing with an org unit reaches its members and the units below.
		sales := s.Do(t, "POST", "/api/v1/org/units", o.admin, map[string]any{"name": "Sales"}).Expect(t, 201).JSON(t)
		east := s.Do(t, "POST", "/api/v1/org/units", o.admin, map[string]any{"name": "East team", "kind": "team", "parent_id": sales["id"]}).Expect(t, 201).JSON(t)
		unitID := str(east["id"])
		if err := s.App.PlaceUser(context.Background(), o.tenantID(t), o.repA.id, access.Placement{UnitID: &unitID, PermissionSets: &[]string{"sales_rep"}}); err != nil {
			t.Fatal(err)
		}
		s.Do(t, "POST", "/api/v1/records/account/"+str(b1["id"])+"/shares", o.repB.tok,
			map[string]any{"grantee": map[string]any{"type": "unit", "id": sales["id"]}, "access": "read", "reason": "team"}).Expect(t, 201)
		expectNames(t, names(t, s, o.repA.tok, "account", ""), "A1", "B1")
		// Purging a record takes its shares with it.
		s.Do(t, "DELETE", "/api/v1/records/account/"+str(b1["id"]), o.admin, nil).Expect(t, 204)
		s.Do(t, "POST", "/api/v1/records/account/"+str(b1["id"])+"/purge", o.admin, nil).Expect(t, 204)
		var left int64
		if err := s.App.DB.Gorm.Raw(`SELECT COUNT(*) FROM `+s.App.DB.Dialect.Table("acme", "_shares")+` WHERE record_id = ?`, str(b1["id"])).Scan(&left).Error; err != nil || left != 0 {
			t.Fatalf("%d shares (%v) outlived their purged record", left, err)
		}
	})
}

// The matrix: roles and permission sets × objects × actions × record
// scopes (own record, a peer's record), on private objects.
func TestAccess_PermissionMatrix(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		o := newSalesOrg(t, s, "acme")
		objects := []string{"lead", "contact"}
		grant := func(perms map[string]any) map[string]any {
			out := map[string]any{}
			for _, obj := range objects {
				out[obj] = perms
			}
			return out
		}
		for name, perms := range map[string]map[string]any{
			"reader":  {"read": true},
			"auditor": {"view_all": true},
			"boss":    {"create": true, "read": true, "edit": true, "delete": true, "modify_all": true},
			"worker":  {"create": true, "read": true, "edit": true},
			"remover": {"create": true, "read": true, "edit": true, "delete": true},
			"nobody":  {},
		} {
			s.Do(t, "POST", "/api/v1/permission-sets", o.admin, map[string]any{"api_name": "m_" + name, "name": name, "objects": grant(perms)}).Expect(t, 201)
		}
		key := "acme"
		users := map[string]member{
			"nobody":  o.addMember(t, key, "nobody", "sales_rep", []string{"m_nobody"}),
			"reader":  o.addMember(t, key, "reader", "sales_rep", []string{"m_reader"}),
			"auditor": o.addMember(t, key, "auditor", "sales_rep", []string{"m_auditor"}),
			"worker":  o.addMember(t, key, "worker", "sales_rep", []string{"m_worker"}),
			"remover": o.addMember(t, key, "remover", "sales_rep", []string{"m_remover"}),
			"boss":    o.addMember(t, key, "boss", "sales_rep", []string{"m_boss"}),
			// Above the reps in the role tree: the hierarchy opens their
			// records (edit, as the template's objects say).
			"manager": o.addMember(t, key, "manager", "team_lead", []string{"m_remover"}),
		}
		type row struct{ create, readOwn, readOther, editOwn, editOther, deleteOther int }
		want := map[string]row{
			"nobody":  {403, 0, 403, 0, 403, 403},
			"reader":  {403, 0, 404, 0, 403, 403},
			"auditor": {403, 0, 200, 0, 403, 403},
			"worker":  {201, 200, 404, 200, 404, 403},
			"remover": {201, 200, 404, 200, 404, 404},
			"manager": {201, 200, 200, 200, 200, 204},
			"boss":    {201, 200, 200, 200, 200, 204},
		}
		values := map[string]map[string]any{"lead": {"company": "X"}, "contact": {}}
		for _, object := range objects {
			for name, u := range users {
				w := want[name]
				other := create(t, s, o.repB.tok, object, merge(values[object], map[string]any{"name": "peer's " + name}))
				otherPath := "/api/v1/records/" + object + "/" + str(other["id"])
				r := s.Do(t, "POST", "/api/v1/records/"+object, u.tok, merge(values[object], map[string]any{"name": name + "'s"}))
				if r.Status != w.create {
					t.Fatalf("%s: %s create: %d, want %d", object, name, r.Status, w.create)
				}
				if w.create == 201 {
					own := "/api/v1/records/" + object + "/" + str(r.JSON(t)["id"])
					if st := s.Do(t, "GET", own, u.tok, nil).Status; st != w.readOwn {
						t.Fatalf("%s: %s read own: %d, want %d", object, name, st, w.readOwn)
					}
					if st := s.Do(t, "PATCH", own, u.tok, map[string]any{"title": "CEO"}).Status; st != w.editOwn {
						t.Fatalf("%s: %s edit own: %d, want %d", object, name, st, w.editOwn)
					}
				}
				if st := s.Do(t, "GET", otherPath, u.tok, nil).Status; st != w.readOther {
					t.Fatalf("%s: %s read a peer's: %d, want %d", object, name, st, w.readOther)
				}
				if st := s.Do(t, "PATCH", otherPath, u.tok, map[string]any{"title": "CTO"}).Status; st != w.editOther {
					t.Fatalf("%s: %s edit a peer's: %d, want %d", object, name, st, w.editOther)
				}
				if st := s.Do(t, "DELETE", otherPath, u.tok, nil).Status; st != w.deleteOther {
					t.Fatalf("%s: %s delete a peer's: %d, want %d", object, name, st, w.deleteOther)
				}
			}
		}
		// Admin capabilities follow the sets too.
		s.Do(t, "POST", "/api/v1/meta/objects", o.repA.tok, map[string]any{"api_name": "x", "label": "X"}).Expect(t, 403)
		s.Do(t, "GET", "/api/v1/records/lead/export", users["nobody"].tok, nil).Expect(t, 403)
		me := s.Do(t, "GET", "/api/v1/auth/me", users["auditor"].tok, nil).Expect(t, 200).JSON(t)
		perms, _ := me["permissions"].(map[string]any)
		if perms == nil || perms["objects"].(map[string]any)["lead"].(map[string]any)["view_all"] != true {
			t.Fatalf("auditor's /auth/me permissions = %v, want lead view_all", perms)
		}
	})
}

func merge(a, b map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

func TestAccess_FieldSecurity(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		o := newSalesOrg(t, s, "acme")
		s.Do(t, "POST", "/api/v1/permission-sets", o.admin, map[string]any{"api_name": "restricted_rep", "name": "Restricted rep",
			"capabilities": []string{"export"},
			"objects":      map[string]any{"account": map[string]any{"create": true, "read": true, "edit": true}},
			"fields":       map[string]any{"account": map[string]any{"annual_revenue": "hidden", "tier": "read_only"}}}).Expect(t, 201)
		rep := o.addMember(t, "acme", "restricted", "sales_rep", []string{"restricted_rep"})
		acct := create(t, s, o.admin, "account", map[string]any{"name": "Big Co", "annual_revenue": "1000000.00", "tier": "a", "owner_id": rep.id})
		path := "/api/v1/records/account/" + str(acct["id"])

		got := s.Do(t, "GET", path, rep.tok, nil).Expect(t, 200).JSON(t)
		if _, ok := got["annual_revenue"]; ok {
			t.Fatalf("the hidden field was returned: %v", got)
		}
		if got["tier"] != "a" {
			t.Fatalf("the read-only field is readable: tier = %v", got["tier"])
		}
		for _, list := range []string{"", "&fields=name,annual_revenue", "&filter=" + url.QueryEscape(`annual_revenue > 0`), "&sort=annual_revenue"} {
			r := s.Do(t, "GET", "/api/v1/records/account?limit=10"+list, rep.tok, nil)
			if list == "" {
				for _, rec := range r.Expect(t, 200).JSON(t)["data"].([]any) {
					if _, ok := rec.(map[string]any)["annual_revenue"]; ok {
						t.Fatal("the hidden field is in a list")
					}
				}
				continue
			}
			r.Expect(t, 400)
		}
		if f, code := s.Do(t, "PATCH", path, rep.tok, map[string]any{"annual_revenue": "1"}).Expect(t, 403).Problem(t); f != "annual_revenue" || code != "forbidden" {
			t.Fatalf("writing the hidden field blamed %s/%s", f, code)
		}
		if f, _ := s.Do(t, "PATCH", path, rep.tok, map[string]any{"tier": "b"}).Expect(t, 403).Problem(t); f != "tier" {
			t.Fatalf("writing the read-only field blamed %s", f)
		}
		s.Do(t, "PATCH", path, rep.tok, map[string]any{"phone": "010-1"}).Expect(t, 200)
		// Aggregates cannot sum what the caller cannot see.
		s.Do(t, "GET", "/api/v1/records/account/aggregate?group_by=tier&sum=annual_revenue", rep.tok, nil).Expect(t, 400)
		// Export leaves the column out.
		body := s.Do(t, "GET", "/api/v1/records/account/export", rep.tok, nil).Expect(t, 200).Body
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(body), "\ufeff"))).ReadAll()
		if err != nil || len(rows) < 2 {
			t.Fatalf("export: %v %v", rows, err)
		}
		for _, h := range rows[0] {
			if strings.Contains(strings.ToLower(h), "revenue") {
				t.Fatalf("export has the hidden column %q", h)
			}
		}
		// The rep's metadata does not describe the hidden field; the admin's does.
		for tok, want := range map[string]bool{rep.tok: false, o.admin: true} {
			has := false
			for _, f := range s.Do(t, "GET", "/api/v1/meta/objects/account", tok, nil).Expect(t, 200).JSON(t)["fields"].([]any) {
				has = has || f.(map[string]any)["api_name"] == "annual_revenue"
			}
			if has != want {
				t.Fatalf("metadata describes the hidden field: %v, want %v", has, want)
			}
		}
		// The metadata the caller reads says which fields are restricted.
		me := s.Do(t, "GET", "/api/v1/auth/me", rep.tok, nil).Expect(t, 200).JSON(t)
		fields := me["permissions"].(map[string]any)["fields"].(map[string]any)["account"].(map[string]any)
		if fields["annual_revenue"] != "hidden" || fields["tier"] != "read_only" {
			t.Fatalf("restricted fields = %v", fields)
		}
	})
}

func TestAccess_Transfer(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		o := newSalesOrg(t, s, "acme")
		acct := create(t, s, o.repA.tok, "account", map[string]any{"name": "Moving Co"})
		contact := create(t, s, o.repA.tok, "contact", map[string]any{"name": "Ann", "account_id": acct["id"]})
		foreign := create(t, s, o.admin, "contact", map[string]any{"name": "Admin's", "account_id": acct["id"]})
		body := map[string]any{"ids": []string{str(acct["id"])}, "owner_id": o.repB.id, "children": true}
		// Rep B cannot take rep A's account; the lead above them can move it.
		s.Do(t, "POST", "/api/v1/records/account/transfer", o.repB.tok, body).Expect(t, 404)
		res := s.Do(t, "POST", "/api/v1/records/account/transfer", o.lead.tok, body).Expect(t, 200).JSON(t)
		if jsonNum(res["transferred"]) != 1 || jsonNum(res["children"].(map[string]any)["contact"]) != 1 {
			t.Fatalf("transfer = %v, want the account and one contact", res)
		}
		if got := s.Do(t, "GET", "/api/v1/records/contact/"+str(contact["id"]), o.repB.tok, nil).Expect(t, 200).JSON(t); got["owner_id"] != o.repB.id {
			t.Fatalf("the contact's owner is %v, want rep B", got["owner_id"])
		}
		if got := s.Do(t, "GET", "/api/v1/records/contact/"+str(foreign["id"]), o.admin, nil).Expect(t, 200).JSON(t); got["owner_id"] == o.repB.id {
			t.Fatal("a child owned by someone else followed the transfer")
		}
		s.Do(t, "GET", "/api/v1/records/account/"+str(acct["id"]), o.repA.tok, nil).Expect(t, 404)
		// Owners must be active users of the tenant.
		if f, _ := s.Do(t, "POST", "/api/v1/records/account/transfer", o.admin, map[string]any{"ids": []string{str(acct["id"])}, "owner_id": "01a21074-5c17-7760-a04e-6efd273cb733"}).Expect(t, 400).Problem(t); f != "owner_id" {
			t.Fatalf("an unknown owner blamed %q", f)
		}
		s.Do(t, "PATCH", "/api/v1/records/account/"+str(acct["id"]), o.repB.tok, map[string]any{"owner_id": o.repA.id}).Expect(t, 200)
		// In bulk: every record moves with its own children, in one request;
		// one record the caller cannot see fails the whole request.
		x := create(t, s, o.repA.tok, "account", map[string]any{"name": "X"})
		y := create(t, s, o.repB.tok, "account", map[string]any{"name": "Y"})
		create(t, s, o.repA.tok, "contact", map[string]any{"name": "x1", "account_id": x["id"]})
		create(t, s, o.repB.tok, "contact", map[string]any{"name": "y1", "account_id": y["id"]})
		bulk := map[string]any{"ids": []string{str(x["id"]), str(y["id"])}, "owner_id": o.lead.id, "children": true}
		s.Do(t, "POST", "/api/v1/records/account/transfer", o.repA.tok, bulk).Expect(t, 404)
		if got := s.Do(t, "GET", "/api/v1/records/account/"+str(x["id"]), o.repA.tok, nil).Expect(t, 200).JSON(t); got["owner_id"] != o.repA.id {
			t.Fatal("a refused transfer moved a record")
		}
		res = s.Do(t, "POST", "/api/v1/records/account/transfer", o.lead.tok, bulk).Expect(t, 200).JSON(t)
		if jsonNum(res["transferred"]) != 2 || jsonNum(res["children"].(map[string]any)["contact"]) != 2 {
			t.Fatalf("bulk transfer = %v, want 2 accounts and 2 contacts", res)
		}
		expectNames(t, names(t, s, o.repA.tok, "contact", "")) // x1 left with X, Ann earlier
	})
}

func TestAccess_FieldHistoryAndAudit(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		o := newSalesOrg(t, s, "acme")
		s.Do(t, "PATCH", "/api/v1/meta/objects/opportunity/fields/amount", o.admin, map[string]any{"track_history": true}).Expect(t, 200)
		acct := create(t, s, o.repA.tok, "account", map[string]any{"name": "Hist"})
		opp := create(t, s, o.repA.tok, "opportunity", map[string]any{"name": "Deal", "account_id": acct["id"], "close_date": "2026-12-31", "amount": "100.00"})
		path := "/api/v1/records/opportunity/" + str(opp["id"])
		s.Do(t, "PATCH", path, o.repA.tok, map[string]any{"amount": "250.50", "next_step": "call"}).Expect(t, 200)
		s.Do(t, "PATCH", path, o.repA.tok, map[string]any{"amount": "250.5"}).Expect(t, 200) // same value: no history
		hist := s.Do(t, "GET", path+"/history", o.repA.tok, nil).Expect(t, 200).JSON(t)["data"].([]any)
		if len(hist) != 1 {
			t.Fatalf("history = %v, want one change of amount", hist)
		}
		h := hist[0].(map[string]any)
		if h["field"] != "amount" || h["old_value"] != "100.00" || h["new_value"] != "250.50" || h["changed_by_name"] != "rep.a" {
			t.Fatalf("history entry = %v", h)
		}
		s.Do(t, "GET", path+"/history", o.repB.tok, nil).Expect(t, 404)
		// The audit entry of the update holds before and after, in the
		// tenant's own log.
		var n int64
		table := s.App.DB.Dialect.Table("acme", "_audit_log")
		if err := s.App.DB.Gorm.Raw(`SELECT COUNT(*) FROM `+table+` WHERE action = 'record.update' AND record_id = ? AND before LIKE '%100.00%' AND after LIKE '%250.50%'`, str(opp["id"])).Scan(&n).Error; err != nil || n != 1 {
			t.Fatalf("audit entries for the update: %d (%v), want 1", n, err)
		}
		if err := s.App.DB.Gorm.Exec(`DELETE FROM ` + table).Error; err == nil {
			t.Fatal("the audit log accepted a DELETE")
		}
	})
}

func TestAccess_EncryptedFields(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		o := newSalesOrg(t, s, "acme")
		s.Do(t, "POST", "/api/v1/meta/objects/contact/fields", o.admin, map[string]any{"api_name": "id_number", "type": "text", "label": "ID number", "encrypted": true}).Expect(t, 201)
		// Only text-like fields can be encrypted, and never unique ones.
		s.Do(t, "POST", "/api/v1/meta/objects/contact/fields", o.admin, map[string]any{"api_name": "n", "type": "integer", "label": "N", "encrypted": true}).Expect(t, 400)
		s.Do(t, "POST", "/api/v1/meta/objects/contact/fields", o.admin, map[string]any{"api_name": "u", "type": "text", "label": "U", "encrypted": true, "unique": true}).Expect(t, 400)
		c := create(t, s, o.repA.tok, "contact", map[string]any{"name": "Secret Sam", "id_number": "110101199003071234"})
		if c["id_number"] != "110101199003071234" {
			t.Fatalf("the create answer shows %v", c["id_number"])
		}
		// At rest it is ciphertext.
		var raw string
		if err := s.App.DB.Gorm.Raw(`SELECT id_number FROM `+s.App.DB.Dialect.Table("acme", "contact")+` WHERE id = ?`, str(c["id"])).Scan(&raw).Error; err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(raw, "enc:") || strings.Contains(raw, "1234") {
			t.Fatalf("stored value %q is not ciphertext", raw)
		}
		// One record reads in clear; lists mask it for reps; the admin (who
		// holds unmask) sees it in clear.
		got := s.Do(t, "GET", "/api/v1/records/contact/"+str(c["id"]), o.repA.tok, nil).Expect(t, 200).JSON(t)
		if got["id_number"] != "110101199003071234" {
			t.Fatalf("get shows %v", got["id_number"])
		}
		list := s.Do(t, "GET", "/api/v1/records/contact", o.repA.tok, nil).Expect(t, 200).JSON(t)["data"].([]any)
		if v := list[0].(map[string]any)["id_number"]; v == "110101199003071234" || !strings.Contains(str(v), "*") {
			t.Fatalf("the rep's list shows %v, want it masked", v)
		}
		list = s.Do(t, "GET", "/api/v1/records/contact", o.admin, nil).Expect(t, 200).JSON(t)["data"].([]any)
		if v := list[0].(map[string]any)["id_number"]; v != "110101199003071234" {
			t.Fatalf("the admin's list shows %v, want it in clear", v)
		}
		// It cannot be filtered or sorted, and search skips it.
		s.Do(t, "GET", "/api/v1/records/contact?filter="+url.QueryEscape(`id_number == "1"`), o.repA.tok, nil).Expect(t, 400)
		s.Do(t, "GET", "/api/v1/records/contact?sort=id_number", o.repA.tok, nil).Expect(t, 400)
		if n := len(s.Do(t, "GET", "/api/v1/records/contact?q=1101", o.repA.tok, nil).Expect(t, 200).JSON(t)["data"].([]any)); n != 0 {
			t.Fatalf("quick search matched ciphertext or plaintext: %d results", n)
		}
		// Updates keep it encrypted; the audit log never holds the value.
		s.Do(t, "PATCH", "/api/v1/records/contact/"+str(c["id"]), o.repA.tok, map[string]any{"id_number": "220101199003071234"}).Expect(t, 200)
		var leaked int64
		s.App.DB.Gorm.Raw(`SELECT COUNT(*) FROM ` + s.App.DB.Dialect.Table("acme", "_audit_log") + ` WHERE after LIKE '%0101199003071234%' OR before LIKE '%0101199003071234%'`).Scan(&leaked)
		if leaked != 0 {
			t.Fatalf("%d audit entries hold the encrypted value", leaked)
		}
		// Turning encryption off is refused while values exist.
		s.Do(t, "PATCH", "/api/v1/meta/objects/contact/fields/id_number", o.admin, map[string]any{"encrypted": false}).Expect(t, 409)
	})
}

// Policies are per tenant (the casbin domain): a set with the same name in
// another tenant, changed there, changes nothing here.
func TestAccess_PoliciesStayInTheirTenant(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		alpha := newSalesOrg(t, s, "alpha")
		beta := newSalesOrg(t, s, "beta")
		create(t, s, beta.repA.tok, "account", map[string]any{"name": "beta A"})
		create(t, s, beta.repB.tok, "account", map[string]any{"name": "beta B"})
		set := s.Do(t, "GET", "/api/v1/permission-sets/sales_rep", alpha.admin, nil).Expect(t, 200).JSON(t)
		objects := set["objects"].(map[string]any)
		objects["account"] = map[string]any{"create": true, "read": true, "edit": true, "view_all": true}
		s.Do(t, "PUT", "/api/v1/permission-sets/sales_rep", alpha.admin, set).Expect(t, 200)
		create(t, s, alpha.repB.tok, "account", map[string]any{"name": "alpha B"})
		expectNames(t, names(t, s, alpha.repA.tok, "account", ""), "alpha B")
		expectNames(t, names(t, s, beta.repA.tok, "account", ""), "beta A")
		// The system set cannot be edited, and alpha's admin cannot read
		// beta's roles by id.
		s.Do(t, "PUT", "/api/v1/permission-sets/system_admin", alpha.admin, map[string]any{"name": "x"}).Expect(t, 409)
		s.Do(t, "PATCH", "/api/v1/org/roles/"+beta.roles["sales_rep"], alpha.admin, map[string]any{"name": "pwned"}).Expect(t, 404)
		s.Do(t, "PATCH", "/api/v1/users/"+beta.repA.id, alpha.admin, map[string]any{"role_id": alpha.roles["ceo"]}).Expect(t, 404)
	})
}

// Users carry their place in the organisation through the users API, and a
// user manager cannot hand out administration.
func TestAccess_UsersAPIPlacesUsers(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		o := newSalesOrg(t, s, "acme")
		u := s.Do(t, "POST", "/api/v1/users", o.admin, map[string]any{"email": "new@acme.test", "name": "New", "role": "member",
			"password": testserver.Password, "role_id": o.roles["team_lead"], "manager_id": o.direct.id, "permission_sets": []string{"sales_manager"}}).Expect(t, 201).JSON(t)["user"].(map[string]any)
		if u["role_id"] != o.roles["team_lead"] || u["manager_id"] != o.direct.id || toJSON(u["permission_sets"]) != `["sales_manager"]` {
			t.Fatalf("created user = %v", u)
		}
		id := str(u["id"])
		// A cycle of managers and unknown ids are refused, naming the field.
		if f, _ := s.Do(t, "PATCH", "/api/v1/users/"+o.direct.id, o.admin, map[string]any{"manager_id": id}).Expect(t, 400).Problem(t); f != "manager_id" {
			t.Fatalf("a manager cycle blamed %q", f)
		}
		if f, _ := s.Do(t, "PATCH", "/api/v1/users/"+id, o.admin, map[string]any{"permission_sets": []string{"nope"}}).Expect(t, 400).Problem(t); f != "permission_sets[0]" {
			t.Fatalf("an unknown set blamed %q", f)
		}
		got := s.Do(t, "PATCH", "/api/v1/users/"+id, o.admin, map[string]any{"role_id": nil, "name": "Renamed"}).Expect(t, 200).JSON(t)
		if got["role_id"] != nil || got["name"] != "Renamed" {
			t.Fatalf("after clearing the role: %v", got)
		}
		// A user manager (not an admin) may place users but not make admins
		// or hand out permission sets without manage_security.
		s.Do(t, "POST", "/api/v1/permission-sets", o.admin, map[string]any{"api_name": "hr", "name": "HR", "capabilities": []string{"manage_users"}}).Expect(t, 201)
		hr := o.addMember(t, "acme", "hr", "sales_rep", []string{"hr"})
		s.Do(t, "PATCH", "/api/v1/users/"+id, hr.tok, map[string]any{"role_id": o.roles["sales_rep"]}).Expect(t, 200)
		s.Do(t, "PATCH", "/api/v1/users/"+id, hr.tok, map[string]any{"role": "admin"}).Expect(t, 403)
		s.Do(t, "PATCH", "/api/v1/users/"+hr.id, hr.tok, map[string]any{"permission_sets": []string{"system_admin"}}).Expect(t, 403)
		s.Do(t, "POST", "/api/v1/users", hr.tok, map[string]any{"email": "x@acme.test", "role": "admin", "password": testserver.Password}).Expect(t, 403)
		list := s.Do(t, "GET", "/api/v1/users", o.admin, nil).Expect(t, 200).JSON(t)["data"].([]any)
		for _, u := range list {
			if _, ok := u.(map[string]any)["permission_sets"]; !ok {
				t.Fatalf("a listed user has no permission_sets: %v", u)
			}
		}
	})
}

// An API key acts as its owner, limited to the sets chosen for it, and
// needs the api capability; a key cannot hold a set its owner does not.
func TestAccess_APIKeysAreScopedToTheirSets(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		o := newSalesOrg(t, s, "acme")
		create(t, s, o.repA.tok, "account", map[string]any{"name": "Mine"})
		s.Do(t, "POST", "/api/v1/permission-sets", o.admin, map[string]any{"api_name": "api_reader", "name": "API reader",
			"capabilities": []string{"api"}, "objects": map[string]any{"account": map[string]any{"read": true}}}).Expect(t, 201)
		s.Do(t, "POST", "/api/v1/permission-sets", o.admin, map[string]any{"api_name": "plain_reader", "name": "Plain reader",
			"objects": map[string]any{"account": map[string]any{"read": true}}}).Expect(t, 201)
		if err := s.App.PlaceUser(context.Background(), o.tenantID(t), o.repA.id, access.Placement{PermissionSets: &[]string{"sales_rep", "api_reader", "plain_reader"}}); err != nil {
			t.Fatal(err)
		}
		if f, _ := s.Do(t, "POST", "/api/v1/api-keys", o.repA.tok, map[string]any{"name": "too much", "permission_sets": []string{"sales_manager"}}).Expect(t, 400).Problem(t); f != "permission_sets[0]" {
			t.Fatalf("a set the owner lacks blamed %q", f)
		}
		key := str(s.Do(t, "POST", "/api/v1/api-keys", o.repA.tok, map[string]any{"name": "reader", "permission_sets": []string{"api_reader"}}).Expect(t, 201).JSON(t)["key"])
		expectNames(t, names(t, s, key, "account", ""), "Mine")
		s.Do(t, "POST", "/api/v1/records/account", key, map[string]any{"name": "via key"}).Expect(t, 403)
		// A key whose sets lack the api capability is refused everywhere.
		noAPI := str(s.Do(t, "POST", "/api/v1/api-keys", o.repA.tok, map[string]any{"name": "no api", "permission_sets": []string{"plain_reader"}}).Expect(t, 201).JSON(t)["key"])
		s.Do(t, "GET", "/api/v1/records/account", noAPI, nil).Expect(t, 403)
		// A key is bound to its tenant: another tenant's ids are not found.
		other := newSalesOrg(t, s, "other")
		foreign := create(t, s, other.admin, "account", map[string]any{"name": "Foreign"})
		s.Do(t, "GET", "/api/v1/records/account/"+str(foreign["id"]), key, nil, "X-Tenant", "other").Expect(t, 404)
	})
}

// Metadata changes are logged with the definition before and after.
func TestAudit_MetadataChangesKeepBeforeAndAfter(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		admin := s.NewTenant(t, "acme", "sales")
		s.Do(t, "PATCH", "/api/v1/meta/objects/account", admin, map[string]any{"description": "Companies we sell to (v2)"}).Expect(t, 200)
		var before, after string
		table := s.App.DB.Dialect.Table("acme", "_audit_log")
		row := s.App.DB.Gorm.Raw(`SELECT before, after FROM ` + table + ` WHERE action = 'meta.object.update' AND record_id = 'account'`).Row()
		if err := row.Scan(&before, &after); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(before, "(v2)") || !strings.Contains(after, "(v2)") {
			t.Fatalf("before %q / after %q do not show the change", before[:80], after[:80])
		}
		s.Do(t, "PATCH", "/api/v1/tenant", admin, map[string]any{"name": "Acme Renamed"}).Expect(t, 200)
		row = s.App.DB.Gorm.Raw(`SELECT before, after FROM ` + table + ` WHERE action = 'tenant.update'`).Row()
		if err := row.Scan(&before, &after); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(before, "Acme Renamed") || !strings.Contains(after, "Acme Renamed") {
			t.Fatalf("tenant settings before %q / after %q", before, after)
		}
	})
}

// Concurrent organisation changes keep the member mirror consistent: every
// placement lands and the hierarchy sees all of them.
func TestAccess_ConcurrentPlacementsKeepTheHierarchy(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		o := newSalesOrg(t, s, "acme")
		var reps []member
		for i := 0; i < 6; i++ {
			reps = append(reps, o.addMember(t, "acme", fmt.Sprintf("r%d", i), "", nil))
		}
		var wg sync.WaitGroup
		errs := make(chan string, len(reps))
		for _, r := range reps {
			wg.Add(1)
			go func(id string) {
				defer wg.Done()
				res := s.Do(t, "PATCH", "/api/v1/users/"+id, o.admin, map[string]any{"role_id": o.roles["sales_rep"]})
				if res.Status != 200 {
					errs <- fmt.Sprintf("%d %s", res.Status, res.Body)
				}
			}(r.id)
		}
		wg.Wait()
		close(errs)
		for e := range errs {
			t.Fatal(e)
		}
		for i, r := range reps {
			create(t, s, r.tok, "account", map[string]any{"name": fmt.Sprintf("R%d", i)})
		}
		got := names(t, s, o.lead.tok, "account", "")
		if len(got) != len(reps) {
			t.Fatalf("the lead sees %v, want the %d new reps' accounts", got, len(reps))
		}
	})
}
