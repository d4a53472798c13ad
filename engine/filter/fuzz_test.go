package filter_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/tessera-crm/tessera/engine/filter"
	"github.com/tessera-crm/tessera/internal/database"
	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/internal/testutil"
)

// fuzzSeeds are inputs beyond the match and error tables: odd tokens,
// numbers at their limits, paths, every refused construct.
var fuzzSeeds = []string{
	"", " ", "(", ")", "[", "]", "{", "}", `"`, "'", "`", "\\", "#", "?.", "..", "::", "|", ";",
	"amount", "!amount", "-1", "+1.5e3", "0x1f == quantity", "0b101 == quantity", "1_000 < quantity",
	`amount == 1e400`, `amount == 123456789012345678901234567890.123`, `amount == .5`,
	`quantity == 9223372036854775807`, `quantity == -9223372036854775808`,
	`name == 'single'`, "name == `raw`", `name == "\u00e9\t\n"`, `name == "\u{1F600}"`,
	`account_id.tier.name == "x"`, `account_id["tier"] == "gold"`, `account_id?.["tier"] == "gold"`,
	`tags contains "hot" or not is_active and stage in ["won"] || amount > -1.25`,
	`closed_at > now() && close_date <= today() && created_at != datetime("2025-01-01T00:00:00+08:00")`,
	`let a = 1; a`, `if true { 1 } else { 2 }`, `true ? 1 : 2`, `map(tags, # + 1)`, `filter(tags, .x)`,
	`$env`, `#index`, `name not matches "x"`, `not not not is_active`, `((((is_active))))`,
	`date("2025-01-01", "UTC") < close_date`, `now(1) > closed_at`, `close_date == date()`,
}

// FuzzCompile: whatever the input, Compile does not panic, refuses with a
// 400 problem or returns a predicate whose placeholders match its arguments
// and which SQLite runs.
func FuzzCompile(f *testing.F) {
	fx := newFixture(f, testutil.OpenDB(f, "sqlite"))
	for _, src := range allSeeds(fx) {
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src string) {
		checkCompileContract(t, fx, src)
	})
}

// The fuzzer runs on SQLite only; its seeds run on every dialect.
func TestCompile_SeedsKeepTheContractOnEveryDialect(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, db *database.DB) {
		fx := newFixture(t, db)
		for _, src := range allSeeds(fx) {
			checkCompileContract(t, fx, src)
		}
	})
}

func allSeeds(fx *fixture) []string {
	seeds := slices.Clone(fuzzSeeds)
	for _, tc := range matchCases {
		seeds = append(seeds, fx.expand(tc.filter))
	}
	for _, tc := range errorCases {
		seeds = append(seeds, tc.filter)
	}
	return seeds
}

// checkCompileContract: a 400 invalid_filter with a position inside the
// source, or a predicate with one argument per placeholder that runs.
func checkCompileContract(t *testing.T, fx *fixture, src string) {
	t.Helper()
	p, err := filter.Compile(src, fx.env)
	if err != nil {
		var pe *problem.Error
		if !errors.As(err, &pe) || pe.Status != http.StatusBadRequest || pe.Code != problem.CodeInvalidFilter {
			t.Fatalf("Compile(%q) error %T %v is not a 400 invalid_filter problem", src, err, err)
		}
		if len(pe.Errors) != 1 || pe.Errors[0].Position == nil || *pe.Errors[0].Position < 0 || *pe.Errors[0].Position > len(src) {
			t.Fatalf("Compile(%q) errors %+v lack a position inside the source", src, pe.Errors)
		}
		return
	}
	if p == nil {
		if strings.TrimSpace(src) != "" {
			t.Fatalf("Compile(%q) returned neither a predicate nor an error", src)
		}
		return
	}
	if n := strings.Count(p.SQL, "?"); n != len(p.Args) {
		t.Fatalf("Compile(%q): %d placeholders, %d args: %s", src, n, len(p.Args), p.SQL)
	}
	if _, err := fx.query(context.Background(), p); err != nil {
		t.Fatalf("Compile(%q) produced SQL that fails: %v", src, err)
	}
}
