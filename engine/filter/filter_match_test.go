package filter_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/tessera-crm/tessera/engine/filter"
	"github.com/tessera-crm/tessera/internal/database"
	"github.com/tessera-crm/tessera/internal/testutil"
)

// Rows (see fixture_test.go):
//
//	o1 "Acme 100% deal" amount 100.50 qty 5   close 2025-01-31 prospect [hot vip] active   account A (tier gold, vip)
//	o2 "Beta_deal"      amount 20.00  qty 10  close 2025-03-11 won      [cold]    inactive account B (tier silver)
//	o3 "gamma"          everything else empty
//	o4 "Delta"          amount 1000   qty 200 close 2024-12-31 legacy   [vip]     active   account C (no tier)
//	o5 "Echo"           amount -5.25  qty 0   close 2025-03-12 lost     []        inactive account D (deleted, tier gold)
var matchCases = []struct {
	filter string
	want   []string
}{
	// Decimals order by value, not as SQLite text ("100.50" < "25" as text).
	{`amount > 25`, []string{"o1", "o4"}},
	{`amount >= 20`, []string{"o1", "o2", "o4"}},
	{`amount < 100.5`, []string{"o2", "o5"}},
	{`amount == 100.5`, []string{"o1"}},
	{`amount == "100.50"`, []string{"o1"}},
	{`100.5 <= amount`, []string{"o1", "o4"}},
	{`amount > -10 && amount < 0`, []string{"o5"}},
	{`amount in [20, 1000.00]`, []string{"o2", "o4"}},
	{`amount != 20`, []string{"o1", "o3", "o4", "o5"}},
	{`amount == nil`, []string{"o3"}},
	{`nil != amount`, []string{"o1", "o2", "o4", "o5"}},
	{`!(amount > 25)`, []string{"o2", "o3", "o5"}},
	{`probability >= 50`, []string{"o1", "o2"}},

	{`quantity > 5`, []string{"o2", "o4"}},
	{`quantity in [0, 5]`, []string{"o1", "o5"}},
	{`quantity < 5000`, []string{"o1", "o2", "o4", "o5"}}, // beyond the field's max is still a fair question
	{`1 < quantity < 100`, []string{"o1", "o2"}},
	{`quantity in []`, nil},
	{`not (quantity in [])`, []string{"o1", "o2", "o3", "o4", "o5"}},

	{`close_date >= "2025-01-31"`, []string{"o1", "o2", "o5"}},
	{`close_date < date("2025-01-31")`, []string{"o4"}},
	{`close_date == today()`, []string{"o2"}}, // today is 2025-03-11 in Asia/Shanghai
	{`close_date == days_from_now(1)`, []string{"o5"}},
	{`close_date < days_ago(40)`, []string{"o4"}},        // before 2025-01-30
	{`close_date <= days_ago(39)`, []string{"o1", "o4"}}, // up to 2025-01-31
	{`closed_at < days_ago(0)`, []string{"o1", "o4"}},
	{`close_date < now()`, []string{"o1", "o4"}},
	{`closed_at >= datetime("2025-03-10T16:30:00Z")`, []string{"o2", "o5"}},
	{`closed_at > "2025-01-31T09:00:00+01:00"`, []string{"o2", "o5"}},
	{`closed_at >= today()`, []string{"o2", "o5"}}, // from midnight in Shanghai, 2025-03-10T16:00Z
	{`closed_at >= date("2025-03-11")`, []string{"o2", "o5"}},
	{`closed_at < now()`, []string{"o1", "o2", "o4"}},

	{`stage == "won"`, []string{"o2"}},
	{`stage != "won"`, []string{"o1", "o3", "o4", "o5"}},
	{`stage in ["won", "lost"]`, []string{"o2", "o5"}},
	{`stage not in ["won", "lost"]`, []string{"o1", "o3", "o4"}},
	{`stage == "legacy"`, []string{"o4"}}, // inactive options stay findable

	{`tags contains "vip"`, []string{"o1", "o4"}},
	{`not (tags contains "vip")`, []string{"o2", "o3", "o5"}},
	{`tags not contains "vip"`, []string{"o2", "o3", "o5"}},
	{`tags contains "hot" && tags contains "vip"`, []string{"o1"}},
	{`tags == nil`, []string{"o3"}},

	{`name contains "%"`, []string{"o1"}},
	{`name contains "100%"`, []string{"o1"}},
	{`name contains "_"`, []string{"o2"}},
	{`notes contains "\\temp"`, []string{"o1"}},
	{`name startsWith "acme"`, []string{"o1"}},
	{`name endsWith "DEAL"`, []string{"o1", "o2"}},
	{`name not contains "a"`, []string{"o5"}},
	{`email endsWith "@ACME.com"`, []string{"o1"}},
	{`email == "SALES@acme.com"`, []string{"o1"}},
	{`stage startsWith "w"`, []string{"o2"}},
	{`code == "OPP-0002"`, []string{"o2"}},
	{`code startsWith "opp"`, []string{"o1", "o2", "o4"}},
	{`name == "Robert'); DROP TABLE x; --"`, nil},

	{`account_id.tier == "gold"`, []string{"o1"}}, // o5's account is deleted
	{`account_id.tier != "gold"`, []string{"o2", "o4"}},
	{`account_id.tier == nil`, []string{"o4"}},
	{`account_id.tier in ["gold", "silver"]`, []string{"o1", "o2"}},
	{`account_id.is_vip`, []string{"o1"}},
	{`!account_id.is_vip`, []string{"o2", "o3", "o4", "o5"}},
	{`account_id.name startsWith "br"`, []string{"o2"}},
	{`account_id.parent_id == "{{accA}}"`, []string{"o4"}},
	{`account_id == "{{accA}}"`, []string{"o1"}},
	{`account_id == nil`, []string{"o3"}},

	{`is_active`, []string{"o1", "o4"}},
	{`!is_active`, []string{"o2", "o3", "o5"}},
	{`is_active == false`, []string{"o2", "o5"}},
	{`(stage == "won" || amount > 500) && is_active`, []string{"o4"}},
	{`stage == "won" or stage == "lost" and is_active`, []string{"o2"}},
	{`stage == "won" || stage == "lost" || stage == "prospect" || amount == nil`, []string{"o1", "o2", "o3", "o5"}},
	{`not (is_active and amount > 500)`, []string{"o1", "o2", "o3", "o5"}},

	{`id == "{{o1}}"`, []string{"o1"}},
	{`id in ["{{o1}}", "{{o2}}"]`, []string{"o1", "o2"}},
	{`created_at < datetime("2025-01-02T00:00:00Z") && version == 1`, []string{"o1", "o2", "o3", "o4", "o5"}},
	{`owner_id == nil && updated_by == nil`, []string{"o1", "o2", "o3", "o4", "o5"}},
}

