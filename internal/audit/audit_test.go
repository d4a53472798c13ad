package audit_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/tessera-crm/tessera/internal/audit"
	"github.com/tessera-crm/tessera/internal/database"
	"github.com/tessera-crm/tessera/internal/identity"
	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/internal/testutil"
	"github.com/tessera-crm/tessera/metadata"
)

// addUser inserts a platform user row and returns a context acting as them.
func addUser(t *testing.T, db *database.DB, tenantID, tenantKey, name string) (context.Context, string) {
	t.Helper()
	id := uuid.Must(uuid.NewV7()).String()
	now := time.Now().UTC()
	if err := db.Gorm.Exec(`INSERT INTO users (tenant_id, id, email, name, password_hash, role, status, locale, time_zone, created_at, updated_at)
		VALUES (?, ?, ?, ?, 'x', 'member', 'active', '', '', ?, ?)`, tenantID, id, id+"@test", name, now, now).Error; err != nil {
		t.Fatalf("add user: %v", err)
	}
	p := &identity.Principal{UserID: id, TenantID: tenantID, TenantKey: tenantKey, Name: name, Role: identity.RoleMember}
	return identity.WithPrincipal(context.Background(), p), id
}

func write(t *testing.T, ctx context.Context, db *database.DB, key string, e audit.Entry) {
	t.Helper()
	if err := db.InTx(ctx, func(ctx context.Context) error { return audit.Write(ctx, db, key, e) }); err != nil {
		t.Fatalf("write %s: %v", e.Action, err)
	}
}

func list(t *testing.T, db *database.DB, key string, q audit.Query) *audit.Page {
	t.Helper()
	page, err := audit.List(context.Background(), db, key, q)
	if err != nil {
		t.Fatalf("list %+v: %v", q, err)
	}
	return page
}

func actions(p *audit.Page) []string {
	out := []string{}
	for _, e := range p.Data {
		out = append(out, e.Action)
	}
	return out
}

func expectActions(t *testing.T, p *audit.Page, want ...string) {
	t.Helper()
	if got := actions(p); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("actions %v, want %v", got, want)
	}
}

func TestList_FiltersNewestFirstAndOnlyCommittedEntries(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, db *database.DB) {
		tenantID := testutil.NewTenantRow(t, db, "acme")
		ctx, userID := addUser(t, db, tenantID, "acme", "Li Lei")
		rec := uuid.Must(uuid.NewV7()).String()
		write(t, ctx, db, "acme", audit.Entry{Action: "record.create", Object: "account", RecordID: rec, Summary: "Created account Northwind", After: map[string]any{"name": "Northwind"}})
		write(t, ctx, db, "acme", audit.Entry{Action: "record.update", Object: "account", RecordID: rec, Summary: "Renamed to Northwind Traders",
			Before: map[string]any{"name": "Northwind"}, After: json.RawMessage(`{"name":"Northwind Traders"}`)})
		mid := time.Now().UTC()
		time.Sleep(5 * time.Millisecond)
		write(t, context.Background(), db, "acme", audit.Entry{Action: "metadata.field_add", Object: "account", Summary: "Added field 100%_sure"})
		// A rolled-back change leaves no entry.
		err := db.InTx(ctx, func(ctx context.Context) error {
			if err := audit.Write(ctx, db, "acme", audit.Entry{Action: "record.delete", Object: "account", RecordID: rec}); err != nil {
				return err
			}
			return errors.New("roll back")
		})
		if err == nil {
			t.Fatal("rollback did not happen")
		}

		all := list(t, db, "acme", audit.Query{})
		expectActions(t, all, "metadata.field_add", "record.update", "record.create")
		upd := all.Data[1]
		if upd.ActorID == nil || *upd.ActorID != userID || upd.ActorKind != audit.ActorUser || upd.ActorName != "Li Lei" ||
			upd.Object != "account" || upd.RecordID != rec || upd.At == "" || upd.ID == "" {
			t.Fatalf("entry %+v", upd)
		}
		if string(upd.Before) != `{"name":"Northwind"}` || string(upd.After) != `{"name":"Northwind Traders"}` {
			t.Fatalf("before %s after %s", upd.Before, upd.After)
		}
		if sys := all.Data[0]; sys.ActorID != nil || sys.ActorKind != audit.ActorSystem || string(sys.Before) != "null" {
			t.Fatalf("system entry %+v", sys)
		}

		expectActions(t, list(t, db, "acme", audit.Query{Action: "record."}), "record.update", "record.create")
		expectActions(t, list(t, db, "acme", audit.Query{Action: "record.create"}), "record.create")
		expectActions(t, list(t, db, "acme", audit.Query{Action: "record"})) // neither exact nor a prefix
		expectActions(t, list(t, db, "acme", audit.Query{ActorID: userID}), "record.update", "record.create")
		expectActions(t, list(t, db, "acme", audit.Query{ActorID: strings.ToUpper(userID)}), "record.update", "record.create")
		expectActions(t, list(t, db, "acme", audit.Query{Object: "account", RecordID: rec}), "record.update", "record.create")
		expectActions(t, list(t, db, "acme", audit.Query{From: mid}), "metadata.field_add")
		expectActions(t, list(t, db, "acme", audit.Query{To: mid}), "record.update", "record.create")
		expectActions(t, list(t, db, "acme", audit.Query{Q: "northWIND"}), "record.update", "record.create")
		expectActions(t, list(t, db, "acme", audit.Query{Q: "100%_"}), "metadata.field_add")
		expectActions(t, list(t, db, "acme", audit.Query{Q: "%"}), "metadata.field_add") // % is literal

		bad := []struct {
			q     audit.Query
			param string
		}{
			{audit.Query{Limit: 201}, "limit"},
			{audit.Query{Limit: -1}, "limit"},
			{audit.Query{ActorID: "bob"}, "actor_id"},
			{audit.Query{Action: "record.*"}, "action"},
			{audit.Query{Cursor: "nope"}, "cursor"},
			{audit.Query{From: mid, To: mid.Add(-time.Hour)}, "to"},
		}
		for _, c := range bad {
			_, err := audit.List(context.Background(), db, "acme", c.q)
			var pe *problem.Error
			if !errors.As(err, &pe) || pe.Status != 400 || len(pe.Errors) == 0 || pe.Errors[0].Field != c.param {
				t.Errorf("List(%+v) = %v, want a 400 naming %s", c.q, err, c.param)
			}
		}
	})
}

