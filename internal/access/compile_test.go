package access

import (
	"testing"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"
)

func enforcerWith(t *testing.T, rules ...[]string) *casbin.Enforcer {
	t.Helper()
	m, err := model.NewModelFromString(modelText)
	if err != nil {
		t.Fatal(err)
	}
	e, err := casbin.NewEnforcer(m)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rules {
		if _, err := e.AddPolicy(r); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

// A field's level is the most permissive among the sets that may read its
// object; a set that cannot read the object does not open its fields.
func TestCompile_FieldLevelsAreTheUnionOfReadingSets(t *testing.T) {
	e := enforcerWith(t,
		[]string{"ps:a", "t1", "object:account", "read"},
		[]string{"ps:a", "t1", "field:account.revenue", "hidden"},
		[]string{"ps:a", "t1", "field:account.tier", "hidden"},
		[]string{"ps:a", "t1", "field:account.phone", "read_only"},
		[]string{"ps:b", "t1", "object:account", "edit"},
		[]string{"ps:b", "t1", "object:account", "read"},
		[]string{"ps:b", "t1", "field:account.tier", "read_only"},
		[]string{"ps:c", "t1", "field:account.revenue", "read_only"}, // c cannot read accounts
		[]string{"ps:x", "t2", "object:account", "modify_all"},       // another tenant
	)
	p := compile(e, "t1", []string{"a", "b", "c"})
	want := map[string]string{"revenue": FieldEditable, "tier": FieldReadOnly, "phone": FieldEditable}
	g := &Grant{perms: p}
	for f, level := range want {
		if got := g.FieldLevel("account", f); got != level {
			t.Errorf("%s = %s, want %s", f, got, level)
		}
	}
	only := &Grant{perms: compile(e, "t1", []string{"a", "c"})}
	if got := only.FieldLevel("account", "revenue"); got != FieldHidden {
		t.Errorf("with a and c, revenue = %s, want hidden (c cannot read accounts)", got)
	}
	if g.Can("account", ActModifyAll) || g.Can("account", ActDelete) {
		t.Error("another tenant's policy leaked into the grant")
	}
	if !g.Can("account", ActEdit) || g.Can("contact", ActRead) {
		t.Errorf("object permissions = %+v", g.Object("account"))
	}
}

func TestCompile_WildcardIsEverything(t *testing.T) {
	e := enforcerWith(t, []string{"ps:system_admin", "t1", "*", "*"})
	g := &Grant{perms: compile(e, "t1", []string{"system_admin"})}
	for _, act := range ObjectActions {
		if !g.Can("anything", act) {
			t.Errorf("the wildcard set may not %s", act)
		}
	}
	for _, c := range Capabilities {
		if !g.Has(c) {
			t.Errorf("the wildcard set lacks %s", c)
		}
	}
}

func TestOrg_ReachFollowsRolesAndUnits(t *testing.T) {
	ptr := func(s string) *string { return &s }
	o := &Org{Roles: map[string]*Role{}, Units: map[string]*Unit{}, Members: map[string]*Member{}, children: map[string][]string{}, usersByRole: map[string][]string{}}
	for _, r := range []*Role{{ID: "vp"}, {ID: "dir", ParentID: ptr("vp")}, {ID: "lead", ParentID: ptr("dir")}, {ID: "rep", ParentID: ptr("lead")}, {ID: "other", ParentID: ptr("vp")}} {
		o.Roles[r.ID] = r
		if r.ParentID != nil {
			o.children[*r.ParentID] = append(o.children[*r.ParentID], r.ID)
		}
	}
	o.Units["sales"] = &Unit{ID: "sales"}
	o.Units["east"] = &Unit{ID: "east", ParentID: ptr("sales")}
	for id, role := range map[string]string{"u-dir": "dir", "u-lead": "lead", "u-rep1": "rep", "u-rep2": "rep", "u-other": "other"} {
		o.Members[id] = &Member{ID: id, RoleID: ptr(role), UnitID: ptr("east")}
		o.usersByRole[role] = append(o.usersByRole[role], id)
	}
	_, owners, grantees := o.reach("u-dir")
	if len(owners) != 4 || owners[0] != "u-dir" {
		t.Errorf("the director reaches %v, want themselves, the lead and both reps", owners)
	}
	_, owners, _ = o.reach("u-rep1")
	if len(owners) != 1 {
		t.Errorf("a rep reaches %v, want only themselves (not their peer)", owners)
	}
	want := map[string]bool{"u:u-dir": true, "r:dir": true, "rs:dir": true, "rs:vp": true, "g:east": true, "g:sales": true}
	if len(grantees) != len(want) {
		t.Errorf("grantees = %v", grantees)
	}
	for _, g := range grantees {
		if !want[g] {
			t.Errorf("unexpected grantee %s", g)
		}
	}
	// A cycle (which writes refuse) cannot hang the walk.
	o.Roles["vp"].ParentID = ptr("rep")
	o.reach("u-dir")
}
