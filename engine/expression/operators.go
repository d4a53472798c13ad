package expression

import (
	"errors"
	"time"

	"github.com/expr-lang/expr"
	"github.com/shopspring/decimal"
)

// MaxTextBytes caps any text an expression builds, so that repeated
// doubling cannot exhaust memory.
const MaxTextBytes = 64 << 10

var (
	errDivisionByZero = errors.New("division by zero")
	errTextTooLong    = errors.New("the text built is longer than 64 KiB")
)

// numericPairs are the operand types of arithmetic and comparison between
// numbers: decimals, and integer literals on either side.
var numericPairs = [][2]any{
	{decimal.Decimal{}, decimal.Decimal{}}, {decimal.Decimal{}, 0}, {0, decimal.Decimal{}}, {0, 0},
}

// operatorOptions overloads the operators so that every number is a
// decimal (exact money, exact division) and blanks behave as in SQL: a
// blank operand makes arithmetic blank and comparisons false.
func operatorOptions() []expr.Option {
	var opts []expr.Option
	arith := map[string]func(a, b decimal.Decimal) (any, error){
		"+": func(a, b decimal.Decimal) (any, error) { return a.Add(b), nil },
		"-": func(a, b decimal.Decimal) (any, error) { return a.Sub(b), nil },
		"*": func(a, b decimal.Decimal) (any, error) { return a.Mul(b), nil },
		"/": func(a, b decimal.Decimal) (any, error) {
			if b.IsZero() {
				return nil, errDivisionByZero
			}
			return a.Div(b), nil
		},
		"%": func(a, b decimal.Decimal) (any, error) {
			if b.IsZero() {
				return nil, errDivisionByZero
			}
			return a.Mod(b), nil
		},
		"**": power,
		"^":  power,
	}
	for op, fn := range arith {
		name := "$op" + op
		opts = append(opts, expr.Function(name, numeric(fn), signatures(numberType)...), expr.Operator(op, name))
	}
	compare := map[string]func(c int) bool{
		"<": func(c int) bool { return c < 0 }, "<=": func(c int) bool { return c <= 0 },
		">": func(c int) bool { return c > 0 }, ">=": func(c int) bool { return c >= 0 },
		"==": func(c int) bool { return c == 0 }, "!=": func(c int) bool { return c != 0 },
	}
	for op, test := range compare {
		name := "$cmp" + op
		types := append(signatures(boolType), new(func(time.Time, time.Time) bool))
		opts = append(opts, expr.Function(name, comparison(op, test), types...), expr.Operator(op, name))
	}
	opts = append(opts,
		expr.Function("$concat", concatTexts, new(func(string, string) string)),
		expr.Operator("+", "$concat"),
		// A number in a list of numbers compares by value (2 in [2.0]).
		expr.Function("$in", numberIn, new(func(decimal.Decimal, []int) bool), new(func(decimal.Decimal, []decimal.Decimal) bool),
			new(func(decimal.Decimal, []any) bool), new(func(int, []decimal.Decimal) bool), new(func(int, []any) bool)),
		expr.Operator("in", "$in"),
		// The days from one date to another, as days_between.
		expr.Function("$datediff", dateDiff, new(func(time.Time, time.Time) decimal.Decimal)),
		expr.Operator("-", "$datediff"))
	return opts
}

func power(a, b decimal.Decimal) (any, error) {
	if !b.IsInteger() || b.Abs().GreaterThan(decimal.NewFromInt(1000)) {
		return nil, errors.New("a power must be a whole number between -1000 and 1000")
	}
	if a.IsZero() && b.IsNegative() {
		return nil, errDivisionByZero
	}
	return a.Pow(b), nil
}

// signatures declares a numeric operator's operand pairs with result type
// out.
func signatures(out any) []any {
	var types []any
	for _, pair := range numericPairs {
		types = append(types, funcType(pair[0], pair[1], out))
	}
	return types
}

func numeric(fn func(a, b decimal.Decimal) (any, error)) func(...any) (any, error) {
	return func(p ...any) (any, error) {
		a, okA := toDecimal(p[0])
		b, okB := toDecimal(p[1])
		if !okA || !okB {
			return nil, nil // blank in, blank out
		}
		return fn(a, b)
	}
}

func comparison(op string, test func(int) bool) func(...any) (any, error) {
	return func(p ...any) (any, error) {
		if p[0] == nil || p[1] == nil {
			// As in SQL, a blank is neither above nor below anything; it
			// only differs.
			return op == "!=" && (p[0] != nil || p[1] != nil), nil
		}
		if ta, ok := p[0].(time.Time); ok {
			tb, ok := p[1].(time.Time)
			if !ok {
				return false, nil
			}
			return test(ta.Compare(tb)), nil
		}
		a, okA := toDecimal(p[0])
		b, okB := toDecimal(p[1])
		if !okA || !okB {
			return false, nil
		}
		return test(a.Cmp(b)), nil
	}
}

func concatTexts(p ...any) (any, error) {
	a, _ := p[0].(string)
	b, _ := p[1].(string)
	if len(a)+len(b) > MaxTextBytes {
		return nil, errTextTooLong
	}
	return a + b, nil
}

func numberIn(p ...any) (any, error) {
	x, ok := toDecimal(p[0])
	if !ok {
		return false, nil
	}
	switch list := p[1].(type) {
	case []int:
		for _, v := range list {
			if x.Equal(decimal.NewFromInt(int64(v))) {
				return true, nil
			}
		}
	case []decimal.Decimal:
		for _, v := range list {
			if x.Equal(v) {
				return true, nil
			}
		}
	case []any:
		for _, v := range list {
			if d, ok := toDecimal(v); ok && x.Equal(d) {
				return true, nil
			}
		}
	}
	return false, nil
}

// dateDiff is a - b in calendar days; instants count whole days of 24
// hours. Blank in, blank out.
func dateDiff(p ...any) (any, error) {
	a, okA := p[0].(time.Time)
	b, okB := p[1].(time.Time)
	if !okA || !okB {
		return nil, nil
	}
	return decimal.NewFromInt(int64(a.Sub(b).Hours() / 24)), nil
}
