package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/tessera-crm/tessera/internal/sqldialect"
	"github.com/tessera-crm/tessera/internal/testutil"
	"github.com/tessera-crm/tessera/internal/testutil/testserver"
)

func TestMeta_ObjectLifecycle(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		tok := s.NewTenant(t, "acme", "none")
		obj := s.Do(t, "POST", "/api/v1/meta/objects", tok, map[string]any{"api_name": "project", "label": "Project", "labels": map[string]any{"zh-CN": "项目"}, "icon": "Folder"}).Expect(t, 201).JSON(t)
		if obj["label"] != "Project" || obj["name_field"] != "name" {
			t.Fatalf("created object: %v", obj)
		}
		s.Do(t, "POST", "/api/v1/meta/objects", tok, map[string]any{"api_name": "project", "label": "Again"}).Expect(t, 409)
		v1 := s.Do(t, "GET", "/api/v1/records/project", tok, nil).Expect(t, 200).Header.Get("X-Metadata-Version")
		s.Do(t, "PATCH", "/api/v1/meta/objects/project", tok, map[string]any{"label": "Initiative"}).Expect(t, 200)
		if v2 := s.Do(t, "GET", "/api/v1/records/project", tok, nil).Expect(t, 200).Header.Get("X-Metadata-Version"); v1 == "" || v2 == v1 {
			t.Fatalf("X-Metadata-Version %q -> %q; want it to change with the metadata", v1, v2)
		}
		got := s.Do(t, "GET", "/api/v1/meta/objects/project", tok, nil).Expect(t, 200).JSON(t)
		if got["label"] != "Initiative" || got["labels"].(map[string]any)["zh-CN"] != "项目" {
			t.Fatalf("relabel: %v", got["labels"])
		}
		s.Do(t, "POST", "/api/v1/meta/objects/project/fields", tok, map[string]any{"api_name": "budget", "type": "currency", "label": "Budget", "required": true}).Expect(t, 201)
		create(t, s, tok, "project", map[string]any{"name": "p", "budget": "10"})
		s.Do(t, "DELETE", "/api/v1/meta/objects/project/fields/budget", tok, nil).Expect(t, 204)
		rec := s.Do(t, "GET", "/api/v1/records/project", tok, nil).Expect(t, 200).JSON(t)["data"].([]any)[0].(map[string]any)
		if _, ok := rec["budget"]; ok {
			t.Fatal("deleted field still returned")
		}
		s.Do(t, "DELETE", "/api/v1/meta/objects/project", tok, nil).Expect(t, 204)
		s.Do(t, "GET", "/api/v1/records/project", tok, nil).Expect(t, 404)
		if tableExists(t, s, "acme", "project") {
			t.Fatal("dropped object's table still exists")
		}
	})
}

func tableExists(t *testing.T, s *testserver.Server, key, table string) bool {
	t.Helper()
	var n int64
	db := s.App.DB
	var err error
	if db.Dialect.Name() == sqldialect.Postgres {
		err = db.Gorm.Raw("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?", "t_"+key, table).Scan(&n).Error
	} else {
		err = db.Gorm.Raw("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?", "t_"+key+"__"+table).Scan(&n).Error
	}
	if err != nil {
		t.Fatal(err)
	}
	return n > 0
}

func indexExists(t *testing.T, s *testserver.Server, key, table, field string) bool {
	t.Helper()
	var n int64
	db := s.App.DB
	name := db.Dialect.IndexName(key, table, field+"_ix")
	var err error
	if db.Dialect.Name() == sqldialect.Postgres {
		err = db.Gorm.Raw("SELECT COUNT(*) FROM pg_indexes WHERE schemaname = ? AND indexname = ?", "t_"+key, name).Scan(&n).Error
	} else {
		err = db.Gorm.Raw("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = ?", name).Scan(&n).Error
	}
	if err != nil {
		t.Fatal(err)
	}
	return n > 0
}

func TestMeta_IndexedFlagCreatesARealIndex(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		tok := s.NewTenant(t, "acme", "none")
		s.Do(t, "POST", "/api/v1/meta/objects", tok, map[string]any{"api_name": "project", "label": "Project"}).Expect(t, 201)
		s.Do(t, "POST", "/api/v1/meta/objects/project/fields", tok, map[string]any{"api_name": "region", "type": "text", "label": "Region", "indexed": true}).Expect(t, 201)
		if !indexExists(t, s, "acme", "project", "region") {
			t.Fatal("indexed field has no index")
		}
		s.Do(t, "PATCH", "/api/v1/meta/objects/project/fields/region", tok, map[string]any{"indexed": false}).Expect(t, 200)
		if indexExists(t, s, "acme", "project", "region") {
			t.Fatal("index survived indexed=false")
		}
	})
}

