package bench

import (
	"context"
	"fmt"
	"testing"

	"github.com/tessera-crm/tessera/internal/testutil"
	"github.com/tessera-crm/tessera/tenants"
)

// BenchmarkProvisionSalesTenant times provisioning one tenant with the
// sales template on PostgreSQL: its row, schema, system tables, the
// template's seven tables with their indexes and foreign keys, the saved
// definitions and the first admin (an argon2id hash), in one transaction.
// Target: under 1 s.
func BenchmarkProvisionSalesTenant(b *testing.B) {
	postgresOnly(b)
	a := newApp(b, "postgres")
	ctx := context.Background()
	run := testutil.RandomSuffix()
	for i := 0; b.Loop(); i++ {
		key := fmt.Sprintf("p%s_%d", run, i)
		_, _, err := a.Tenants.Create(ctx, tenants.CreateInput{Key: key, Name: "Provisioned " + key, Locale: "en",
			AdminEmail: "admin@" + key + ".local", AdminPassword: AdminPassword})
		if err != nil {
			b.Fatalf("provision %s: %v", key, err)
		}
	}
}
