package expression

import (
	"github.com/tessera-crm/tessera/metadata"
	"testing"
	"time"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// TestFunctions checks every function of the library on ordinary values,
// edge values and blanks. The fixture's tenant is in Asia/Shanghai and its
// "now" is 2026-11-24 20:30 UTC, already the 25th there.
func TestFunctions(t *testing.T) {
	cases := []struct {
		src  string
		want any
	}{
		// dates
		{`add_days(close_date, 7)`, day(2026, 11, 27)},
		{`add_days(close_date, -20)`, day(2026, 10, 31)},
		{`add_months(date(2026, 1, 31), 1)`, day(2026, 2, 28)},
		{`add_months(date(2028, 1, 31), 1)`, day(2028, 2, 29)},
		{`add_months(date(2026, 3, 31), -1)`, day(2026, 2, 28)},
		{`add_months(close_date, 12)`, day(2027, 11, 20)},
		{`add_years(date(2028, 2, 29), 1)`, day(2029, 2, 28)},
		{`add_business_days(date(2026, 11, 27), 1)`, day(2026, 11, 30)}, // Friday -> Monday
		{`add_business_days(date(2026, 11, 30), -1)`, day(2026, 11, 27)},
		{`add_business_days(date(2026, 11, 28), 5)`, day(2026, 12, 4)}, // from a Saturday
		{`days_between(close_date, $today)`, dec("5")},
		{`days_between($today, close_date)`, dec("-5")},
		{`days_between(last_contacted_at, $now)`, dec("24")}, // 1 Nov 10:00 to 25 Nov in Shanghai
		{`business_days_between(date(2026, 11, 20), date(2026, 11, 27))`, dec("5")},
		{`business_days_between(date(2026, 11, 27), date(2026, 11, 20))`, dec("-5")},
		{`business_days_between(date(2026, 11, 21), date(2026, 11, 22))`, dec("0")},
		{`months_between(date(2026, 1, 31), date(2026, 2, 28))`, dec("1")},
		{`months_between(date(2026, 1, 15), date(2026, 3, 14))`, dec("1")},
		{`months_between(date(2026, 3, 15), date(2026, 1, 15))`, dec("-2")},
		{`start_of_week(date(2026, 11, 25))`, day(2026, 11, 23)},
		{`start_of_week(date(2026, 11, 29))`, day(2026, 11, 23)}, // Sunday
		{`start_of_month(close_date)`, day(2026, 11, 1)},
		{`end_of_month(date(2028, 2, 3))`, day(2028, 2, 29)},
		{`start_of_quarter(close_date)`, day(2026, 10, 1)},
		{`start_of_quarter(date(2026, 3, 31))`, day(2026, 1, 1)},
		{`start_of_year(close_date)`, day(2026, 1, 1)},
		{`year(close_date)`, dec("2026")},
		{`month(close_date)`, dec("11")},
		{`day(close_date)`, dec("20")},
		{`quarter(close_date)`, dec("4")},
		{`weekday(date(2026, 11, 29))`, dec("7")},
		{`weekday(date(2026, 11, 23))`, dec("1")},
		{`to_date($now)`, day(2026, 11, 25)},
		{`date("2026-02-03")`, day(2026, 2, 3)},
		{`date("not a date")`, nil},
		// text
		{`concat(name, " ", amount, " ", close_date, " ", is_key)`, "Big deal 120000 2026-11-20 true"},
		{`concat("x", nil, account_id.name)`, "xAcme"},
		{`text(quantity)`, "12"},
		{`text($now)`, "2026-11-25T04:30:00+08:00"},
		{`length("销售管理")`, dec("4")},
		{`left("销售管理系统", 2)`, "销售"},
		{`left("abc", 10)`, "abc"},
		{`left("abc", -1)`, ""},
		{`right("QT-2026-0042", 4)`, "0042"},
		{`mid("QT-2026-0042", 4, 4)`, "2026"},
		{`mid("abc", 3, 10)`, "c"},
		{`mid("abc", 0, 1)`, ""},
		{`upper("acme")`, "ACME"},
		{`lower("ACME")`, "acme"},
		{`trim("  a b  ")`, "a b"},
		{`replace("138-0000-0000", "-", "")`, "13800000000"},
		{`replace("abc", "", "x")`, "abc"},
		{`starts_with("+86 138", "+86")`, true},
		{`ends_with("a@example.com", "@example.com")`, true},
		{`name contains "deal"`, true},
		{`find("销售@acme", "@")`, dec("3")},
		{`find("abc", "z")`, dec("0")},
		{`split("a,b", ",")`, []string{"a", "b"}},
		{`join(industries, "|")`, "finance"},
		{`format(amount, "#,##0.00")`, "120,000.00"},
		{`format(-1234567.891, "#,##0.##")`, "-1,234,567.89"},
		{`format(0.5, "0")`, "1"},
		{`format(close_date, "YYYY年MM月DD日")`, "2026年11月20日"},
		{`format($now, "YYYY-MM-DD HH:mm")`, "2026-11-25 04:30"},
		// numbers
		{`round(2.345, 2)`, dec("2.35")},
		{`round(-2.345, 2)`, dec("-2.35")},
		{`round(1234, -2)`, dec("1200")},
		{`round_currency(1234.567, "CNY")`, dec("1234.57")},
		{`round_currency(1234.5, "JPY")`, dec("1235")},
		{`round_currency(1.2345, "KWD")`, dec("1.235")},
		{`floor(7 / 2)`, dec("3")},
		{`ceil(7 / 2)`, dec("4")},
		{`abs(-3.5)`, dec("3.5")},
		{`min(discount, 30, nil)`, dec("15")},
		{`max(amount - 200000, 0)`, dec("0")},
		{`mod(quantity, 5)`, dec("2")},
		{`quantity % 5`, dec("2")},
		{`2 ** 10`, dec("1024")},
		{`number(" 12.50 ")`, dec("12.5")},
		{`number("n/a")`, nil},
		// logic, picklists, blanks
		{`coalesce(nil, "", "x")`, "x"},
		{`coalesce(amount, 0)`, dec("120000")},
		{`coalesce(close_date, $today)`, day(2026, 11, 20)},
		{`is_blank("")`, true},
		{`is_blank(0)`, false},
		{`includes(industries, "finance")`, true},
		{`includes(industries, "retail")`, false},
		{`label(stage)`, "谈判"},
		{`stage_probability(stage)`, dec("60")},
		{`amount * stage_probability(stage) / 100`, dec("72000")},
	}
	snap := fixture()
	for _, tc := range cases {
		p, err := Compile(tc.src, env(snap, Any))
		if err != nil {
			t.Errorf("compile %s: %v", tc.src, err)
			continue
		}
		got, err := p.Run(Vars(sampleInput(), p))
		if err != nil {
			t.Errorf("run %s: %v", tc.src, err)
			continue
		}
		if l, ok := tc.want.([]string); ok {
			gl, _ := got.([]string)
			if len(gl) != len(l) || (len(l) > 0 && gl[0] != l[0]) {
				t.Errorf("%s = %v, want %v", tc.src, got, tc.want)
			}
			continue
		}
		if !same(got, tc.want) {
			t.Errorf("%s = %v (%T), want %v", tc.src, got, got, tc.want)
		}
	}
}

func TestFunctions_AreDocumented(t *testing.T) {
	for _, f := range Functions() {
		if f.Doc["en"] == "" || f.Doc["zh-CN"] == "" || f.Example == "" || f.Signature == "" || f.Category == "" {
			t.Errorf("%s lacks documentation: %+v", f.Name, f)
		}
		if f.Example != "" && f.Name != "date" && f.Name != "format" {
			if _, err := Compile(f.Example, env(fixtureWithExampleFields(), Any)); err != nil {
				t.Errorf("example of %s does not compile: %v", f.Name, err)
			}
		}
	}
}

// TestFunctions_WestOfUTC checks that dates never shift by the tenant's
// zone: only instants are read in it.
func TestFunctions_WestOfUTC(t *testing.T) {
	snap := fixture()
	snap.Tenant.TimeZone = "America/New_York"
	snap = metadata.NewSnapshot(snap.Tenant, 9, snap.Objects)
	cases := map[string]any{
		`day(close_date)`:                          dec("20"),
		`year(date(2026, 1, 1))`:                   dec("2026"),
		`start_of_month(date(2026, 11, 1))`:        day(2026, 11, 1),
		`add_business_days(date(2026, 11, 27), 1)`: day(2026, 11, 30),
		`$today`:                     day(2026, 11, 24), // 15:30 in New York
		`to_date(last_contacted_at)`: day(2026, 10, 31), // 1 Nov 02:00 UTC
		`format(last_contacted_at, "Q1 YYYY HH:mm")`: "Q1 2026 22:00",
		`text(date(2026, 1, 1))`:                     "2026-01-01",
		`$today - close_date`:                        dec("4"),
	}
	for src, want := range cases {
		p, err := Compile(src, env(snap, Any))
		if err != nil {
			t.Errorf("compile %s: %v", src, err)
			continue
		}
		got, err := p.Run(Vars(sampleInput(), p))
		if err != nil || !same(got, want) {
			t.Errorf("%s = %v (%v), want %v", src, got, err, want)
		}
	}
}

// TestLanguage_Mends covers what documenting the language turned up.
func TestLanguage_Mends(t *testing.T) {
	snap := fixtureWithExampleFields()
	opp := snap.Object("opportunity").Clone()
	opp.Fields = append(opp.Fields, &metadata.Field{APIName: "year", Type: metadata.TypeInteger, Active: true})
	snap = metadata.NewSnapshot(snap.Tenant, 3, []*metadata.Object{snap.Objects[0], opp})
	e := Env{Snapshot: snap, Object: snap.Object("opportunity"), Prior: true}
	ok := map[string]any{
		`year(close_date)`:                               dec("2026"), // a field named year does not hide the function
		`quantity in [12, 24]`:                           true,
		`123456789.123456789 * 1`:                        dec("123456789.123456789"),
		`length(industries)`:                             dec("1"),
		`join(filter(industries, # != ""), "/")`:         "finance",
		`includes(map(industries, upper(#)), "FINANCE")`: true,
		`date(2026, 2, 30)`:                              nil,
	}
	for src, want := range ok {
		p, err := Compile(src, e)
		if err != nil {
			t.Errorf("compile %s: %v", src, err)
			continue
		}
		in := sampleInput()
		got, err := p.Run(Vars(in, p))
		if err != nil || !same(got, want) {
			t.Errorf("%s = %v (%v), want %v", src, got, err, want)
		}
	}
	for _, src := range []string{`sum([1, 2])`, `name[0:2]`, `{"a": 1}`, `count(industries)`, `changed.stage`, `reduce(industries, #acc)`} {
		if _, err := Compile(src, e); err == nil {
			t.Errorf("%s: want refused", src)
		}
	}
}