func TestMeta_RefusesBadDefinitionsNamingTheProblem(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		tok := s.NewTenant(t, "acme", "none")
		s.Do(t, "POST", "/api/v1/meta/objects", tok, map[string]any{"api_name": "project", "label": "Project"}).Expect(t, 201)
		objectCases := []struct {
			body  map[string]any
			field string
		}{
			{map[string]any{"api_name": "Project", "label": "x"}, "api_name"},
			{map[string]any{"api_name": "select", "label": "x"}, "api_name"},
			{map[string]any{"api_name": "a__b", "label": "x"}, "api_name"},
			{map[string]any{"api_name": strings.Repeat("a", 49), "label": "x"}, "api_name"},
			{map[string]any{"api_name": "thing"}, "labels"},
			{map[string]any{"api_name": "thing", "label": "x", "labels": map[string]any{"fr": "chose"}}, "labels"},
			{map[string]any{"api_name": "thing", "label": "x", "name_field": "nope"}, "name_field"},
			{map[string]any{"api_name": "thing", "label": "x", "shape": "round"}, "shape"},
		}
		for _, c := range objectCases {
			r := s.Do(t, "POST", "/api/v1/meta/objects", tok, c.body).Expect(t, 400)
			if field, _ := r.Problem(t); field != c.field {
				t.Errorf("%v: error names %q, want %q (%s)", c.body, field, c.field, r.Body)
			}
		}
		fieldCases := []struct {
			body  map[string]any
			field string
		}{
			{map[string]any{"api_name": "created_at", "type": "text", "label": "x"}, "api_name"},
			{map[string]any{"api_name": "x1", "type": "blob", "label": "x"}, "type"},
			{map[string]any{"api_name": "x1", "type": "lookup", "label": "x", "target": "ghost"}, "target"},
			{map[string]any{"api_name": "x1", "type": "lookup", "label": "x", "target": "project", "on_delete": "explode"}, "on_delete"},
			{map[string]any{"api_name": "x1", "type": "picklist", "label": "x"}, "options"},
			{map[string]any{"api_name": "x1", "type": "picklist", "label": "x", "options": []any{map[string]any{"api_name": "a", "label": "A", "color": "red"}}}, "options[0].color"},
			{map[string]any{"api_name": "x1", "type": "number", "label": "x", "precision": 40}, "precision"},
			{map[string]any{"api_name": "x1", "type": "number", "label": "x", "scale": 5, "precision": 3}, "scale"},
			{map[string]any{"api_name": "x1", "type": "integer", "label": "x", "default": "abc"}, "default"},
			{map[string]any{"api_name": "x1", "type": "auto_number", "label": "x", "pattern": "{YYYY}"}, "pattern"},
			{map[string]any{"api_name": "x1", "type": "long_text", "label": "x", "unique": true}, "unique"},
			{map[string]any{"api_name": "x1", "type": "currency", "label": "x", "currency_code": "yuan"}, "currency_code"},
			{map[string]any{"api_name": "x1", "type": "picklist", "label": "x", "pipeline": map[string]any{},
				"options": []any{map[string]any{"api_name": "a", "label": "A", "probability": 150, "forecast_category": "pipeline"}}}, "options[0].probability"},
			{map[string]any{"api_name": "x1", "type": "text", "label": "x", "max_length": "long"}, "max_length"},
		}
		for _, c := range fieldCases {
			r := s.Do(t, "POST", "/api/v1/meta/objects/project/fields", tok, c.body)
			if r.Status != 400 {
				t.Errorf("%v: status %d, want 400: %s", c.body, r.Status, r.Body)
				continue
			}
			if field, _ := r.Problem(t); field != c.field {
				t.Errorf("%v: error names %q, want %q (%s)", c.body, field, c.field, r.Body)
			}
		}
		s.Do(t, "POST", "/api/v1/meta/objects/ghost/fields", tok, map[string]any{"api_name": "x", "type": "text", "label": "x"}).Expect(t, 404)
		s.Do(t, "PATCH", "/api/v1/meta/objects/project/fields/ghost", tok, map[string]any{"label": "x"}).Expect(t, 404)
		got := s.Do(t, "GET", "/api/v1/meta/objects/project", tok, nil).Expect(t, 200).JSON(t)
		if n := len(got["fields"].([]any)); n != 1 {
			t.Fatalf("refused changes added fields: %d fields", n)
		}
	})
}

