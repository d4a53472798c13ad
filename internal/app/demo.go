package app

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/tessera-crm/tessera/engine/record"
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

var demoReps = []identity.NewUserInput{
	{Email: "zhang.wei@demo.local", Name: "张伟"},
	{Email: "li.na@demo.local", Name: "李娜"},
	{Email: "wang.fang@demo.local", Name: "王芳"},
	{Email: "chen.jie@demo.local", Name: "Jack Chen"},
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
	owners := []string{admin.ID}
	for _, rep := range demoReps {
		rep.Password, rep.Role = password, identity.RoleMember
		u, err := a.Identity.CreateUser(ctx, t.ID, rep)
		if err != nil {
			return nil, fmt.Errorf("create demo user %s: %w", rep.Email, err)
		}
		owners = append(owners, u.ID)
	}
	snap, err := a.Snapshots.Get(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	ctx = identity.WithPrincipal(ctx, &identity.Principal{UserID: admin.ID, TenantID: t.ID, TenantKey: t.Key, Email: admin.Email, Role: identity.RoleAdmin})
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
