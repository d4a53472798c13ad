package expression

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tessera-crm/tessera/internal/problem"
)

func eval(t *testing.T, src string, in *Input) any {
	t.Helper()
	p := compileOK(t, src, env(fixture(), Any))
	out, err := p.Run(Vars(in, p))
	if err != nil {
		t.Fatalf("run %q: %v", src, err)
	}
	return out
}

func TestEvaluate_TypedFromMetadata(t *testing.T) {
	cases := []struct {
		src  string
		want any
	}{
		{`amount > 100000 && stage == "negotiation"`, true},
		{`amount * (1 - discount / 100)`, dec("102000")},
		{`7 / 2`, dec("3.5")},
		{`0.1 + 0.2 == 0.3`, true}, // decimal, not float
		{`quantity * 2`, dec("24")},
		{`-amount`, dec("-120000")},
		{`account_id.tier == "A" && account_id.annual_revenue >= 5000000`, true},
		{`$user.role == "sales_rep" && $user.team == "east"`, true},
		{`$today`, time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)},
		{`close_date < $today`, true},
		{`"finance" in industries`, true},
		{`name + " / " + account_id.name`, "Big deal / Acme"},
		{`is_key ? "key" : "normal"`, "key"},
		{`if(amount > 0, amount / quantity, 0)`, dec("10000")},
		{`case(account_id.tier, "A", 20, "B", 10, 0)`, dec("20")},
		{`case("Z", "A", 20, "B", 10)`, nil},
		{`let net = amount * 0.9; net > 100000`, true},
		{`any(industries, # startsWith "fin")`, true},
	}
	for _, tc := range cases {
		got := eval(t, tc.src, sampleInput())
		if !same(got, tc.want) {
			t.Errorf("%s = %v (%T), want %v", tc.src, got, got, tc.want)
		}
	}
}

func same(a, b any) bool {
	if da, ok := a.(decimal.Decimal); ok {
		db, ok := b.(decimal.Decimal)
		return ok && da.Equal(db)
	}
	if ta, ok := a.(time.Time); ok {
		tb, ok := b.(time.Time)
		return ok && ta.Equal(tb)
	}
	return a == b
}

func TestEvaluate_BlanksBehaveAsInSQL(t *testing.T) {
	in := sampleInput()
	in.Record = map[string]any{"stage": "qualify"}
	in.Related = nil
	cases := []struct {
		src  string
		want any
	}{
		{`amount > 0`, false},
		{`amount < 0`, false},
		{`amount == 0`, false},
		{`amount != 0`, true},
		{`amount == nil`, true},
		{`name == nil`, true},
		{`name != nil`, false},
		{`amount * 2`, nil},
		{`coalesce(amount, 0) + 1`, dec("1")},
		{`is_blank(account_id)`, true},
		{`account_id.tier == "A"`, false},
		{`close_date < $today`, false},
		{`add_days(close_date, 3)`, nil},
		{`length(name)`, dec("0")},
		{`is_blank(industries)`, true},
	}
	for _, tc := range cases {
		got := eval(t, tc.src, in)
		if !same(got, tc.want) {
			t.Errorf("%s = %v (%T), want %v", tc.src, got, got, tc.want)
		}
	}
}

func TestEvaluate_PriorAndIsChanged(t *testing.T) {
	e := env(fixture(), Boolean)
	p := compileOK(t, `is_changed("stage") && prior.stage == "qualify" && amount > prior.amount`, e)
	in := sampleInput()
	in.Prior = map[string]any{"stage": "qualify", "amount": "1000.00"}
	if ok, err := p.Bool(Vars(in, p)); err != nil || !ok {
		t.Fatalf("update from qualify: %v %v", ok, err)
	}
	in.Prior = map[string]any{"stage": "negotiation", "amount": "1000.00"}
	if ok, _ := p.Bool(Vars(in, p)); ok {
		t.Fatal("stage unchanged must not match")
	}
	// On create there is no prior record: is_changed means "is set".
	c := compileOK(t, `is_changed("stage")`, e)
	in.Prior = nil
	if ok, _ := c.Bool(Vars(in, c)); !ok {
		t.Fatal("a stage set on create counts as changed")
	}
	if !p.UsesPrior || len(p.Fields) == 0 {
		t.Fatalf("program should report reading prior values: %+v", p)
	}
}