func TestCompile_MatchesExpectedRows(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, db *database.DB) {
		fx := newFixture(t, db)
		ctx := context.Background()
		for _, tc := range matchCases {
			t.Run(tc.filter, func(t *testing.T) {
				p, err := filter.Compile(fx.expand(tc.filter), fx.env)
				if err != nil {
					t.Fatalf("compile: %v", err)
				}
				if n := strings.Count(p.SQL, "?"); n != len(p.Args) {
					t.Fatalf("%d placeholders, %d args: %s", n, len(p.Args), p.SQL)
				}
				got, err := fx.query(ctx, p)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(got, tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
					t.Errorf("matched %v, want %v\nSQL: %s\nargs: %v", got, tc.want, p.SQL, p.Args)
				}
			})
		}
	})
}

func TestCompile_BlankFilterIsNoPredicate(t *testing.T) {
	for _, src := range []string{"", "  \n\t "} {
		p, err := filter.Compile(src, filter.Env{})
		if p != nil || err != nil {
			t.Errorf("Compile(%q) = %v, %v; want nil, nil", src, p, err)
		}
	}
}

func TestCompile_ValuesAreBoundNeverInlined(t *testing.T) {
	fx := newFixture(t, testutil.OpenDB(t, "sqlite"))
	p, err := filter.Compile(`name == "x' OR 1=1 --" || notes contains "y\" OR \"1\"=\"1"`, fx.env)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(p.SQL, "1=1") || strings.Contains(p.SQL, `"1"`) || strings.Contains(p.SQL, "x'") {
		t.Fatalf("a value reached the SQL: %s", p.SQL)
	}
	if len(p.Args) != 2 {
		t.Fatalf("args = %v, want the two values", p.Args)
	}
}

func TestCompile_AcceptsAListOfMaxItems(t *testing.T) {
	fx := newFixture(t, testutil.OpenDB(t, "sqlite"))
	items := strings.TrimSuffix(strings.Repeat("1,", filter.MaxListItems), ",")
	p, err := filter.Compile("quantity in ["+items+"]", fx.env)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Args) != filter.MaxListItems {
		t.Fatalf("%d args, want %d", len(p.Args), filter.MaxListItems)
	}
	if _, err := fx.query(context.Background(), p); err != nil {
		t.Fatal(err)
	}
}
