package expression

import (
	"errors"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tessera-crm/tessera/metadata"
)

// Canonical converts a program's result into the canonical value of field
// f (see metadata.FieldType), checked against the field's limits: numbers
// are rounded half away from zero to the field's scale (to whole numbers
// for integers), instants become the tenant's calendar day for date
// fields. nil stays nil.
func Canonical(f *metadata.Field, v any, loc *time.Location) (any, error) {
	if v == nil {
		return nil, nil
	}
	var in any
	switch x := v.(type) {
	case decimal.Decimal:
		switch f.Type {
		case metadata.TypeInteger:
			in = x.Round(0).IntPart()
		case metadata.TypeNumber, metadata.TypeCurrency, metadata.TypePercent:
			scale := int32(2)
			if f.Scale != nil {
				scale = int32(*f.Scale)
			}
			in = x.Round(scale)
		default:
			in = x.String()
		}
	case int:
		in = int64(x)
	case time.Time:
		switch f.Type {
		case metadata.TypeDate:
			in = dateOf(x, loc).Format(metadata.DateLayout)
		case metadata.TypeDatetime:
			in = x.UTC().Format(time.RFC3339Nano)
		default:
			in = text(x, loc)
		}
	case []string:
		list := make([]any, len(x))
		for i, s := range x {
			list[i] = s
		}
		in = list
	default:
		in = v
	}
	if s, ok := in.(string); ok && s == "" {
		return nil, nil
	}
	out, fe := f.Kind().Coerce(f, in)
	if fe != nil {
		return nil, errors.New(fe.Message)
	}
	return out, nil
}

// JSON renders a program's result as the API shows values: numbers as
// decimal strings, dates as YYYY-MM-DD, instants in RFC 3339 UTC.
func JSON(v any) any {
	switch x := v.(type) {
	case decimal.Decimal:
		return x.String()
	case time.Time:
		if isDate(x) {
			return x.Format(metadata.DateLayout)
		}
		return x.UTC().Format(time.RFC3339Nano)
	}
	return v
}

// AsText renders a result as text the way concat does (numbers in full,
// dates as YYYY-MM-DD, instants in the tenant's zone), for templates.
func AsText(v any, loc *time.Location) string { return text(v, loc) }
