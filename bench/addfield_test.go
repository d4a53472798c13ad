package bench

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/tessera-crm/tessera/metadata"
)

// bigRows is the size of the table a field is added to.
const bigRows = 1_000_000

// fieldsPerBigTable bounds the fields added to one object before the
// benchmark moves on to a fresh million-row object: an object holds at most
// metadata.MaxFieldsPerObject fields, and every added field makes the saved
// definition (read and written by the next change) longer.
const fieldsPerBigTable = 200

// BenchmarkAddFieldToMillionRowTable times adding a text field to a custom
// object whose table holds a million rows, on PostgreSQL: the metadata
// transaction (version bump, snapshot load, validation, ALTER TABLE, saving
// the definition). A nullable column without a default changes only the
// catalog, so the time must not grow with the table. Target: under 100 ms.
func BenchmarkAddFieldToMillionRowTable(b *testing.B) {
	if testing.Short() {
		b.Skip("fills a million-row table; skipped with -short")
	}
	postgresOnly(b)
	a := newApp(b, "postgres")
	ctx := context.Background()
	s, err := Provision(ctx, a)
	if err != nil {
		b.Fatal(err)
	}
	var object string
	tables := 0
	for i := 0; b.Loop(); i++ {
		if i%fieldsPerBigTable == 0 {
			b.StopTimer()
			tables++
			object = fmt.Sprintf("big_%d", tables)
			start := time.Now()
			if err := createBigObject(ctx, s, object); err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: %d rows in %s", object, bigRows, time.Since(start).Round(time.Millisecond))
			b.StartTimer()
		}
		f := &metadata.Field{APIName: fmt.Sprintf("f%d", i), Type: metadata.TypeText, Labels: metadata.Labels{"en": "F"}}
		if _, err := a.Meta.AddField(ctx, s.Tenant.ID, object, f); err != nil {
			b.Fatalf("add field %s to %s: %v", f.APIName, object, err)
		}
	}
}

// createBigObject creates a custom object with a text field and fills its
// table with bigRows rows in one statement, then vacuums and analyzes it so
// that the timed changes do not pay for hint bits or autovacuum.
func createBigObject(ctx context.Context, s *Session, object string) error {
	a := s.App
	_, err := a.Meta.CreateObject(ctx, s.Tenant.ID, &metadata.Object{APIName: object, Labels: metadata.Labels{"en": "Big"},
		NameField: "name", Fields: []*metadata.Field{{APIName: "name", Type: metadata.TypeText, Labels: metadata.Labels{"en": "Name"}}}})
	if err != nil {
		return fmt.Errorf("create object %s: %w", object, err)
	}
	table := metadata.DDL{D: a.DB.Dialect, Key: TenantKey}.Table(object)
	fill := fmt.Sprintf(`INSERT INTO %s (id, created_at, updated_at, version, name)
		SELECT gen_random_uuid(), now(), now(), 1, 'row ' || g FROM generate_series(1, %d) g`, table, bigRows)
	if err := a.DB.Gorm.WithContext(ctx).Exec(fill).Error; err != nil {
		return fmt.Errorf("fill %s: %w", object, err)
	}
	if err := a.DB.Gorm.WithContext(ctx).Exec("VACUUM ANALYZE " + table).Error; err != nil {
		return fmt.Errorf("vacuum %s: %w", object, err)
	}
	return nil
}
