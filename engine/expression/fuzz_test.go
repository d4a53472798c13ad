package expression

import (
	"testing"

	"github.com/tessera-crm/tessera/internal/problem"
)

// FuzzCompile feeds arbitrary text to the checker: it must refuse with a
// positioned 400 or compile, never panic or fail otherwise, and a compiled
// program must run to a value or an evaluation error.
func FuzzCompile(f *testing.F) {
	for _, seed := range []string{
		`amount > 100000 && stage == "negotiation"`, `account_id.tier == "A"`, `add_days(close_date, 7) < $today`,
		`if(amount > 0, amount / quantity, 0)`, `case(stage, "qualify", 1, 2)`, `is_changed("stage")`, `prior.amount`,
		`concat(name, " ", label(stage))`, `let x = 1; x + 1`, `any(industries, # == "finance")`, `amout >`, `"\xff"`,
		`$user.role in ["a", "b"]`, `format(amount, "#,##0.00")`, `-amount ** 2`, `name[0:2]`, `{"a": 1}.a`, `1..3`,
	} {
		f.Add(seed)
	}
	snap := fixture()
	e := env(snap, Any)
	f.Fuzz(func(t *testing.T, src string) {
		p, err := Compile(src, e)
		if err != nil {
			pe, ok := problem.As(err)
			if !ok || pe.Status != 400 || len(pe.Errors) != 1 || pe.Errors[0].Position == nil {
				t.Fatalf("%q: want a positioned 400, got %v", src, err)
			}
			if pos := *pe.Errors[0].Position; pos < 0 || pos > len(src) {
				t.Fatalf("%q: position %d outside the source", src, pos)
			}
			return
		}
		if _, err := p.Run(Vars(sampleInput(), p)); err != nil {
			if _, ok := err.(*EvalError); !ok {
				t.Fatalf("%q: run error %T %v", src, err, err)
			}
		}
	})
}
