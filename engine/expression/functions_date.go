package expression

import (
	"errors"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tessera-crm/tessera/metadata"
)

// num stands for a number parameter in a signature: it expands into the
// decimal and integer variants.
type num struct{}

// typesOf expands a signature with num placeholders into every variant.
func typesOf(samples ...any) []any {
	variants := [][]any{{}}
	for _, s := range samples {
		var next [][]any
		for _, v := range variants {
			if _, isNum := s.(num); isNum {
				next = append(next, append(append([]any{}, v...), decimal.Decimal{}), append(append([]any{}, v...), 0))
			} else {
				next = append(next, append(append([]any{}, v...), s))
			}
		}
		variants = next
	}
	out := make([]any, 0, len(variants))
	seen := map[string]bool{}
	for _, v := range variants {
		// The result type is the last sample; a num result is a decimal.
		if _, isNum := v[len(v)-1].(int); isNum {
			if _, wasNum := samples[len(samples)-1].(num); wasNum {
				v[len(v)-1] = decimal.Decimal{}
			}
		}
		t := funcType(v...)
		key := typeOfSample(t).String()
		if !seen[key] {
			seen[key] = true
			out = append(out, t)
		}
	}
	return out
}

// maxDateShift bounds date arithmetic to a range where the calendar is
// meaningful and loops stay short.
const maxDateShift = 100000

var errDateShift = errors.New("a date moves by a whole number of days, months or years, at most 100000")

func intArg(v any) (int, bool) {
	d, ok := toDecimal(v)
	if !ok || !d.IsInteger() || d.Abs().GreaterThan(decimal.NewFromInt(maxDateShift)) {
		return 0, false
	}
	return int(d.IntPart()), true
}

// dateFn wraps a function of one date (and maybe numbers): a blank date
// gives a blank result.
func dateFn(fn func(t time.Time, p []any) (any, error)) func(...any) (any, error) {
	return func(p ...any) (any, error) {
		t, ok := p[0].(time.Time)
		if !ok {
			return nil, nil
		}
		return fn(t, p[1:])
	}
}

// shift adds n calendar units; months and years clamp to the month's last
// day (31 Jan + 1 month is 28 or 29 Feb, not 3 Mar), as people count.
func shift(t time.Time, years, months, days int) time.Time {
	if months == 0 && years == 0 {
		return t.AddDate(0, 0, days)
	}
	y, m, d := t.Date()
	first := time.Date(y+years, m+time.Month(months), 1, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(d, last)-1+days)
}

func shiftFn(years, months, days int) func(t time.Time, p []any) (any, error) {
	return func(t time.Time, p []any) (any, error) {
		n, ok := intArg(p[0])
		if !ok {
			if p[0] == nil {
				return nil, nil
			}
			return nil, errDateShift
		}
		return shift(t, years*n, months*n, days*n), nil
	}
}

func isWeekend(t time.Time) bool {
	wd := t.Weekday()
	return wd == time.Saturday || wd == time.Sunday
}

func addBusinessDays(t time.Time, n int) time.Time {
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		t = t.AddDate(0, 0, step)
		if !isWeekend(t) {
			n--
		}
	}
	return t
}

// businessDaysBetween counts the weekdays from a (excluded) to b
// (included), negative when b is before a.
func businessDaysBetween(a, b time.Time) int {
	sign := 1
	if b.Before(a) {
		a, b, sign = b, a, -1
	}
	days := int(b.Sub(a).Hours() / 24)
	weeks, rest := days/7, days%7
	count := weeks * 5
	for i := 1; i <= rest; i++ {
		if !isWeekend(a.AddDate(0, 0, weeks*7+i)) {
			count++
		}
	}
	return sign * count
}

