package filter_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/tessera-crm/tessera/engine/filter"
	"github.com/tessera-crm/tessera/internal/database"
	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/internal/sqldialect"
	"github.com/tessera-crm/tessera/internal/testutil"
	"github.com/tessera-crm/tessera/metadata"
)

func TestColumn_ResolvesFieldsAndSystemFields(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, db *database.DB) {
		fx := newFixture(t, db)
		amount := `t."amount"`
		if db.Dialect.Name() == sqldialect.SQLite {
			amount = `CAST(t."amount" AS REAL)` // decimals are text on SQLite
		}
		cases := []struct {
			name, wantSQL, wantType string
		}{
			{"amount", amount, metadata.TypeCurrency},
			{"name", `t."name"`, metadata.TypeText},
			{"created_at", `t."created_at"`, metadata.TypeDatetime},
			{"id", `t."id"`, metadata.TypeLookup},
			{"version", `t."version"`, metadata.TypeInteger},
		}
		for _, tc := range cases {
			sql, f, err := filter.Column(fx.env, tc.name)
			if err != nil {
				t.Fatalf("Column(%s): %v", tc.name, err)
			}
			if sql != tc.wantSQL || f.Type != tc.wantType || f.APIName != tc.name {
				t.Errorf("Column(%s) = %s %s %s, want %s %s", tc.name, sql, f.APIName, f.Type, tc.wantSQL, tc.wantType)
			}
		}
	})
}

func TestColumn_WithoutAliasRendersBareColumn(t *testing.T) {
	fx := newFixture(t, testutil.OpenDB(t, "sqlite"))
	env := fx.env
	env.Alias = ""
	sql, _, err := filter.Column(env, "name")
	if err != nil || sql != `"name"` {
		t.Fatalf("Column = %s, %v; want \"name\"", sql, err)
	}
}

func TestColumn_RefusesUnknownAndInactiveFields(t *testing.T) {
	fx := newFixture(t, testutil.OpenDB(t, "sqlite"))
	for name, want := range map[string]string{
		"amout":      "unknown field `amout` on opportunity; did you mean `amount`?",
		"legacy":     "unknown field `legacy` on opportunity",
		"deleted_at": "unknown field `deleted_at` on opportunity",
	} {
		_, _, err := filter.Column(fx.env, name)
		var pe *problem.Error
		if !errors.As(err, &pe) || pe.Status != http.StatusBadRequest || pe.Code != problem.CodeUnknownField {
			t.Fatalf("Column(%s) error = %v, want a 400 unknown_field", name, err)
		}
		if len(pe.Errors) != 1 || pe.Errors[0].Field != name || !strings.Contains(pe.Errors[0].Message, want) {
			t.Errorf("Column(%s) errors = %+v, want %q", name, pe.Errors, want)
		}
	}
}
