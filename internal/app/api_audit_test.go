package app_test

import (
	"context"
	"encoding/csv"
	"errors"
	"io"
	"log/slog"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tessera-crm/tessera/internal/app"
	"github.com/tessera-crm/tessera/internal/audit"
	"github.com/tessera-crm/tessera/internal/testutil/testserver"
	"github.com/tessera-crm/tessera/metadata"
)

// auditPage lists a tenant's log through the API.
func auditPage(t *testing.T, s *testserver.Server, tok, query string) (entries []map[string]any, next string) {
	t.Helper()
	body := s.Do(t, "GET", "/api/v1/audit"+query, tok, nil).Expect(t, 200).JSON(t)
	for _, e := range body["data"].([]any) {
		entries = append(entries, e.(map[string]any))
	}
	next, _ = body["next_cursor"].(string)
	return entries, next
}

func summaries(entries []map[string]any) []string {
	out := []string{}
	for _, e := range entries {
		out = append(out, str(e["summary"]))
	}
	return out
}

func expectSummaries(t *testing.T, entries []map[string]any, want ...string) {
	t.Helper()
	if got := summaries(entries); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("summaries %q, want %q", got, want)
	}
}

// writeAudit appends entries to a tenant's log in one transaction, as a
// service does, and rolls it back when rollback is set.
func writeAudit(t *testing.T, s *testserver.Server, tenantKey string, rollback bool, entries ...audit.Entry) {
	t.Helper()
	errRollback := errors.New("roll back")
	err := s.App.DB.InTx(context.Background(), func(ctx context.Context) error {
		for _, e := range entries {
			if err := audit.Write(ctx, s.App.DB, tenantKey, e); err != nil {
				return err
			}
		}
		if rollback {
			return errRollback
		}
		return nil
	})
	if err != nil && !(rollback && errors.Is(err, errRollback)) {
		t.Fatalf("write audit entries: %v", err)
	}
}

func TestAudit_SearchFiltersAndPagesCommittedEntries(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		tok := s.NewTenant(t, "acme", "none")
		rec := "0190a0b0-0000-7000-8000-00000000000a"
		writeAudit(t, s, "acme", false,
			audit.Entry{Action: "record.create", Object: "account", RecordID: rec, Summary: "created Northwind", After: map[string]any{"name": "Northwind"}},
			audit.Entry{Action: "record.update", Object: "account", RecordID: rec, Summary: "renamed Northwind", Before: map[string]any{"name": "Northwind"}, After: map[string]any{"name": "Northwind Traders"}})
		mid := time.Now().UTC()
		time.Sleep(5 * time.Millisecond)
		writeAudit(t, s, "acme", false, audit.Entry{Action: "metadata.object_create", Object: "project", Summary: "created object project"})
		writeAudit(t, s, "acme", true, audit.Entry{Action: "record.delete", Object: "account", RecordID: rec, Summary: "deleted Northwind"})

		all, next := auditPage(t, s, tok, "")
		if next != "" {
			t.Fatalf("next cursor %q on a short log", next)
		}
		if strings.Contains(strings.Join(summaries(all), "|"), "deleted Northwind") {
			t.Fatal("a rolled-back entry is listed")
		}
		var login map[string]any
		for _, e := range all {
			if e["action"] == "auth.login" {
				login = e
			}
		}
		if login == nil || login["actor_kind"] != "user" || login["actor_name"] == "" || login["actor_id"] == nil || login["ip"] == "" {
			t.Fatalf("the admin's login is not logged with its actor and IP: %v", all)
		}
		if all[0]["summary"] != "created object project" {
			t.Fatalf("not newest first: %q", summaries(all))
		}
		for _, e := range all {
			if e["summary"] == "renamed Northwind" {
				if toJSON(e["before"]) != `{"name":"Northwind"}` || toJSON(e["after"]) != `{"name":"Northwind Traders"}` || e["record_id"] != rec {
					t.Fatalf("update entry %v", e)
				}
			}
		}

		p, _ := auditPage(t, s, tok, "?action=record.")
		expectSummaries(t, p, "renamed Northwind", "created Northwind")
		p, _ = auditPage(t, s, tok, "?action=record.create&object=account&record_id="+rec)
		expectSummaries(t, p, "created Northwind")
		p, _ = auditPage(t, s, tok, "?q=NORTHWIND")
		expectSummaries(t, p, "renamed Northwind", "created Northwind")
		p, _ = auditPage(t, s, tok, "?from="+url.QueryEscape(mid.Format(time.RFC3339Nano)))
		expectSummaries(t, p, "created object project")
		p, _ = auditPage(t, s, tok, "?action=record.&to="+url.QueryEscape(mid.Format(time.RFC3339Nano)))
		expectSummaries(t, p, "renamed Northwind", "created Northwind")
		p, _ = auditPage(t, s, tok, "?actor_id="+str(login["actor_id"]))
		for _, e := range p {
			if e["actor_id"] != login["actor_id"] {
				t.Fatalf("actor filter let through %v", e)
			}
		}

		// Paging one entry at a time visits every entry once, in order.
		var paged []string
		q := "?limit=1"
		for range len(all) + 1 {
			page, next := auditPage(t, s, tok, q)
			paged = append(paged, summaries(page)...)
			if next == "" {
				break
			}
			q = "?limit=1&cursor=" + url.QueryEscape(next)
		}
		if strings.Join(paged, "|") != strings.Join(summaries(all), "|") {
			t.Fatalf("paged %q, want %q", paged, summaries(all))
		}

		for query, param := range map[string]string{
			"?limit=0": "limit", "?limit=201": "limit", "?limit=ten": "limit",
			"?from=yesterday": "from", "?to=2025-13-01": "to",
			"?from=2025-03-02T00:00:00Z&to=2025-03-01T00:00:00Z": "to",
			"?actor_id=bob": "actor_id", "?action=DROP%20TABLE": "action", "?cursor=xyz": "cursor",
		} {
			if field, _ := s.Do(t, "GET", "/api/v1/audit"+query, tok, nil).Expect(t, 400).Problem(t); field != param {
				t.Errorf("GET /audit%s names %q, want %q", query, field, param)
			}
			if param == "limit" || param == "cursor" {
				continue // the export takes everything, not pages
			}
			if field, _ := s.Do(t, "GET", "/api/v1/audit/export"+query, tok, nil).Expect(t, 400).Problem(t); field != param {
				t.Errorf("GET /audit/export%s names %q, want %q", query, field, param)
			}
		}
	})
}