func dateFunctions(cc *callContext) []*Function {
	day := func(t time.Time) time.Time { return dateOf(t, cc.loc) }
	startOf := func(fn func(y int, m time.Month, d int) time.Time) func(time.Time, []any) (any, error) {
		return func(t time.Time, _ []any) (any, error) {
			y, m, d := day(t).Date()
			return fn(y, m, d), nil
		}
	}
	part := func(fn func(t time.Time) int) func(time.Time, []any) (any, error) {
		return func(t time.Time, _ []any) (any, error) { return decimal.NewFromInt(int64(fn(day(t)))), nil }
	}
	utc := time.UTC
	tt := time.Time{}
	doc := func(en, zh string) metadata.Labels { return metadata.Labels{"en": en, "zh-CN": zh} }
	return []*Function{
		{Name: "add_days", Category: "date", Signature: "add_days(date, days) date", Example: "add_days(close_date, 7)",
			Doc: doc("The date moved by a number of days (negative moves back).", "日期加上若干天（负数表示往前）。"), impl: dateFn(shiftFn(0, 0, 1)), types: typesOf(tt, num{}, tt)},
		{Name: "add_months", Category: "date", Signature: "add_months(date, months) date", Example: "add_months(start_date, 12)",
			Doc: doc("The date moved by months; the 31st becomes the month's last day when the month is shorter.", "日期加上若干月；目标月份较短时取该月最后一天。"), impl: dateFn(shiftFn(0, 1, 0)), types: typesOf(tt, num{}, tt)},
		{Name: "add_years", Category: "date", Signature: "add_years(date, years) date", Example: "add_years(end_date, 1)",
			Doc: doc("The date moved by years (29 February becomes 28 February).", "日期加上若干年（2 月 29 日变为 2 月 28 日）。"), impl: dateFn(shiftFn(1, 0, 0)), types: typesOf(tt, num{}, tt)},
		{Name: "add_business_days", Category: "date", Signature: "add_business_days(date, days) date", Example: "add_business_days($today, 3)",
			Doc: doc("The date moved by working days, skipping Saturdays and Sundays.", "日期加上若干个工作日（跳过周六、周日）。"),
			impl: dateFn(func(t time.Time, p []any) (any, error) {
				n, ok := intArg(p[0])
				if !ok {
					if p[0] == nil {
						return nil, nil
					}
					return nil, errDateShift
				}
				return addBusinessDays(day(t), n), nil
			}), types: typesOf(tt, num{}, tt)},
		{Name: "days_between", Category: "date", Signature: "days_between(from, to) number", Example: "days_between(last_activity_date, $today) > 30",
			Doc: doc("Calendar days from the first date to the second (negative when it is earlier), in the tenant's time zone.", "从第一个日期到第二个日期的自然日数（更早则为负），按租户时区计算。"),
			impl: func(p ...any) (any, error) {
				a, okA := p[0].(time.Time)
				b, okB := p[1].(time.Time)
				if !okA || !okB {
					return nil, nil
				}
				return decimal.NewFromInt(int64(day(b).Sub(day(a)).Hours() / 24)), nil
			}, types: []any{funcType(tt, tt, decimal.Decimal{})}},
		{Name: "business_days_between", Category: "date", Signature: "business_days_between(from, to) number", Example: "business_days_between(created_at, $now)",
			Doc: doc("Working days (Monday to Friday) after the first date up to and including the second.", "第一个日期之后至第二个日期（含）之间的工作日数（周一至周五）。"),
			impl: func(p ...any) (any, error) {
				a, okA := p[0].(time.Time)
				b, okB := p[1].(time.Time)
				if !okA || !okB {
					return nil, nil
				}
				return decimal.NewFromInt(int64(businessDaysBetween(day(a), day(b)))), nil
			}, types: []any{funcType(tt, tt, decimal.Decimal{})}},
		{Name: "months_between", Category: "date", Signature: "months_between(from, to) number", Example: "months_between(start_date, end_date)",
			Doc: doc("Whole months from the first date to the second.", "从第一个日期到第二个日期的整月数。"),
			impl: func(p ...any) (any, error) {
				a, okA := p[0].(time.Time)
				b, okB := p[1].(time.Time)
				if !okA || !okB {
					return nil, nil
				}
				a, b = day(a), day(b)
				months := (b.Year()-a.Year())*12 + int(b.Month()-a.Month())
				if months > 0 && shift(a, 0, months, 0).After(b) {
					months--
				} else if months < 0 && shift(a, 0, months, 0).Before(b) {
					months++
				}
				return decimal.NewFromInt(int64(months)), nil
			}, types: []any{funcType(tt, tt, decimal.Decimal{})}},
		{Name: "start_of_week", Category: "date", Signature: "start_of_week(date) date", Example: "start_of_week($today)",
			Doc: doc("The Monday of the date's week.", "日期所在周的周一。"),
			impl: dateFn(func(t time.Time, _ []any) (any, error) {
				d := day(t)
				return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7)), nil
			}), types: []any{funcType(tt, tt)}},
		{Name: "start_of_month", Category: "date", Signature: "start_of_month(date) date", Example: "start_of_month($today)",
			Doc:  doc("The first day of the date's month.", "日期所在月份的第一天。"),
			impl: dateFn(startOf(func(y int, m time.Month, _ int) time.Time { return time.Date(y, m, 1, 0, 0, 0, 0, utc) })), types: []any{funcType(tt, tt)}},
		{Name: "end_of_month", Category: "date", Signature: "end_of_month(date) date", Example: "end_of_month(close_date)",
			Doc:  doc("The last day of the date's month.", "日期所在月份的最后一天。"),
			impl: dateFn(startOf(func(y int, m time.Month, _ int) time.Time { return time.Date(y, m+1, 0, 0, 0, 0, 0, utc) })), types: []any{funcType(tt, tt)}},
		{Name: "start_of_quarter", Category: "date", Signature: "start_of_quarter(date) date", Example: "start_of_quarter($today)",
			Doc: doc("The first day of the date's calendar quarter.", "日期所在季度的第一天。"),
			impl: dateFn(startOf(func(y int, m time.Month, _ int) time.Time {
				return time.Date(y, m-(m-1)%3, 1, 0, 0, 0, 0, utc)
			})), types: []any{funcType(tt, tt)}},
		{Name: "start_of_year", Category: "date", Signature: "start_of_year(date) date", Example: "start_of_year($today)",
			Doc:  doc("1 January of the date's year.", "日期所在年份的 1 月 1 日。"),
			impl: dateFn(startOf(func(y int, _ time.Month, _ int) time.Time { return time.Date(y, 1, 1, 0, 0, 0, 0, utc) })), types: []any{funcType(tt, tt)}},
		{Name: "year", Category: "date", Signature: "year(date) number", Example: "year(close_date)",
			Doc: doc("The year of the date.", "日期的年份。"), impl: dateFn(part(func(t time.Time) int { return t.Year() })), types: []any{funcType(tt, decimal.Decimal{})}},
		{Name: "month", Category: "date", Signature: "month(date) number", Example: "month(close_date) == 12",
			Doc: doc("The month of the date, 1 to 12.", "日期的月份（1 到 12）。"), impl: dateFn(part(func(t time.Time) int { return int(t.Month()) })), types: []any{funcType(tt, decimal.Decimal{})}},
		{Name: "day", Category: "date", Signature: "day(date) number", Example: "day(birthdate)",
			Doc: doc("The day of the month, 1 to 31.", "日期是当月的第几天（1 到 31）。"), impl: dateFn(part(func(t time.Time) int { return t.Day() })), types: []any{funcType(tt, decimal.Decimal{})}},
		{Name: "quarter", Category: "date", Signature: "quarter(date) number", Example: "quarter(close_date)",
			Doc: doc("The calendar quarter of the date, 1 to 4.", "日期所在的季度（1 到 4）。"), impl: dateFn(part(func(t time.Time) int { return (int(t.Month())-1)/3 + 1 })), types: []any{funcType(tt, decimal.Decimal{})}},
		{Name: "weekday", Category: "date", Signature: "weekday(date) number", Example: "weekday($today) >= 6",
			Doc: doc("The day of the week, 1 (Monday) to 7 (Sunday).", "星期几（1 为周一，7 为周日）。"), impl: dateFn(part(func(t time.Time) int { return (int(t.Weekday())+6)%7 + 1 })), types: []any{funcType(tt, decimal.Decimal{})}},
		{Name: "to_date", Category: "date", Signature: "to_date(datetime) date", Example: "to_date(created_at)",
			Doc: doc("The calendar day of an instant in the tenant's time zone.", "某一时刻在租户时区中的日期。"), impl: dateFn(func(t time.Time, _ []any) (any, error) { return day(t), nil }), types: []any{funcType(tt, tt)}},
		{Name: "date", Category: "date", Signature: "date(year, month, day) date · date(\"YYYY-MM-DD\") date", Example: `date(2026, 12, 31)`,
			Doc: doc("A date from its parts, or from ISO text; blank when there is no such day.", "由年、月、日或 ISO 文本构造日期；没有这一天时为空。"),
			impl: func(p ...any) (any, error) {
				if len(p) == 1 {
					s, _ := p[0].(string)
					t, err := time.Parse(metadata.DateLayout, s)
					if err != nil {
						return nil, nil
					}
					return t, nil
				}
				// As date("2026-02-30"): no such day is a blank, not an error.
				y, okY := intArg(p[0])
				m, okM := intArg(p[1])
				d, okD := intArg(p[2])
				if !okY || !okM || !okD || m < 1 || m > 12 || d < 1 || d > 31 || y < 1 || y > 9999 {
					return nil, nil
				}
				t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, utc)
				if t.Day() != d {
					return nil, nil
				}
				return t, nil
			}, types: append([]any{funcType("", tt)}, typesOf(num{}, num{}, num{}, tt)...)},
	}
}
