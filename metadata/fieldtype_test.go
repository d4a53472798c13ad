package metadata

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tessera-crm/tessera/internal/sqldialect"
)

func normalized(t *testing.T, f *Field) *Field {
	t.Helper()
	o := &Object{APIName: "thing", Fields: []*Field{f}}
	o.index()
	if errs := normalizeField(f, o, NewSnapshot(Tenant{}, 1, []*Object{o}), ""); len(errs) > 0 {
		t.Fatalf("normalize %s: %v", f.APIName, errs)
	}
	return f
}

func TestCoerce_CanonicalValues(t *testing.T) {
	money := normalized(t, &Field{APIName: "amount", Type: TypeCurrency, Labels: Labels{"en": "A"}})
	cases := []struct {
		f    *Field
		in   any
		want any
	}{
		{money, "1234.5", decimal.RequireFromString("1234.5")},
		{money, json.Number("0.1"), decimal.RequireFromString("0.1")},
		{normalized(t, &Field{APIName: "n", Type: TypeInteger, Labels: Labels{"en": "N"}}), json.Number("-42"), int64(-42)},
		{normalized(t, &Field{APIName: "d", Type: TypeDate, Labels: Labels{"en": "D"}}), " 2024-02-29 ", "2024-02-29"},
		{normalized(t, &Field{APIName: "e", Type: TypeEmail, Labels: Labels{"en": "E"}}), "A.B@Example.COM", "a.b@example.com"},
	}
	for _, c := range cases {
		got, fe := c.f.Kind().Coerce(c.f, c.in)
		if fe != nil {
			t.Errorf("%s %v: %v", c.f.APIName, c.in, fe.Message)
			continue
		}
		if d, ok := c.want.(decimal.Decimal); ok {
			if !got.(decimal.Decimal).Equal(d) {
				t.Errorf("%s %v = %v", c.f.APIName, c.in, got)
			}
			continue
		}
		if got != c.want {
			t.Errorf("%s %v = %#v, want %#v", c.f.APIName, c.in, got, c.want)
		}
	}
	dt := normalized(t, &Field{APIName: "at", Type: TypeDatetime, Labels: Labels{"en": "At"}})
	got, fe := dt.Kind().Coerce(dt, "2025-03-01T09:30:00.1234567+08:00")
	if fe != nil || !got.(time.Time).Equal(time.Date(2025, 3, 1, 1, 30, 0, 123456000, time.UTC)) {
		t.Errorf("datetime: %v %v", got, fe)
	}
}

func TestStorage_DecimalRoundTripIsExact(t *testing.T) {
	f := normalized(t, &Field{APIName: "amount", Type: TypeCurrency, Labels: Labels{"en": "A"}, Precision: ptr(28), Scale: ptr(4)})
	v, fe := f.Kind().Coerce(f, "123456789012345678901234.5678")
	if fe != nil {
		t.Fatal(fe.Message)
	}
	for _, d := range []sqldialect.Name{sqldialect.SQLite, sqldialect.Postgres} {
		bound := f.Bind(d, v)
		if out := f.Output(bound); out != "123456789012345678901234.5678" {
			t.Errorf("%s: %v", d, out)
		}
	}
}

func ptr[T any](v T) *T { return &v }

func TestConversionAllowed(t *testing.T) {
	allowed := [][2]string{{TypeText, TypeInteger}, {TypeInteger, TypeCurrency}, {TypeDate, TypeDatetime}, {TypePicklist, TypeMultiPicklist}, {TypeNumber, TypeText}}
	refused := [][2]string{{TypeBoolean, TypeInteger}, {TypeDatetime, TypeDate}, {TypeMultiPicklist, TypePicklist}, {TypeLongText, TypeBoolean}}
	for _, p := range allowed {
		if !conversionAllowed(p[0], p[1]) {
			t.Errorf("%s -> %s refused", p[0], p[1])
		}
	}
	for _, p := range refused {
		if conversionAllowed(p[0], p[1]) {
			t.Errorf("%s -> %s allowed", p[0], p[1])
		}
	}
}
