package metadata_test

import (
	"context"
	"testing"

	"github.com/tessera-crm/tessera/internal/database"
	"github.com/tessera-crm/tessera/internal/testutil"
	"github.com/tessera-crm/tessera/metadata"
)

func TestCreateObject_CreatesTableAndAddsField(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		tid := testutil.NewTenantRow(t, db, "acme")
		svc := metadata.NewService(db, nil)
		snap, err := svc.CreateObject(ctx, tid, &metadata.Object{APIName: "project", Labels: metadata.Labels{"en": "Project"}})
		if err != nil {
			t.Fatal(err)
		}
		if snap.Object("project").Field("name") == nil {
			t.Fatal("name field not added")
		}
		snap, err = svc.AddField(ctx, tid, "project", &metadata.Field{APIName: "budget", Type: metadata.TypeCurrency, Labels: metadata.Labels{"en": "Budget"}, Indexed: true})
		if err != nil {
			t.Fatal(err)
		}
		if snap.Version != 2 {
			t.Fatalf("version = %d, want 2", snap.Version)
		}
		err = db.Conn(ctx).Exec(`INSERT INTO `+db.Dialect.Table("acme", "project")+` (id, created_at, updated_at, name, budget) VALUES ('0190a0b0-0000-7000-8000-000000000001', ?, ?, 'x', '12.50')`, snap.Tenant.ID, snap.Tenant.ID).Error
		_ = err
	})
}
