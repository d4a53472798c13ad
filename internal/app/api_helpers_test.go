package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm/logger"

	"github.com/tessera-crm/tessera/internal/testutil"
	"github.com/tessera-crm/tessera/internal/testutil/testserver"
)

// forEachDialect runs fn against a fresh server on every database.
func forEachDialect(t *testing.T, fn func(t *testing.T, s *testserver.Server)) {
	for _, d := range testutil.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			fn(t, testserver.New(t, d, testserver.Options{}))
		})
	}
}

// projectTenant provisions a tenant without the template and defines a
// "project" object with one field of every type.
func projectTenant(t *testing.T, s *testserver.Server, key string) string {
	t.Helper()
	tok := s.NewTenant(t, key, "none")
	s.Do(t, "POST", "/api/v1/meta/objects", tok, map[string]any{"api_name": "client", "label": "Client",
		"fields": []any{map[string]any{"api_name": "tier", "type": "picklist", "label": "Tier",
			"options": []any{map[string]any{"api_name": "a", "label": "A"}, map[string]any{"api_name": "b", "label": "B"}}}}}).Expect(t, 201)
	s.Do(t, "POST", "/api/v1/meta/objects", tok, map[string]any{
		"api_name": "project", "label": "Project", "labels": map[string]any{"zh-CN": "项目"},
		"fields": []any{
			map[string]any{"api_name": "code", "type": "text", "label": "Code", "unique": true, "max_length": 20},
			map[string]any{"api_name": "notes", "type": "long_text", "label": "Notes"},
			map[string]any{"api_name": "seats", "type": "integer", "label": "Seats", "min": "0", "max": "100000"},
			map[string]any{"api_name": "ratio", "type": "number", "label": "Ratio", "precision": 10, "scale": 3},
			map[string]any{"api_name": "budget", "type": "currency", "label": "Budget", "currency_code": "CNY", "indexed": true},
			map[string]any{"api_name": "discount", "type": "percent", "label": "Discount"},
			map[string]any{"api_name": "active", "type": "boolean", "label": "Active", "default": true},
			map[string]any{"api_name": "start_date", "type": "date", "label": "Start"},
			map[string]any{"api_name": "kickoff_at", "type": "datetime", "label": "Kickoff"},
			map[string]any{"api_name": "email", "type": "email", "label": "Email"},
			map[string]any{"api_name": "phone", "type": "phone", "label": "Phone"},
			map[string]any{"api_name": "site", "type": "url", "label": "Site"},
			map[string]any{"api_name": "phase", "type": "picklist", "label": "Phase", "default": "plan",
				"options": []any{map[string]any{"api_name": "plan", "label": "Plan", "color": "#1f77b4"}, map[string]any{"api_name": "build", "label": "Build"}, map[string]any{"api_name": "run", "label": "Run"}}},
			map[string]any{"api_name": "tags", "type": "multi_picklist", "label": "Tags",
				"options": []any{map[string]any{"api_name": "erp", "label": "ERP"}, map[string]any{"api_name": "crm", "label": "CRM"}, map[string]any{"api_name": "bi", "label": "BI"}}},
			map[string]any{"api_name": "client_id", "type": "lookup", "label": "Client", "target": "client", "on_delete": "restrict"},
			map[string]any{"api_name": "number", "type": "auto_number", "label": "Number", "pattern": "PRJ-{YYYY}-{0000}"},
		},
	}).Expect(t, 201)
	return tok
}

func create(t *testing.T, s *testserver.Server, tok, object string, values map[string]any) map[string]any {
	t.Helper()
	return s.Do(t, "POST", "/api/v1/records/"+object, tok, values).Expect(t, 201).JSON(t)
}

func str(v any) string { return fmt.Sprint(v) }

func jsonNum(v any) int64 {
	n, _ := v.(json.Number).Int64()
	return n
}

// sqlCounter counts the statements gorm sends, through its logger hook.
type sqlCounter struct {
	logger.Interface
	mu    sync.Mutex
	stmts []string
}

func (c *sqlCounter) Trace(_ context.Context, _ time.Time, fc func() (string, int64), _ error) {
	sql, _ := fc()
	c.mu.Lock()
	c.stmts = append(c.stmts, sql)
	c.mu.Unlock()
}

func (c *sqlCounter) reset() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.stmts
	c.stmts = nil
	return out
}

func countSQL(s *testserver.Server) *sqlCounter {
	c := &sqlCounter{Interface: logger.Discard}
	s.App.DB.Gorm.Config.Logger = c
	return c
}

func containsAny(stmts []string, word string) bool {
	for _, s := range stmts {
		if strings.Contains(strings.ToUpper(s), word) {
			return true
		}
	}
	return false
}

func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// forEachDialectWith is forEachDialect with server options.
func forEachDialectWith(t *testing.T, opts testserver.Options, fn func(t *testing.T, s *testserver.Server)) {
	for _, d := range testutil.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			fn(t, testserver.New(t, d, opts))
		})
	}
}