func TestList_KeysetPagingVisitsEveryEntryOnce(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, db *database.DB) {
		testutil.NewTenantRow(t, db, "acme")
		// Entries written in one transaction may share a timestamp; the id
		// breaks the tie.
		err := db.InTx(context.Background(), func(ctx context.Context) error {
			for i := range 7 {
				if err := audit.Write(ctx, db, "acme", audit.Entry{Action: "record.update", Summary: fmt.Sprint(i)}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var seen []string
		q := audit.Query{Limit: 3}
		for pages := 0; ; pages++ {
			if pages > 5 {
				t.Fatal("paging does not end")
			}
			p := list(t, db, "acme", q)
			for _, e := range p.Data {
				seen = append(seen, e.Summary)
			}
			if p.NextCursor == nil {
				break
			}
			q.Cursor = *p.NextCursor
		}
		if strings.Join(seen, "") != "6543210" {
			t.Fatalf("paged through %v, want 6..0 once each", seen)
		}
	})
}

func TestAuditLog_RefusesUpdateAndDelete(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, db *database.DB) {
		testutil.NewTenantRow(t, db, "acme")
		write(t, context.Background(), db, "acme", audit.Entry{Action: "record.create", Summary: "original"})
		table := db.Dialect.Table("acme", metadata.TableAuditLog)
		for _, stmt := range []string{`UPDATE ` + table + ` SET summary = 'forged'`, `DELETE FROM ` + table} {
			err := db.Gorm.Exec(stmt).Error
			if err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: %v, want the append-only trigger to refuse it", stmt, err)
			}
		}
		if p := list(t, db, "acme", audit.Query{}); len(p.Data) != 1 || p.Data[0].Summary != "original" {
			t.Fatalf("log after tampering: %+v", p.Data)
		}
	})
}

func TestExport_WritesEveryMatchingEntryAsNeutralisedCSV(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, db *database.DB) {
		testutil.NewTenantRow(t, db, "acme")
		for i := range 3 {
			write(t, context.Background(), db, "acme", audit.Entry{Action: "record.update", Object: "lead", Summary: fmt.Sprintf("=HYPERLINK(%d)", i), After: map[string]any{"n": i}})
		}
		write(t, context.Background(), db, "acme", audit.Entry{Action: "auth.login", Summary: "张三 logged in"})
		var buf bytes.Buffer
		n, err := audit.Export(context.Background(), db, "acme", audit.Query{Action: "record.", Limit: 1}, &buf)
		if err != nil || n != 3 {
			t.Fatalf("export: %d, %v", n, err)
		}
		body, ok := strings.CutPrefix(buf.String(), "\uFEFF")
		if !ok {
			t.Fatal("export does not start with a BOM")
		}
		rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatalf("read back: %v", err)
		}
		if len(rows) != 4 || strings.Join(rows[0], ",") != strings.Join(audit.ExportColumns, ",") {
			t.Fatalf("rows %v", rows)
		}
		col := func(name string) int {
			for i, c := range audit.ExportColumns {
				if c == name {
					return i
				}
			}
			t.Fatalf("no column %s", name)
			return -1
		}
		if got := rows[1][col("summary")]; got != "'=HYPERLINK(2)" {
			t.Errorf("summary cell %q, want the formula neutralised, newest first", got)
		}
		if got := rows[1][col("after")]; got != `{"n":2}` {
			t.Errorf("after cell %q", got)
		}
		if _, err := audit.Export(context.Background(), db, "acme", audit.Query{ActorID: "x"}, &buf); err == nil {
			t.Error("export with a bad filter succeeded")
		}
	})
}

func TestExport_PagesPastOneReadBatch(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, db *database.DB) {
		testutil.NewTenantRow(t, db, "acme")
		const n = 1001 // one more than Export reads at a time
		err := db.InTx(context.Background(), func(ctx context.Context) error {
			for i := range n {
				if err := audit.Write(ctx, db, "acme", audit.Entry{Action: "record.create", Summary: fmt.Sprint(i)}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		written, err := audit.Export(context.Background(), db, "acme", audit.Query{}, &buf)
		if err != nil || written != n {
			t.Fatalf("export: %d, %v; want %d", written, err, n)
		}
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\uFEFF"))).ReadAll()
		if err != nil || len(rows) != n+1 {
			t.Fatalf("read back %d rows, %v", len(rows), err)
		}
		seen := map[string]bool{}
		for _, r := range rows[1:] {
			seen[r[len(r)-1]] = true
		}
		if len(seen) != n {
			t.Fatalf("%d distinct ids, want %d", len(seen), n)
		}
	})
}
