package metadata

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/internal/sqldialect"
)

// decimalType covers number, currency and percent: exact decimals with a
// precision and scale, never float64.
type decimalType struct {
	name             string
	precision, scale int
}

func init() {
	register(decimalType{name: TypeNumber, precision: 18, scale: 2})
	register(decimalType{name: TypeCurrency, precision: 18, scale: 2})
	register(decimalType{name: TypePercent, precision: 9, scale: 4})
}

var _ FieldType = decimalType{}

// MaxPrecision bounds decimal fields; PostgreSQL allows more, but exchange
// with other systems and SQLite's REAL comparisons do not.
const MaxPrecision = 28

var currencyCode = regexp.MustCompile(`^[A-Z]{3}$`)

func (t decimalType) Name() string                       { return t.name }
func (decimalType) Storage(*Field) sqldialect.ColumnKind { return sqldialect.KindDecimal }

func (t decimalType) Normalize(f *Field, obj *Object, _ *Snapshot) []problem.FieldError {
	var errs []problem.FieldError
	if f.Precision == nil {
		p := t.precision
		f.Precision = &p
	}
	if f.Scale == nil {
		s := t.scale
		f.Scale = &s
	}
	if *f.Precision < 1 || *f.Precision > MaxPrecision {
		errs = append(errs, problem.FieldError{Field: "precision", Code: problem.CodeOutOfRange,
			Message: fmt.Sprintf("precision must be between 1 and %d", MaxPrecision)})
	}
	if *f.Scale < 0 || *f.Scale > *f.Precision {
		errs = append(errs, problem.FieldError{Field: "scale", Code: problem.CodeOutOfRange,
			Message: "scale must be between 0 and precision"})
	}
	errs = append(errs, checkRange(f)...)
	if t.name != TypeCurrency {
		if f.CurrencyCode != "" || f.CurrencyField != "" {
			errs = append(errs, problem.FieldError{Field: "currency_code", Code: problem.CodeInvalidValue,
				Message: "only currency fields have a currency"})
		}
		return errs
	}
	if f.CurrencyCode != "" && !currencyCode.MatchString(f.CurrencyCode) {
		errs = append(errs, problem.FieldError{Field: "currency_code", Code: problem.CodeInvalidValue,
			Message: "currency_code must be an ISO 4217 code such as CNY or USD"})
	}
	if f.CurrencyField != "" {
		cf := obj.Field(f.CurrencyField)
		if cf == nil || (cf.Type != TypePicklist && cf.Type != TypeText) {
			errs = append(errs, problem.FieldError{Field: "currency_field", Code: problem.CodeUnknownField,
				Message: fmt.Sprintf("currency_field %q must name a picklist or text field of this object", f.CurrencyField)})
		}
	}
	return errs
}

// Coerce accepts a decimal string, a JSON number, or for currency fields
// {"amount": "...", "currency": "CNY"}.
func (t decimalType) Coerce(f *Field, in any) (any, *problem.FieldError) {
	if m, ok := in.(map[string]any); ok && t.name == TypeCurrency {
		amount, ok := m["amount"]
		if !ok || amount == nil {
			return nil, typeError(f, "%s must have an amount", f.APIName)
		}
		if code, ok := m["currency"].(string); ok && f.CurrencyCode != "" && code != f.CurrencyCode {
			return nil, valueError(f, "%s is in %s; %s was given", f.APIName, f.CurrencyCode, code)
		}
		in = amount
	}
	var (
		d   decimal.Decimal
		err error
	)
	switch v := in.(type) {
	case string:
		s := strings.TrimSpace(v)
		if t.name == TypePercent {
			s = strings.TrimSuffix(s, "%")
		}
		if !plainDecimal.MatchString(s) {
			return nil, typeError(f, "%s must be a decimal number such as 1234.50", f.APIName)
		}
		d, err = decimal.NewFromString(s)
	case json.Number:
		if !plainDecimal.MatchString(v.String()) {
			return nil, typeError(f, "%s must be a decimal number such as 1234.50", f.APIName)
		}
		d, err = decimal.NewFromString(v.String())
	case float64:
		d = decimal.NewFromFloat(v)
	case int64:
		d = decimal.NewFromInt(v)
	case int:
		d = decimal.NewFromInt(int64(v))
	case decimal.Decimal:
		d = v
	default:
		return nil, typeError(f, "%s must be a decimal number", f.APIName)
	}
	if err != nil {
		return nil, typeError(f, "%s must be a decimal number such as 1234.50", f.APIName)
	}
	return fitDecimal(f, d)
}

// plainDecimal refuses exponents and hex: they are ambiguous in money and an
// exponent like 1e1000000 would allocate without bound.
var plainDecimal = regexp.MustCompile(`^[+-]?(\d{1,40}(\.\d{0,40})?|\.\d{1,40})$`)

func fitDecimal(f *Field, d decimal.Decimal) (any, *problem.FieldError) {
	scale := 2
	if f.Scale != nil {
		scale = *f.Scale
	}
	precision := 18
	if f.Precision != nil {
		precision = *f.Precision
	}
	if !d.Round(int32(scale)).Equal(d) {
		return nil, valueError(f, "%s has more than %d decimal places", f.APIName, scale)
	}
	d = d.Round(int32(scale))
	intDigits := len(d.Abs().Truncate(0).String())
	if d.Abs().LessThan(decimal.NewFromInt(1)) {
		intDigits = 0
	}
	if intDigits > precision-scale {
		return nil, fieldErr(f.APIName, problem.CodeOutOfRange, "%s has more than %d digits before the decimal point", f.APIName, precision-scale)
	}
	if fe := inRange(f, d); fe != nil {
		return nil, fe
	}
	return d, nil
}