func TestMeta_StandardObjectsAndFieldsAreProtected(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		tok := s.NewTenant(t, "acme", "sales")
		s.Do(t, "DELETE", "/api/v1/meta/objects/account", tok, nil).Expect(t, 409)
		s.Do(t, "DELETE", "/api/v1/meta/objects/account/fields/industry", tok, nil).Expect(t, 409)
		s.Do(t, "PATCH", "/api/v1/meta/objects/account/fields/industry", tok, map[string]any{"type": "text"}).Expect(t, 409)
		// Relabelling a standard field and adding an option is fine.
		s.Do(t, "PATCH", "/api/v1/meta/objects/account/fields/industry", tok, map[string]any{"label": "Sector"}).Expect(t, 200)
		// A custom object with a lookup to account can be added, and then
		// account's delete is blocked by the reference too.
		s.Do(t, "POST", "/api/v1/meta/objects", tok, map[string]any{"api_name": "project", "label": "Project",
			"fields": []any{map[string]any{"api_name": "account_id", "type": "lookup", "label": "Account", "target": "account"}}}).Expect(t, 201)
		r := s.Do(t, "DELETE", "/api/v1/meta/objects/account", tok, nil).Expect(t, 409)
		if _, code := r.Problem(t); code != "protected" {
			t.Fatalf("code %s", code)
		}
	})
}

func TestMeta_TypeChangeConvertsOrNamesBlockingRows(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		tok := s.NewTenant(t, "acme", "none")
		s.Do(t, "POST", "/api/v1/meta/objects", tok, map[string]any{"api_name": "project", "label": "Project",
			"fields": []any{map[string]any{"api_name": "seats", "type": "text", "label": "Seats", "indexed": true}}}).Expect(t, 201)
		good := create(t, s, tok, "project", map[string]any{"name": "a", "seats": "42"})
		create(t, s, tok, "project", map[string]any{"name": "b"})
		bad := create(t, s, tok, "project", map[string]any{"name": "c", "seats": "many"})
		r := s.Do(t, "PATCH", "/api/v1/meta/objects/project/fields/seats", tok, map[string]any{"type": "integer"}).Expect(t, 409)
		var body struct {
			Errors []struct {
				Field string
				Code  string
				Rows  []string
			}
		}
		if err := json.Unmarshal(r.Body, &body); err != nil || len(body.Errors) != 1 {
			t.Fatalf("body %s", r.Body)
		}
		if e := body.Errors[0]; e.Code != "not_convertible" || len(e.Rows) != 1 || e.Rows[0] != str(bad["id"]) {
			t.Fatalf("blocking rows not named: %+v", e)
		}
		s.Do(t, "PATCH", "/api/v1/records/project/"+str(bad["id"]), tok, map[string]any{"seats": "7"}).Expect(t, 200)
		f := s.Do(t, "PATCH", "/api/v1/meta/objects/project/fields/seats", tok, map[string]any{"type": "integer"}).Expect(t, 200).JSON(t)
		if f["type"] != "integer" {
			t.Fatalf("type = %v", f["type"])
		}
		got := s.Do(t, "GET", "/api/v1/records/project/"+str(good["id"]), tok, nil).Expect(t, 200).JSON(t)
		if got["seats"] != json.Number("42") {
			t.Fatalf("converted value = %#v, want 42", got["seats"])
		}
		if !indexExists(t, s, "acme", "project", "seats") {
			t.Fatal("the index did not survive the type change")
		}
		page := s.Do(t, "GET", "/api/v1/records/project?filter=seats%20%3E%2010", tok, nil).Expect(t, 200).JSON(t)
		if len(page["data"].([]any)) != 1 {
			t.Fatalf("numeric filter after conversion: %v", page["data"])
		}
		s.Do(t, "PATCH", "/api/v1/meta/objects/project/fields/seats", tok, map[string]any{"type": "boolean"}).Expect(t, 400)
		// Making a field unique with duplicate data names the rows.
		create(t, s, tok, "project", map[string]any{"name": "a"})
		r = s.Do(t, "PATCH", "/api/v1/meta/objects/project/fields/name", tok, map[string]any{"unique": true}).Expect(t, 409)
		if !strings.Contains(string(r.Body), str(good["id"])) {
			t.Fatalf("duplicates not named: %s", r.Body)
		}
	})
}

