package app_test

import (
	"context"
	"fmt"
	"net/url"
	"testing"

	"github.com/tessera-crm/tessera/internal/access"
	"github.com/tessera-crm/tessera/internal/identity"
	"github.com/tessera-crm/tessera/internal/testutil/testserver"
)

// The compiled grant must agree with casbin itself on every object action:
// permission sets are fuzzed from bytes, saved through the service (casbin
// policies in the database), and each action's answer from the grant is
// compared with casbin's Enforce plus the documented implications
// (modify_all implies view_all, edit and delete; view_all implies read).
func FuzzGrant_AgreesWithCasbin(f *testing.F) {
	f.Add([]byte{0x01, 0x02, 0x3f, 0x10})
	f.Add([]byte{0xff, 0x00, 0x20, 0x07, 0x08})
	f.Add([]byte{0x13, 0x37, 0x42})
	s := testserver.New(f, "sqlite", testserver.Options{})
	s.NewTenant(f, "fz", "sales")
	ctx := context.Background()
	tenant := s.Do(f, "GET", "/api/v1/tenant", s.Login(f, "fz", "admin@fz.test", testserver.Password), nil).Expect(f, 200).JSON(f)
	tenantID := str(tenant["id"])
	snap, err := s.App.Snapshots.Get(ctx, tenantID)
	if err != nil {
		f.Fatal(err)
	}
	rep, err := s.App.Identity.CreateUser(ctx, tenantID, identity.NewUserInput{Email: "fuzz@fz.test", Password: testserver.Password, Role: identity.RoleMember})
	if err != nil {
		f.Fatal(err)
	}
	objects := []string{"account", "contact", "lead", "opportunity", "product", "activity"}
	round := 0
	f.Fuzz(func(t *testing.T, data []byte) {
		round++
		var names []string
		for i := 0; i+1 < len(data) && len(names) < 3; i += 2 {
			ps := access.PermissionSet{APIName: fmt.Sprintf("fz_%d_%d", round, i), Name: "fuzz", Objects: map[string]access.ObjectPerms{}}
			o := objects[int(data[i])%len(objects)]
			bits := data[i+1]
			ps.Objects[o] = access.ObjectPerms{Create: bits&1 != 0, Read: bits&2 != 0, Edit: bits&4 != 0, Delete: bits&8 != 0, ViewAll: bits&16 != 0, ModifyAll: bits&32 != 0}
			if bits&64 != 0 {
				ps.Capabilities = []string{access.Capabilities[int(data[i])%len(access.Capabilities)]}
			}
			if _, err := s.App.Access.PutPermissionSet(ctx, snap, ps, true); err != nil {
				t.Fatalf("save %v: %v", ps, err)
			}
			names = append(names, ps.APIName)
		}
		if err := s.App.PlaceUser(ctx, tenantID, rep.ID, access.Placement{PermissionSets: &names}); err != nil {
			t.Fatal(err)
		}
		g, err := s.App.Access.Grant(ctx, &identity.Principal{UserID: rep.ID, TenantID: tenantID, TenantKey: "fz", Role: identity.RoleMember})
		if err != nil {
			t.Fatal(err)
		}
		enforce := func(o, act string) bool {
			ok, err := s.App.Access.Enforce(ctx, tenantID, rep.ID, "object:"+o, act)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		for _, o := range objects {
			all := enforce(o, access.ActModifyAll)
			view := enforce(o, access.ActViewAll) || all
			want := map[string]bool{
				access.ActCreate:    enforce(o, access.ActCreate),
				access.ActRead:      enforce(o, access.ActRead) || view,
				access.ActEdit:      enforce(o, access.ActEdit) || all,
				access.ActDelete:    enforce(o, access.ActDelete) || all,
				access.ActViewAll:   view,
				access.ActModifyAll: all,
			}
			for act, w := range want {
				if got := g.Can(o, act); got != w {
					t.Fatalf("sets %v: grant says %s %s = %v, casbin %v", names, act, o, got, w)
				}
			}
		}
		for _, c := range access.Capabilities {
			ok, _ := s.App.Access.Enforce(ctx, tenantID, rep.ID, "cap:"+c, "allow")
			if g.Has(c) != ok {
				t.Fatalf("sets %v: grant says capability %s = %v, casbin %v", names, c, g.Has(c), ok)
			}
		}
	})
}

// Sharing-rule input is fuzzed through the API: whatever the condition and
// grantee, the answer is a 201 or a 4xx naming a field, never a 500, and a
// saved rule never breaks the lists it applies to.
func FuzzSharingRule_Input(f *testing.F) {
	for _, c := range []string{`region == "east_china"`, `name contains "a" && tier in ["a", "b"]`, `annual_revenue > 10`, `owner_id == ""`,
		`1 +`, `"x"`, `region == 1`, `foo.bar == 2`, `len(name) > 2`, `name matches ".*"`, "\x00", `created_at > now()`} {
		f.Add(c, "role", "read")
	}
	f.Add(`region == "overseas"`, "user", "edit")
	f.Add(`tier == "a"`, "bogus", "write")
	s := testserver.New(f, "sqlite", testserver.Options{})
	admin := s.NewTenant(f, "fr", "sales")
	o := &salesOrg{s: s, admin: admin, roles: map[string]string{}}
	for _, r := range s.Do(f, "GET", "/api/v1/org/roles", admin, nil).Expect(f, 200).JSON(f)["data"].([]any) {
		m := r.(map[string]any)
		o.roles[str(m["api_name"])] = str(m["id"])
	}
	rep := o.addMember(f, "fr", "rep", "sales_rep", nil)
	n := 0
	f.Fuzz(func(t *testing.T, cond, grantee, level string) {
		n++
		id := o.roles["sales_rep"]
		if grantee == "user" {
			id = rep.id
		}
		rule := map[string]any{"api_name": fmt.Sprintf("r_%d", n), "labels": map[string]any{"en": "R"}, "condition": cond,
			"grantee": map[string]any{"type": grantee, "id": id}, "access": level, "active": true}
		r := s.Do(t, "POST", "/api/v1/meta/objects/account/sharing-rules", admin, rule)
		switch {
		case r.Status == 201:
			s.Do(t, "GET", "/api/v1/records/account?limit=5&filter="+url.QueryEscape(`name != ""`), rep.tok, nil).Expect(t, 200)
			s.Do(t, "DELETE", "/api/v1/meta/objects/account/sharing-rules/"+fmt.Sprintf("r_%d", n), admin, nil).Expect(t, 204)
		case r.Status == 400 || r.Status == 422:
			if f, _ := r.Problem(t); f == "" {
				t.Fatalf("condition %q: a 4xx without a field: %s", cond, r.Body)
			}
		default:
			t.Fatalf("condition %q grantee %q access %q: status %d: %s", cond, grantee, level, r.Status, r.Body)
		}
	})
}
