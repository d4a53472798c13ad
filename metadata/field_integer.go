package metadata

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/internal/sqldialect"
)

type integerType struct{}

func init() { register(integerType{}) }

var _ FieldType = integerType{}

func (integerType) Name() string                         { return TypeInteger }
func (integerType) Storage(*Field) sqldialect.ColumnKind { return sqldialect.KindInteger }

func (integerType) Normalize(f *Field, _ *Object, _ *Snapshot) []problem.FieldError {
	return checkRange(f)
}

func (integerType) Coerce(f *Field, in any) (any, *problem.FieldError) {
	var n int64
	switch v := in.(type) {
	case json.Number:
		i, err := strconv.ParseInt(v.String(), 10, 64)
		if err != nil {
			return nil, typeError(f, "%s must be a whole number between %d and %d", f.APIName, int64(math.MinInt64), int64(math.MaxInt64))
		}
		n = i
	case float64:
		if v != math.Trunc(v) || math.Abs(v) > 1<<53 {
			return nil, typeError(f, "%s must be a whole number", f.APIName)
		}
		n = int64(v)
	case int64:
		n = v
	case int:
		n = int64(v)
	case string:
		i, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil {
			return nil, typeError(f, "%s must be a whole number", f.APIName)
		}
		n = i
	default:
		return nil, typeError(f, "%s must be a whole number", f.APIName)
	}
	if fe := inRange(f, decimal.NewFromInt(n)); fe != nil {
		return nil, fe
	}
	return n, nil
}

func checkRange(f *Field) []problem.FieldError {
	if f.Min != nil && f.Max != nil && f.Min.GreaterThan(*f.Max) {
		return []problem.FieldError{{Field: "min", Code: problem.CodeOutOfRange, Message: "min must not be greater than max"}}
	}
	return nil
}

func inRange(f *Field, d decimal.Decimal) *problem.FieldError {
	if f.Min != nil && d.LessThan(*f.Min) {
		return fieldErr(f.APIName, problem.CodeOutOfRange, "%s must be at least %s", f.APIName, f.Min.String())
	}
	if f.Max != nil && d.GreaterThan(*f.Max) {
		return fieldErr(f.APIName, problem.CodeOutOfRange, "%s must be at most %s", f.APIName, f.Max.String())
	}
	return nil
}
