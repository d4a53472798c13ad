package metadata

import (
	"testing"
	"time"
)

func TestAutoNumber_RendersPeriodAndCounter(t *testing.T) {
	at := time.Date(2026, 3, 7, 10, 0, 0, 0, time.UTC)
	cases := []struct{ pattern, period, first string }{
		{"QT-{YYYY}-{00000}", "QT-2026-{n}", "QT-2026-00001"},
		{"{YY}{MM}{DD}-{000}", "260307-{n}", "260307-001"},
		{"{0}", "{n}", "1"},
	}
	for _, c := range cases {
		an, err := ParseAutoNumber(c.pattern)
		if err != nil {
			t.Fatalf("%s: %v", c.pattern, err)
		}
		if p := an.Period(at); p != c.period {
			t.Errorf("%s: period %q, want %q", c.pattern, p, c.period)
		}
		if got := an.Render(an.Period(at), 1); got != c.first {
			t.Errorf("%s: %q, want %q", c.pattern, got, c.first)
		}
	}
	if got := mustParse(t, "N-{00}").Render("N-{n}", 12345); got != "N-12345" {
		t.Errorf("counter wider than its width: %q", got)
	}
	for _, bad := range []string{"QT-{YYYY}", "{000}{000}", "{XX}-{000}", "a{0", "{0000000000000}"} {
		if _, err := ParseAutoNumber(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func mustParse(t *testing.T, p string) *AutoNumber {
	t.Helper()
	an, err := ParseAutoNumber(p)
	if err != nil {
		t.Fatal(err)
	}
	return an
}