func TestMeta_FailedDDLLeavesMetadataUnchanged(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		tok := s.NewTenant(t, "acme", "none")
		s.Do(t, "POST", "/api/v1/meta/objects", tok, map[string]any{"api_name": "project", "label": "Project"}).Expect(t, 201)
		before := s.Do(t, "GET", "/api/v1/auth/me", tok, nil).Expect(t, 200).JSON(t)["tenant"].(map[string]any)["metadata_version"]
		// Something outside Tessera took the index name the change needs: the
		// CREATE INDEX fails after the ADD COLUMN has run.
		db := s.App.DB
		blocker := db.Dialect.IndexName("acme", "project", "region_ix")
		stmt := fmt.Sprintf(`CREATE INDEX %s ON %s (name)`, db.Dialect.Quote(blocker), db.Dialect.Table("acme", "project"))
		if err := db.Gorm.WithContext(context.Background()).Exec(stmt).Error; err != nil {
			t.Fatal(err)
		}
		r := s.Do(t, "POST", "/api/v1/meta/objects/project/fields", tok, map[string]any{"api_name": "region", "type": "text", "label": "Region", "indexed": true})
		r.Expect(t, 409)
		after := s.Do(t, "GET", "/api/v1/auth/me", tok, nil).Expect(t, 200).JSON(t)["tenant"].(map[string]any)["metadata_version"]
		if before != after {
			t.Fatalf("metadata version moved from %v to %v", before, after)
		}
		obj := s.Do(t, "GET", "/api/v1/meta/objects/project", tok, nil).Expect(t, 200).JSON(t)
		for _, f := range obj["fields"].([]any) {
			if f.(map[string]any)["api_name"] == "region" {
				t.Fatal("the field was recorded")
			}
		}
		// The column was rolled back with the metadata.
		s.Do(t, "POST", "/api/v1/records/project", tok, map[string]any{"name": "x"}).Expect(t, 201)
		var cols int64
		if db.Dialect.Name() == sqldialect.Postgres {
			db.Gorm.Raw("SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = 't_acme' AND table_name = 'project' AND column_name = 'region'").Scan(&cols)
		} else {
			db.Gorm.Raw("SELECT COUNT(*) FROM pragma_table_info('t_acme__project') WHERE name = 'region'").Scan(&cols)
		}
		if cols != 0 {
			t.Fatal("the column of the failed change exists")
		}
	})
}

// A long query holding the table makes a metadata change wait at most its
// lock timeout and answer 503 "busy" (retryable), changing nothing.
func TestMeta_LockedTableAnswersBusy(t *testing.T) {
	if testutil.PostgresURL(t) == "" {
		t.Skip("the lock timeout is PostgreSQL's")
	}
	s := testserver.New(t, "postgres", testserver.Options{})
	tok := s.NewTenant(t, "acme", "none")
	s.Do(t, "POST", "/api/v1/meta/objects", tok, map[string]any{"api_name": "project", "label": "Project"}).Expect(t, 201)
	ctx := context.Background()
	sqlDB, err := s.App.DB.Gorm.DB()
	if err != nil {
		t.Fatal(err)
	}
	holder, err := sqlDB.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Rollback()
	if _, err := holder.ExecContext(ctx, "LOCK TABLE "+s.App.DB.Dialect.Table("acme", "project")+" IN ACCESS SHARE MODE"); err != nil {
		t.Fatal(err)
	}
	r := s.Do(t, "POST", "/api/v1/meta/objects/project/fields", tok, map[string]any{"api_name": "region", "type": "text", "label": "Region"}).Expect(t, 503)
	if _, code := r.Problem(t); code != "busy" {
		t.Fatalf("code %s", code)
	}
	holder.Rollback()
	obj := s.Do(t, "GET", "/api/v1/meta/objects/project", tok, nil).Expect(t, 200).JSON(t)
	if len(obj["fields"].([]any)) != 1 {
		t.Fatal("the refused change was recorded")
	}
	s.Do(t, "POST", "/api/v1/meta/objects/project/fields", tok, map[string]any{"api_name": "region", "type": "text", "label": "Region"}).Expect(t, 201)
}
