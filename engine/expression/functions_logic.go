package expression

import (
	"errors"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tessera-crm/tessera/metadata"
)

// currencyScale is the number of minor-unit digits of currencies that do
// not use two (ISO 4217).
var currencyScale = map[string]int32{
	"JPY": 0, "KRW": 0, "VND": 0, "CLP": 0, "ISK": 0, "UGX": 0, "PYG": 0, "XAF": 0, "XOF": 0,
	"BHD": 3, "KWD": 3, "OMR": 3, "JOD": 3, "TND": 3, "IQD": 3, "LYD": 3,
}

// CurrencyScale is how many decimal places amounts in code are rounded to.
func CurrencyScale(code string) int32 {
	if s, ok := currencyScale[strings.ToUpper(code)]; ok {
		return s
	}
	return 2
}

func decimals(p []any) ([]decimal.Decimal, bool) {
	out := make([]decimal.Decimal, 0, len(p))
	for _, v := range p {
		d, ok := toDecimal(v)
		if !ok {
			return nil, false
		}
		out = append(out, d)
	}
	return out, true
}

func numberFunctions() []*Function {
	doc := func(en, zh string) metadata.Labels { return metadata.Labels{"en": en, "zh-CN": zh} }
	d := decimal.Decimal{}
	one := func(fn func(decimal.Decimal) decimal.Decimal) func(...any) (any, error) {
		return func(p ...any) (any, error) {
			x, ok := toDecimal(p[0])
			if !ok {
				return nil, nil
			}
			return fn(x), nil
		}
	}
	extreme := func(pick func(a, b decimal.Decimal) bool) func(...any) (any, error) {
		return func(p ...any) (any, error) {
			var best *decimal.Decimal
			for _, v := range p {
				x, ok := toDecimal(v)
				if !ok {
					continue // blanks are skipped, as SQL's MIN and MAX do
				}
				if best == nil || pick(x, *best) {
					best = &x
				}
			}
			if best == nil {
				return nil, nil
			}
			return *best, nil
		}
	}
	scaleOf := func(v any) (int32, error) {
		n, ok := toDecimal(v)
		if !ok || !n.IsInteger() || n.IntPart() < -12 || n.IntPart() > 12 {
			return 0, errors.New("round: the number of decimal places must be a whole number from -12 to 12")
		}
		return int32(n.IntPart()), nil
	}
	return []*Function{
		{Name: "round", Category: "number", Signature: "round(number, places) number", Example: "round(amount * 0.92, 2)",
			Doc: doc("The number rounded half away from zero to the given decimal places (negative rounds to tens, hundreds…).", "四舍五入到指定小数位（负数表示到十位、百位……）。"),
			impl: func(p ...any) (any, error) {
				x, ok := toDecimal(p[0])
				if !ok {
					return nil, nil
				}
				places, err := scaleOf(p[1])
				if err != nil {
					return nil, err
				}
				return x.Round(places), nil
			}, types: typesOf(num{}, num{}, num{})},
		{Name: "round_currency", Category: "number", Signature: "round_currency(amount, \"CNY\") number", Example: `round_currency(amount * 0.9, "JPY")`,
			Doc: doc("The amount rounded half away from zero to the currency's minor unit (2 places for CNY and USD, 0 for JPY and KRW, 3 for KWD…).", "按币种最小单位四舍五入（人民币、美元 2 位，日元、韩元 0 位，科威特第纳尔 3 位……）。"),
			impl: func(p ...any) (any, error) {
				x, ok := toDecimal(p[0])
				if !ok {
					return nil, nil
				}
				return x.Round(CurrencyScale(str(p[1]))), nil
			}, types: typesOf(num{}, "", num{})},
		{Name: "floor", Category: "number", Signature: "floor(number) number", Example: "floor(quantity / 12)",
			Doc: doc("The largest whole number not above the number.", "不大于该数的最大整数。"), impl: one(decimal.Decimal.Floor), types: typesOf(num{}, num{})},
		{Name: "ceil", Category: "number", Signature: "ceil(number) number", Example: "ceil(quantity / 12)",
			Doc: doc("The smallest whole number not below the number.", "不小于该数的最小整数。"), impl: one(decimal.Decimal.Ceil), types: typesOf(num{}, num{})},
		{Name: "abs", Category: "number", Signature: "abs(number) number", Example: "abs(variance)",
			Doc: doc("The number without its sign.", "绝对值。"), impl: one(decimal.Decimal.Abs), types: typesOf(num{}, num{})},
		{Name: "min", Category: "number", Signature: "min(number, …) number", Example: "min(discount, 30)",
			Doc:  doc("The smallest of the numbers; blanks are ignored.", "各数中的最小值，忽略空值。"),
			impl: extreme(func(a, b decimal.Decimal) bool { return a.LessThan(b) }), types: []any{variadicType([]any{}, d)}},
		{Name: "max", Category: "number", Signature: "max(number, …) number", Example: "max(amount - discount_amount, 0)",
			Doc:  doc("The largest of the numbers; blanks are ignored.", "各数中的最大值，忽略空值。"),
			impl: extreme(func(a, b decimal.Decimal) bool { return a.GreaterThan(b) }), types: []any{variadicType([]any{}, d)}},
		{Name: "mod", Category: "number", Signature: "mod(number, divisor) number", Example: "mod(quantity, 12)",
			Doc: doc("The remainder of the division (also written number % divisor).", "取余数（也可写作 number % divisor）。"),
			impl: func(p ...any) (any, error) {
				xs, ok := decimals(p)
				if !ok {
					return nil, nil
				}
				if xs[1].IsZero() {
					return nil, errDivisionByZero
				}
				return xs[0].Mod(xs[1]), nil
			}, types: typesOf(num{}, num{}, num{})},
		{Name: "number", Category: "number", Signature: "number(text) number", Example: `number(external_score)`,
			Doc: doc("The text read as a number; blank when it is not one.", "将文本转为数字；不是数字时为空。"),
			impl: func(p ...any) (any, error) {
				n, err := decimal.NewFromString(strings.TrimSpace(str(p[0])))
				if err != nil {
					return nil, nil
				}
				return n, nil
			}, types: []any{funcType("", d)}},
	}
}

