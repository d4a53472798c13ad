package expression

import (
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/tessera-crm/tessera/metadata"
)

func TestZZTmpCanon(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	pick := &metadata.Field{APIName: "p", Type: metadata.TypePicklist, Active: true, Options: []metadata.Option{{APIName: "a", Active: true}}}
	txt := &metadata.Field{APIName: "t", Type: metadata.TypeText, Active: true, MaxLength: ptr(3)}
	cur := &metadata.Field{APIName: "c", Type: metadata.TypeCurrency, Active: true, Scale: ptr(2), Precision: ptr(5)}
	in := &metadata.Field{APIName: "i", Type: metadata.TypeInteger, Active: true}
	dt := &metadata.Field{APIName: "d", Type: metadata.TypeDate, Active: true}
	for _, c := range []struct {
		f *metadata.Field
		v any
	}{
		{pick, "a"}, {pick, "zz"}, {txt, "abcd"}, {txt, ""}, {cur, decimal.RequireFromString("1234.567")}, {cur, decimal.RequireFromString("123456.7")},
		{in, decimal.RequireFromString("2.5")}, {in, decimal.RequireFromString("-2.5")}, {dt, time.Date(2026, 11, 24, 20, 30, 0, 0, time.UTC)},
		{txt, decimal.RequireFromString("12")}, {&metadata.Field{APIName: "b", Type: metadata.TypeBoolean, Active: true}, false},
	} {
		out, err := Canonical(c.f, c.v, loc)
		fmt.Printf("%s %v => %#v %v\n", c.f.Type, c.v, out, err)
	}
}
