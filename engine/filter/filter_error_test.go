package filter_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/tessera-crm/tessera/engine/filter"
	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/internal/testutil"
)

// errorCases name where each error must point by the text found there: the
// expected position is the byte offset of the first occurrence of at after
// skipping the first skip bytes of the source.
var errorCases = []struct {
	name   string
	filter string
	at     string
	skip   int
	want   string
}{
	// Unknown fields, with suggestions when close.
	{"unknown field", `amout > 5`, "amout", 0, "unknown field `amout` on opportunity; did you mean `amount`?"},
	{"unknown field later", `stage == "won" && amout > 5`, "amout", 0, "did you mean `amount`?"},
	{"position is in bytes", `name == "éé" && amout > 5`, "amout", 0, "unknown field `amout`"},
	{"inactive field", `legacy == "old"`, "legacy", 0, "unknown field `legacy` on opportunity"},
	{"deleted_at is not offered", `deleted_at == nil`, "deleted_at", 0, "unknown field `deleted_at`"},
	{"unknown on target", `account_id.tierr == "gold"`, "tierr", 0, "unknown field `tierr` on account; did you mean `tier`?"},

	// Constructs outside the subset.
	{"function", `upper(name) == "X"`, "upper", 0, "function upper() is not supported in filters"},
	{"builtin function", `len(name) > 3`, "len", 0, "function len() is not supported in filters"},
	{"unknown function", `foo(1) == amount`, "foo", 0, "function foo() is not supported in filters"},
	{"closure", `all(tags, {# == "hot"})`, "all", 0, "function all() is not supported in filters"},
	{"method call", `name.startsWith("A")`, "startsWith", 0, "method calls such as name.startsWith() are not supported"},
	{"pipe", `(name | upper()) == "A"`, "upper", 0, "the pipe operator | is not supported in filters"},
	{"field vs field", `amount > quantity`, "quantity", 0, "comparing two fields (`amount` and `quantity`) is not supported"},
	{"map literal", `name == {"a": 1}`, "{", 0, "maps ({...}) are not supported in filters"},
	{"array outside in", `name == ["a"]`, "[", 0, "lists are only supported on the right of `in`"},
	{"arithmetic", `amount + 1 > 5`, "+", 0, "arithmetic (+) is not supported in filters"},
	{"arithmetic on the value", `amount > 1 * 2`, "*", 0, "arithmetic (*) is not supported in filters"},
	{"unary minus on a field", `-amount > 5`, "-", 0, "arithmetic (unary -) is not supported"},
	{"ternary", `(is_active ? amount : quantity) > 1`, "is_active", 0, "the ternary operator (?:) is not supported in filters"},
	{"if else", `if is_active { true } else { false }`, "if", 0, "if/else is not supported in filters"},
	{"matches", `name matches "^A"`, "matches", 0, "regular expressions (matches) are not supported"},
	{"coalesce", `(amount ?? 0) > 5`, "??", 0, "the ?? operator is not supported"},
	{"range", `quantity in 1..5`, "..", 0, "ranges (..) are not supported"},
	{"optional chaining", `account_id?.tier == "gold"`, "tier", 0, "optional chaining (?.) is not supported"},
	{"index", `tags[0] == "hot"`, "[", 0, "indexing with [...] is not supported"},
	{"slice", `name[0:2] == "Ac"`, "[", 0, "slices ([a:b]) are not supported"},
	{"let", `let x = 1; amount > x`, "x", 0, "variables (let) are not supported"},
	{"sequence", `amount > 1; amount < 5`, "amount", 0, "several expressions separated by ; are not supported"},
	{"bytes", `name == b"abc"`, `b"abc"`, 0, "byte strings are not supported"},
	{"bare non-boolean field", `amount`, "amount", 0, "`amount` is a currency field, not a condition"},
	{"bare value", `true`, "true", 0, "a value alone is not a condition"},
	{"no field", `amount == nil && 1 == 1`, "==", 14, "a comparison needs a field on one side"},
	{"condition as a value", `amount == (quantity > 1)`, ">", 0, "a condition (>) cannot be used as a value"},

	// Values a field's type refuses.
	{"text for a decimal", `amount > "abc"`, `"abc"`, 0, "amount must be a decimal number"},
	{"float for an integer", `quantity == 1.5`, "1.5", 0, "quantity must be a whole number"},
	{"number for a boolean", `is_active == 1`, "1", 0, "is_active must be true or false"},
	{"number for a date", `close_date > 5`, "5", 0, "close_date must be a date"},
	{"bad date", `close_date > date("2025-13-01")`, `"2025-13-01"`, 0, `"2025-13-01" is not a date YYYY-MM-DD`},
	{"bad datetime", `closed_at > datetime("yesterday")`, `"yesterday"`, 0, `"yesterday" is not an RFC 3339 date-time`},
	{"date string for a datetime", `closed_at > "2025-01-01"`, `"2025-01-01"`, 0, `for the start of a day use date("2025-01-01")`},
	{"date for a text field", `name > date("2025-01-01")`, "date", 0, "a date can only be compared with date and datetime fields"},
	{"today with an argument", `close_date == today(1)`, "today", 0, "today() takes no arguments"},
	{"date without a string", `close_date == date(5)`, "5", 0, "date() takes one string argument"},
	{"not a uuid", `account_id == "acme"`, `"acme"`, 0, "account_id must be a record id (UUID)"},
	{"unknown option", `stage == "bogus"`, `"bogus"`, 0, `"bogus" is not an option of stage (options: prospect, won, lost)`},
	{"unknown option in a list", `stage in ["won", "bogus"]`, `"bogus"`, 0, `"bogus" is not an option of stage`},
	{"unknown multi option", `tags contains "bogus"`, `"bogus"`, 0, `"bogus" is not an option of tags`},
	{"unknown option on target", `account_id.tier == "platinum"`, `"platinum"`, 0, `"platinum" is not an option of account_id.tier`},
	{"NUL in a string", `name == "a\x00b"`, `"a`, 0, "NUL character"},
	{"auto number with a number", `code == 5`, "5", 0, "`code` is an auto number; compare it with a string"},

	// Operators a type has no meaning for.
	{"equality on multi-picklist", `tags == "hot"`, "==", 0, "`tags` is a multi_picklist field; use tags contains"},
	{"ordering on picklist", `stage > "won"`, ">", 0, "> is not supported on picklist field `stage`"},
	{"ordering on boolean", `is_active < true`, "<", 0, "< is not supported on `is_active`"},
	{"ordering on lookup", `account_id >= "0190a0b0-0000-7000-8000-000000000001"`, ">=", 0, "record ids have no meaningful order"},
	{"ordering with nil", `amount < nil`, "<", 0, "nil can only be compared with == or !="},
	{"in without a list", `quantity in 5`, "5", 0, "the right side of `in` must be a list"},
	{"in with the field on the right", `"hot" in tags`, "in", 0, "`in` needs the field on its left"},
	{"in on multi-picklist", `tags in ["hot"]`, "in", 0, "`in` is not supported on multi_picklist field `tags`"},
	{"nil in a list", `stage in ["won", nil]`, "nil", 0, "nil cannot be in a list"},
	{"field in a list", `stage in ["won", name]`, "name", 0, "this expression is not supported"},
	{"contains without a string", `name contains 5`, "5", 0, "`contains` needs a string on its right"},
	{"contains on a number", `amount contains "1"`, "contains", 0, "`contains` works on text fields; `amount` is a currency field"},
	{"startsWith on multi-picklist", `tags startsWith "h"`, "startsWith", 0, "`startsWith` is not supported on multi_picklist field `tags`"},

	// Paths.
	{"two hops", `account_id.parent_id.tier == "gold"`, "tier", 0, "`account_id.parent_id.tier` goes through more than one lookup"},
	{"path through a non-lookup", `name.length == 3`, "name", 0, "`name` is not a lookup to an object"},
	{"path through a user id", `owner_id.name == "x"`, "owner_id", 0, "`owner_id` is not a lookup to an object"},

	// Syntax.
	{"syntax error", `amount > > 5`, ">", 8, "syntax error: unexpected token Operator(\">\")"},
	{"unterminated string", `name == "abc`, "", 12, "syntax error: literal not terminated"},
}

