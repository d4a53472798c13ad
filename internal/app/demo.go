package app

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/tessera-crm/tessera/engine/record"
	"github.com/tessera-crm/tessera/internal/access"
	"github.com/tessera-crm/tessera/internal/identity"
	"github.com/tessera-crm/tessera/metadata"
	"github.com/tessera-crm/tessera/tenants"
	"github.com/tessera-crm/tessera/tenants/demo"
)

// Demo account names.
const (
	DemoTenant = "demo"
	DemoAdmin  = "admin@demo.local"
)

// demoReps is the demo sales team: a team lead (who sees the team's
// records through the role hierarchy) and three representatives.
var demoReps = []struct {
	identity.NewUserInput
	role string
	sets []string
}{
	{identity.NewUserInput{Email: "zhang.wei@demo.local", Name: "张伟"}, "team_lead", []string{"sales_manager"}},
	{identity.NewUserInput{Email: "li.na@demo.local", Name: "李娜"}, "sales_rep", nil},
	{identity.NewUserInput{Email: "wang.fang@demo.local", Name: "王芳"}, "sales_rep", nil},
	{identity.NewUserInput{Email: "chen.jie@demo.local", Name: "Jack Chen"}, "sales_rep", nil},
}

// DemoResult says what SeedDemo did.
type DemoResult struct {
	Created  bool
	Password string // set when it was generated
	Summary  demo.Summary
}

// SeedDemo creates the demo tenant with its users and sample data, but only
// on an empty database: an existing installation is never touched.
func (a *App) SeedDemo(ctx context.Context, password string) (*DemoResult, error) {
	existing, err := a.Tenants.List(ctx)
	if err != nil {
		return nil, err
	}
	if len(existing) > 0 {
		return &DemoResult{}, nil
	}
	res := &DemoResult{Created: true}
	if password == "" {
		password = identity.GeneratePassword()
		res.Password = password
	}
	t, admin, err := a.Tenants.Create(ctx, tenants.CreateInput{Key: DemoTenant, Name: "演示公司 Demo Trading Co.", Locale: "zh-CN",
		TimeZone: "Asia/Shanghai", Currency: "CNY", AdminEmail: DemoAdmin, AdminName: "管理员 Admin", AdminPassword: password})
	if err != nil {
		return nil, fmt.Errorf("create demo tenant: %w", err)
	}
	roles, err := a.Access.ListRoles(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	roleID := map[string]string{}
	for _, r := range roles {
		roleID[r.APIName] = r.ID
	}
	owners := []string{admin.ID}
	var lead string
	for _, rep := range demoReps {
		in := rep.NewUserInput
		in.Password, in.Role = password, identity.RoleMember
		u, err := a.Identity.CreateUser(ctx, t.ID, in)
		if err != nil {
			return nil, fmt.Errorf("create demo user %s: %w", in.Email, err)
		}
		place := access.Placement{RoleID: ptr(roleID[rep.role])}
		if rep.sets != nil {
			place.PermissionSets = &rep.sets
		}
		if lead != "" {
			place.ManagerID = &lead
		} else {
			lead = u.ID
		}
		if err := a.PlaceUser(ctx, t.ID, u.ID, place); err != nil {
			return nil, fmt.Errorf("place demo user %s: %w", in.Email, err)
		}
		owners = append(owners, u.ID)
	}
	snap, err := a.Snapshots.Get(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	ctx, err = a.ActAs(ctx, &identity.Principal{UserID: admin.ID, TenantID: t.ID, TenantKey: t.Key, Email: admin.Email, Name: admin.Name, Role: identity.RoleAdmin})
	if err != nil {
		return nil, err
	}
	w := &demoWriter{records: a.Records, snap: snap, owners: owners}
	res.Summary, err = demo.Generate(ctx, w, demo.Options{Seed: 2026, Now: time.Now().UTC()})
	if err != nil {
		return nil, fmt.Errorf("generate demo data: %w", err)
	}
	return res, nil
}

// demoWriter writes the generated records through the records service, in
// atomic batches, spreading ownership over the demo team.
type demoWriter struct {
	records *record.Service
	snap    *metadata.Snapshot
	owners  []string
	next    int
}

func (w *demoWriter) CreateMany(ctx context.Context, object string, recs []map[string]any) ([]string, error) {
	ops := make([]record.BulkOp, len(recs))
	for i, r := range recs {
		if _, ok := r["owner_id"]; !ok {
			r["owner_id"] = w.owners[w.next%len(w.owners)]
			w.next++
		}
		ops[i] = record.BulkOp{Op: record.OpCreate, Values: r}
	}
	results, err := w.records.Bulk(ctx, w.snap, object, ops)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(results))
	for i, r := range results {
		ids[i] = r.ID
	}
	return ids, nil
}

func seedDemoMessage(r *DemoResult) string {
	if !r.Created {
		return "demo: the database already has tenants; nothing seeded"
	}
	msg := fmt.Sprintf("demo: tenant %q created with %d records; log in as %s", DemoTenant, r.Summary.Total(), DemoAdmin)
	if r.Password != "" {
		msg += fmt.Sprintf(" with password %s (generated, shown once; set TESSERA_DEMO_PASSWORD to choose it)", r.Password)
	} else {
		msg += " with the password in TESSERA_DEMO_PASSWORD"
	}
	return msg
}

// SeedDemoAndReport seeds and prints the outcome for the operator.
func (a *App) SeedDemoAndReport(ctx context.Context) error {
	r, err := a.SeedDemo(ctx, os.Getenv("TESSERA_DEMO_PASSWORD"))
	if err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, seedDemoMessage(r))
	return nil
}

func ptr[T any](v T) *T { return &v }

// PlaceUser gives a user their place in the organisation and their
// permission sets; without sets named, the tenant's default sets.
func (a *App) PlaceUser(ctx context.Context, tenantID, userID string, p access.Placement) error {
	if p.PermissionSets == nil {
		sets, err := a.Access.DefaultSets(ctx, tenantID)
		if err != nil {
			return err
		}
		p.PermissionSets = &sets
	}
	if err := a.DB.InTx(ctx, func(ctx context.Context) error { return a.Access.Place(ctx, tenantID, userID, p) }); err != nil {
		return err
	}
	a.Access.Changed(ctx, tenantID)
	return nil
}

// ActAs returns ctx acting as p, with p's access grant, for work the
// server does on a user's behalf (seeding, benchmarks).
func (a *App) ActAs(ctx context.Context, p *identity.Principal) (context.Context, error) {
	ctx = identity.WithPrincipal(ctx, p)
	g, err := a.Access.Grant(ctx, p)
	if err != nil {
		return nil, err
	}
	return access.WithGrant(ctx, g), nil
}
