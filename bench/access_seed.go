package bench

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/tessera-crm/tessera/internal/access"
	"github.com/tessera-crm/tessera/internal/identity"
	"github.com/tessera-crm/tessera/internal/sqldialect"
	"github.com/tessera-crm/tessera/metadata"
)

// The organisation the record-access benchmarks run in: under the sales
// template's ceo (the admin) and sales_vp roles, Directors regional
// director roles, each with TeamsPerDirector team-lead roles, each with one
// representative role; one user per director and lead role, the rest of
// Users are representatives spread evenly over the teams. Five levels:
// ceo → vp → director → lead → rep.
const (
	OrgDirectors        = 5
	OrgTeamsPerDirector = 5
	OrgUsers            = 1000
	// MemberSet is the permission set every member of the organisation
	// holds: the sales_rep set's objects, with account.phone hidden (so
	// that field-level security projects the snapshot too).
	MemberSet   = "bench_member"
	HiddenField = "phone"
)

// Org is the organisation SeedOrg created. Every user is active and holds
// MemberSet only.
type Org struct {
	VP        *identity.Principal
	Directors []*identity.Principal
	Leads     []*identity.Principal   // one per team
	Reps      [][]*identity.Principal // per team
}

// AllReps returns the representatives, team after team.
func (o *Org) AllReps() []*identity.Principal {
	var out []*identity.Principal
	for _, t := range o.Reps {
		out = append(out, t...)
	}
	return out
}

// SeedOrg creates MemberSet, the role tree and OrgUsers-1 members (the
// admin is the first user). Users are inserted with SQL under one password
// hash (an argon2id hash per user would take minutes), their permission
// sets assigned with access.Service.AssignSets in one transaction, then the
// cached access of the tenant is dropped.
func (s *Session) SeedOrg(_ context.Context) (*Org, error) {
	a, tid := s.App, s.Tenant.ID
	ctx := s.Ctx // acting as the admin
	ps := access.PermissionSet{APIName: MemberSet, Name: "Bench member", Capabilities: []string{access.CapExport, access.CapAPI},
		Objects: map[string]access.ObjectPerms{}, Fields: map[string]map[string]string{"account": {HiddenField: access.FieldHidden}}}
	for _, o := range []string{"account", "contact", "lead", "opportunity", "activity"} {
		ps.Objects[o] = access.ObjectPerms{Create: true, Read: true, Edit: true}
	}
	ps.Objects["product"] = access.ObjectPerms{Read: true}
	if _, err := a.Access.PutPermissionSet(ctx, s.Snap, ps, true); err != nil {
		return nil, fmt.Errorf("permission set %s: %w", MemberSet, err)
	}

	roles, err := a.Access.ListRoles(ctx, tid)
	if err != nil {
		return nil, err
	}
	var vpRole string
	for _, r := range roles {
		if r.APIName == "sales_vp" {
			vpRole = r.ID
		}
	}
	if vpRole == "" {
		return nil, fmt.Errorf("the sales template has no sales_vp role")
	}
	role := func(apiName, parent string) (string, error) {
		r, err := a.Access.CreateRole(ctx, tid, access.RoleInput{APIName: &apiName, Name: &apiName, ParentID: &parent})
		if err != nil {
			return "", fmt.Errorf("role %s: %w", apiName, err)
		}
		return r.ID, nil
	}

	hash, err := identity.HashPassword(AdminPassword)
	if err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	type userRow struct {
		p       *identity.Principal
		role    string
		manager any
	}
	var rows []userRow
	user := func(email, name, roleID string, manager *identity.Principal) *identity.Principal {
		p := &identity.Principal{UserID: uuid.Must(uuid.NewV7()).String(), TenantID: tid, TenantKey: s.Tenant.Key,
			Email: email, Name: name, Role: identity.RoleMember}
		var m any
		if manager != nil {
			m = manager.UserID
		}
		rows = append(rows, userRow{p, roleID, m})
		return p
	}
	org := &Org{}
	org.VP = user("vp@bench.local", "VP", vpRole, nil)
	teams := OrgDirectors * OrgTeamsPerDirector
	reps := OrgUsers - 2 - OrgDirectors - teams // admin, vp, directors, leads
	for d := range OrgDirectors {
		dRole, err := role(fmt.Sprintf("director_%d", d+1), vpRole)
		if err != nil {
			return nil, err
		}
		dir := user(fmt.Sprintf("director%d@bench.local", d+1), fmt.Sprintf("Director %d", d+1), dRole, org.VP)
		org.Directors = append(org.Directors, dir)
		for t := range OrgTeamsPerDirector {
			team := d*OrgTeamsPerDirector + t
			lRole, err := role(fmt.Sprintf("lead_%d", team+1), dRole)
			if err != nil {
				return nil, err
			}
			rRole, err := role(fmt.Sprintf("rep_%d", team+1), lRole)
			if err != nil {
				return nil, err
			}
			lead := user(fmt.Sprintf("lead%d@bench.local", team+1), fmt.Sprintf("Lead %d", team+1), lRole, dir)
			org.Leads = append(org.Leads, lead)
			n := reps / teams
			if team < reps%teams {
				n++
			}
			var members []*identity.Principal
			for i := range n {
				members = append(members, user(fmt.Sprintf("rep%d.%d@bench.local", team+1, i+1), fmt.Sprintf("Rep %d.%d", team+1, i+1), rRole, lead))
			}
			org.Reps = append(org.Reps, members)
		}
	}

	err = a.DB.InTx(ctx, func(ctx context.Context) error {
		conn := a.DB.Conn(ctx)
		const batch = 100
		for start := 0; start < len(rows); start += batch {
			chunk := rows[start:min(start+batch, len(rows))]
			var vals []string
			var args []any
			for _, r := range chunk {
				vals = append(vals, "(?, ?, ?, ?, ?, 'member', 'active', '', '', ?, ?, ?, ?)")
				args = append(args, tid, r.p.UserID, r.p.Email, r.p.Name, hash, now, now, r.role, r.manager)
			}
			if err := conn.Exec(`INSERT INTO users (tenant_id, id, email, name, password_hash, role, status, locale, time_zone, created_at, updated_at, role_id, manager_id) VALUES `+
				strings.Join(vals, ", "), args...).Error; err != nil {
				return fmt.Errorf("insert users: %w", err)
			}
		}
		for _, r := range rows {
			if err := a.Access.AssignSets(ctx, tid, r.p.UserID, []string{MemberSet}); err != nil {
				return fmt.Errorf("assign %s: %w", r.p.Email, err)
			}
		}
		// The users' roles were written directly: mirror them for the
		// hierarchy predicate.
		return a.Access.SyncMembers(ctx, tid)
	})
	if err != nil {
		return nil, err
	}
	a.Access.Changed(ctx, tid)
	return org, nil
}