func TestCompile_RefusesWithPosition(t *testing.T) {
	fx := newFixture(t, testutil.OpenDB(t, "sqlite"))
	for _, tc := range errorCases {
		t.Run(tc.name, func(t *testing.T) {
			pos := strings.Index(tc.filter[tc.skip:], tc.at)
			if pos < 0 {
				t.Fatalf("bad test: %q not in %q", tc.at, tc.filter)
			}
			assertRefused(t, tc.filter, fx.env, tc.skip+pos, tc.want)
		})
	}
}

func TestCompile_RefusesOverLimits(t *testing.T) {
	fx := newFixture(t, testutil.OpenDB(t, "sqlite"))
	long := `name == "` + strings.Repeat("x", filter.MaxSourceBytes) + `"`
	assertRefused(t, long, fx.env, filter.MaxSourceBytes, "the limit is 4096")

	terms := make([]string, 200) // 3 nodes each, plus the ||s
	for i := range terms {
		terms[i] = "quantity == 1"
	}
	wide := strings.Join(terms, " || ")
	assertRefused(t, wide, fx.env, -1, "the filter is too complex (more than 500 elements)")

	deep := strings.Repeat("!", filter.MaxDepth+10) + "is_active"
	assertRefused(t, deep, fx.env, filter.MaxDepth, "nested more than 50 levels deep")

	items := strings.TrimSuffix(strings.Repeat("1,", filter.MaxListItems+1), ",")
	assertRefused(t, "quantity in ["+items+"]", fx.env, len("quantity in "), "the list has 1001 items; the limit is 1000")

	assertRefused(t, "name == \"\xff\"", fx.env, 9, "not valid UTF-8")
}