func logicFunctions(cc *callContext) []*Function {
	doc := func(en, zh string) metadata.Labels { return metadata.Labels{"en": en, "zh-CN": zh} }
	var coalesceTypes []any
	for _, t := range []any{"", decimal.Decimal{}, time.Time{}, false, []string{}} {
		coalesceTypes = append(coalesceTypes, variadicType(t, reflectSliceOf(t), t))
	}
	coalesceTypes = append(coalesceTypes, typesOf(num{}, num{}, num{})...)
	coalesceTypes = append(coalesceTypes, variadicType([]any{}, anyType))
	return []*Function{
		{Name: "coalesce", Category: "blank", Signature: "coalesce(value, fallback, …)", Example: "coalesce(discount, 0)",
			Doc: doc("The first value that is not blank.", "返回第一个非空值。"),
			impl: func(p ...any) (any, error) {
				for _, v := range p {
					if !isBlank(v) {
						return v, nil
					}
				}
				return nil, nil
			}, types: coalesceTypes},
		{Name: "is_blank", Category: "blank", Signature: "is_blank(value) boolean", Example: "is_blank(phone) && is_blank(email)",
			Doc:  doc("Whether the value is blank: no value, empty text or an empty list.", "值是否为空：无值、空文本或空列表。"),
			impl: func(p ...any) (any, error) { return isBlank(p[0]), nil }, types: []any{funcType(anyType, false)}},
		{Name: "includes", Category: "picklist", Signature: "includes(multi_picklist, \"option\") boolean", Example: `includes(industries, "finance")`,
			Doc: doc("Whether a multi-select picklist holds the option.", "多选字段是否包含该选项。"),
			impl: func(p ...any) (any, error) {
				for _, v := range textList(p[0], cc.loc) {
					if v == str(p[1]) {
						return true, nil
					}
				}
				return false, nil
			}, types: []any{funcType([]string{}, "", false), funcType([]any{}, "", false)}},
		{Name: "label", Category: "picklist", Signature: "label(picklist_field) text",
			impl: func(p ...any) (any, error) {
				f := cc.obj.Field(str(p[1]))
				if f == nil {
					return str(p[0]), nil
				}
				if o := f.Option(str(p[0])); o != nil {
					return o.Labels.Pick(tenantLocale(cc)), nil
				}
				return str(p[0]), nil
			}, types: []any{funcType("", "", "")}},
		{Name: "stage_probability", Category: "picklist", Signature: "stage_probability(stage_field) number",
			impl: func(p ...any) (any, error) {
				f := cc.obj.Field(str(p[1]))
				if f == nil {
					return nil, nil
				}
				if o := f.Option(str(p[0])); o != nil && o.Probability != nil {
					return decimal.NewFromInt(int64(*o.Probability)), nil
				}
				return nil, nil
			}, types: []any{funcType("", "", decimal.Decimal{})}},
	}
}