func TestAudit_ExportIsCSVAndIsItselfLogged(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		tok := s.NewTenant(t, "acme", "none")
		writeAudit(t, s, "acme", false,
			audit.Entry{Action: "record.update", Object: "lead", Summary: "=cmd|' /C calc'!A0", After: map[string]any{"name": "李雷"}},
			audit.Entry{Action: "record.create", Object: "lead", Summary: "created 李雷"})
		r := s.Do(t, "GET", "/api/v1/audit/export?action=record.", tok, nil).Expect(t, 200)
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
			t.Fatalf("content type %q", ct)
		}
		if cd := r.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, ".csv") {
			t.Fatalf("content disposition %q", cd)
		}
		body, ok := strings.CutPrefix(string(r.Body), "\uFEFF")
		if !ok {
			t.Fatal("no BOM")
		}
		rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatalf("read back: %v", err)
		}
		if len(rows) != 3 || rows[0][0] != "at" {
			t.Fatalf("rows %q", rows)
		}
		summary := 10 // audit.ExportColumns
		if audit.ExportColumns[summary] != "summary" {
			t.Fatalf("columns %v", audit.ExportColumns)
		}
		if rows[1][summary] != "created 李雷" || rows[2][summary] != "'=cmd|' /C calc'!A0" || !strings.Contains(rows[2][summary+2], "李雷") {
			t.Fatalf("rows %q", rows[1:])
		}
		p, _ := auditPage(t, s, tok, "?action=audit.export")
		if len(p) != 1 || p[0]["summary"] != "exported 2 audit entries" || toJSON(p[0]["after"]) != `{"action":"record."}` {
			t.Fatalf("export not logged: %v", p)
		}
	})
}

func TestAudit_LogRefusesUpdateAndDelete(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		s.NewTenant(t, "acme", "none")
		table := s.App.DB.Dialect.Table("acme", metadata.TableAuditLog)
		before := len(auditActions(t, s, "acme"))
		if before == 0 {
			t.Fatal("the admin's login left no entry")
		}
		for _, stmt := range []string{`UPDATE ` + table + ` SET summary = 'forged'`, `DELETE FROM ` + table} {
			if err := s.App.DB.Gorm.Exec(stmt).Error; err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: %v, want refused by the trigger", stmt, err)
			}
		}
		if after := len(auditActions(t, s, "acme")); after != before {
			t.Fatalf("%d entries, had %d", after, before)
		}
	})
}

func TestAudit_OnlyTheTenantsAdminsSeeTheirOwnLog(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		acme := s.NewTenant(t, "acme", "none")
		globex := s.NewTenant(t, "globex", "none")
		writeAudit(t, s, "acme", false, audit.Entry{Action: "record.create", Object: "account", RecordID: "r1", Summary: "acme secret"})

		p, _ := auditPage(t, s, globex, "")
		if len(p) == 0 {
			t.Fatal("globex's admin sees no entry of their own login")
		}
		for _, e := range p {
			if strings.Contains(str(e["summary"]), "acme") || e["record_id"] == "r1" {
				t.Fatalf("globex's admin sees acme's entry %v", e)
			}
		}
		if p, _ := auditPage(t, s, globex, "?record_id=r1"); len(p) != 0 {
			t.Fatalf("globex filter on acme's record answered %v", p)
		}
		r := s.Do(t, "GET", "/api/v1/audit/export", globex, nil).Expect(t, 200)
		if strings.Contains(string(r.Body), "acme secret") {
			t.Fatal("globex's export contains acme's entry")
		}

		s.Do(t, "POST", "/api/v1/users", acme, map[string]any{"email": "m@acme.test", "name": "Member", "role": "member", "password": testserver.Password}).Expect(t, 201)
		member := s.Login(t, "acme", "m@acme.test", testserver.Password)
		s.Do(t, "GET", "/api/v1/audit", member, nil).Expect(t, 403)
		s.Do(t, "GET", "/api/v1/audit/export", member, nil).Expect(t, 403)
		s.Do(t, "GET", "/api/v1/audit", "", nil).Expect(t, 401)
		s.Do(t, "GET", "/api/v1/audit", s.Operator, nil).Expect(t, 403)
	})
}

func TestApp_RefusesToStartWithAnInvalidMasterKey(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, key := range []string{"not base64!", "c2hvcnQ="} {
		a, err := app.New(context.Background(), app.Config{DatabaseURL: filepath.Join(t.TempDir(), "t.db"), MasterKey: key}, log)
		if err == nil {
			a.Close()
			t.Fatalf("started with master key %q", key)
		}
		if !strings.Contains(err.Error(), "TESSERA_MASTER_KEY") || strings.Contains(err.Error(), key) {
			t.Errorf("error %q should name TESSERA_MASTER_KEY and not echo the key", err)
		}
	}
}