// A flat chain of conditions is one level deep, however long.
func TestCompile_LongFlatChainIsNotDeep(t *testing.T) {
	fx := newFixture(t, testutil.OpenDB(t, "sqlite"))
	terms := make([]string, filter.MaxDepth+20)
	for i := range terms {
		terms[i] = "quantity == 1"
	}
	if _, err := filter.Compile(strings.Join(terms, " || "), fx.env); err != nil {
		t.Fatal(err)
	}
}

// assertRefused checks the error's whole shape; pos -1 accepts any position.
func assertRefused(t *testing.T, src string, env filter.Env, pos int, want string) {
	t.Helper()
	p, err := filter.Compile(src, env)
	if err == nil {
		t.Fatalf("Compile(%q) = %q %v, want an error", short(src), p.SQL, p.Args)
	}
	var pe *problem.Error
	if !errors.As(err, &pe) {
		t.Fatalf("error %T %v is not a *problem.Error", err, err)
	}
	if pe.Status != http.StatusBadRequest || pe.Code != problem.CodeInvalidFilter || len(pe.Errors) != 1 {
		t.Fatalf("got status %d code %s errors %v", pe.Status, pe.Code, pe.Errors)
	}
	fe := pe.Errors[0]
	if fe.Field != "filter" || fe.Code != problem.CodeInvalidFilter || fe.Position == nil {
		t.Fatalf("field error = %+v", fe)
	}
	if !strings.Contains(fe.Message, want) {
		t.Errorf("message %q does not contain %q", fe.Message, want)
	}
	if pos >= 0 && *fe.Position != pos {
		t.Errorf("position %d, want %d (%q)", *fe.Position, pos, src[min(pos, len(src)):])
	}
}

func short(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}