// SeedOwnedAccounts inserts n accounts with SQL, in statements of 1,000
// rows, owned round-robin by owners: account i belongs to owners[i %
// len(owners)], so every owner's accounts are spread over the whole table
// in time. Ids are UUIDv7 in insertion order and created_at grows with
// them by a second per account, as if created one after another; name,
// account_number, industry, region and lifecycle_stage are filled.
// Writing through the records service would cost minutes for 100,000
// rows and is not what is measured.
func (s *Session) SeedOwnedAccounts(ctx context.Context, n int, owners []string) error {
	d := s.App.DB.Dialect.Name()
	table := metadata.DDL{D: s.App.DB.Dialect, Key: s.Tenant.Key}.Table("account")
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	const batch = 1000
	return s.App.DB.InTx(ctx, func(ctx context.Context) error {
		conn := s.App.DB.Conn(ctx)
		for from := 0; from < n; from += batch {
			var vals []string
			var args []any
			for i := from; i < min(from+batch, n); i++ {
				at := metadata.BindValue(d, sqldialect.KindDatetime, 0, start.Add(time.Duration(i)*time.Second))
				vals = append(vals, "(?, ?, ?, ?, 1, ?, ?, ?, ?, ?)")
				args = append(args, uuid.Must(uuid.NewV7()).String(), owners[i%len(owners)], at, at,
					fmt.Sprintf("Bench Account %06d", i), fmt.Sprintf("AC-%06d", i+1),
					industries[i%len(industries)], regions[(i/7)%len(regions)], "prospect")
			}
			q := fmt.Sprintf(`INSERT INTO %s (id, owner_id, created_at, updated_at, version, name, account_number, industry, region, lifecycle_stage) VALUES %s`,
				table, strings.Join(vals, ", "))
			if err := conn.Exec(q, args...).Error; err != nil {
				return fmt.Errorf("insert accounts %d-: %w", from, err)
			}
		}
		return nil
	})
}