func TestCompile_ErrorsCarryPositionAndSuggestion(t *testing.T) {
	cases := []struct {
		src        string
		pos        int
		suggestion string
		contains   string
	}{
		{`amout > 100`, 0, "amount", "did you mean `amount`"},
		{`stage == "won" && amout > 1`, 18, "amount", "unknown field `amout`"},
		{`account_id.tierr == "A"`, 0, "account_id.tier", "account has no field `tierr`"},
		{`name.tier == "A"`, 0, "", "`name` is not a lookup"},
		{`add_dayz(close_date, 1)`, 0, "add_days", "unknown function `add_dayz`"},
		{`$user.rol == "x"`, 0, "$user.role", "not an attribute of the user"},
		{`amount > `, 8, "", "syntax error"},
		{`amount + "x"`, 7, "", "mismatched"},
		{`account_id.tax_id == "x"`, 0, "", "account has no field `tax_id`"},
		{`old_code == "x"`, 0, "", "unknown field `old_code`"},
		{`name.String()`, 5, "", "only the library's functions"},
		{`$env["amount"]`, 0, "", "unknown field `$env`"},
		{`if(amount > 0, 1)`, 0, "", "if takes three arguments"},
		{`label(amount)`, 6, "", "label takes a picklist field"},
		{`   `, 0, "", "empty"},
	}
	for _, tc := range cases {
		_, err := Compile(tc.src, env(fixture(), Any))
		pe, ok := problem.As(err)
		if !ok {
			t.Errorf("%q: want a problem, got %v", tc.src, err)
			continue
		}
		fe := pe.Errors[0]
		if pe.Status != 400 || fe.Code != problem.CodeInvalidExpression || fe.Field != "expression" {
			t.Errorf("%q: shape %+v", tc.src, pe)
		}
		if fe.Position == nil || *fe.Position != tc.pos {
			t.Errorf("%q: position %d, want %d (%s)", tc.src, deref(fe.Position), tc.pos, fe.Message)
		}
		if fe.Suggestion != tc.suggestion {
			t.Errorf("%q: suggestion %q, want %q", tc.src, fe.Suggestion, tc.suggestion)
		}
		if !contains(fe.Message, tc.contains) {
			t.Errorf("%q: message %q lacks %q", tc.src, fe.Message, tc.contains)
		}
	}
}

func contains(s, sub string) bool { return len(sub) == 0 || indexOf(s, sub) >= 0 }
func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

func TestCompile_ResultTypeAndContext(t *testing.T) {
	snap := fixture()
	if _, err := Compile(`amount * 2`, env(snap, Boolean)); err == nil || !contains(err.Error(), "true or false is expected") {
		t.Fatalf("a number where a condition is expected: %v", err)
	}
	if _, err := Compile(`close_date`, env(snap, Datetime)); err != nil {
		t.Fatalf("a date where an instant is expected converts: %v", err)
	}
	noPrior := Env{Snapshot: snap, Object: snap.Object("opportunity"), Field: "formula"}
	_, err := Compile(`prior.amount > 1`, noPrior)
	pe, _ := problem.As(err)
	if pe == nil || pe.Errors[0].Field != "formula" || !contains(pe.Errors[0].Message, "only available in rules that run when a record is saved") {
		t.Fatalf("prior outside save rules: %v", err)
	}
	if _, err := Compile(`is_changed("amount")`, noPrior); err == nil {
		t.Fatal("is_changed outside save rules must be refused")
	}
}

func TestCompile_IsCachedOnTheSnapshot(t *testing.T) {
	e := env(fixture(), Boolean)
	a := compileOK(t, `amount > 1`, e)
	b := compileOK(t, `amount > 1`, e)
	if a != b {
		t.Fatal("the second compile should come from the snapshot's cache")
	}
}

func TestRun_LimitsHoldAtRunTime(t *testing.T) {
	e := env(fixture(), Any)
	for _, src := range []string{
		`let a = name + name; let b = concat(a, a, a, a, a, a, a, a); let c = concat(b, b, b, b, b, b, b, b); let d = concat(c, c, c, c, c, c, c, c); concat(d, d, d, d, d, d, d, d)`,
		`count(1..1000000, # > 0)`,
		`amount / 0`,
	} {
		p := compileOK(t, src, e)
		in := sampleInput()
		in.Record["name"] = "0123456789"
		if _, err := p.Run(Vars(in, p)); err == nil {
			t.Errorf("%s: want a run-time error", src)
		} else if _, ok := err.(*EvalError); !ok {
			t.Errorf("%s: error %T %v", src, err, err)
		}
	}
}

func deref(p *int) int {
	if p == nil {
		return -1
	}
	return *p
}
