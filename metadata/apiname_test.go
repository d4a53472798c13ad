package metadata

import (
	"strings"
	"testing"
	"unicode"
)

func TestValidateAPIName(t *testing.T) {
	ok := []string{"project", "account_id", "a1", "x_2_y", strings.Repeat("a", 48), "amount_usd"}
	bad := map[string]string{
		"":                      "empty",
		"Project":               "start",
		"1abc":                  "start",
		"_x":                    "start",
		"a-b":                   "position",
		"a b":                   "position",
		"ab_":                   "underscore",
		"a__b":                  "double",
		strings.Repeat("a", 49): "longer",
		"select":                "keyword",
		"order":                 "keyword",
		"id":                    "reserved",
		"created_at":            "reserved",
		"tenant_id":             "reserved",
		"项目":                    "start",
	}
	for _, n := range ok {
		if why := ValidateAPIName(n); why != "" {
			t.Errorf("%q refused: %s", n, why)
		}
	}
	for n, want := range bad {
		why := ValidateAPIName(n)
		if !strings.Contains(why, want) {
			t.Errorf("%q: %q, want a reason mentioning %q", n, why, want)
		}
	}
}

// FuzzValidateAPIName: whatever ValidateAPIName accepts is safe as an SQL
// identifier on both dialects and in derived names.
func FuzzValidateAPIName(f *testing.F) {
	for _, s := range []string{"project", "a__b", "select", "x;drop", `a"b`, "ab_", "Ä", strings.Repeat("z", 60), "a\x00b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if ValidateAPIName(name) != "" {
			return
		}
		if len(name) == 0 || len(name) > MaxAPINameLength {
			t.Fatalf("accepted %q with length %d", name, len(name))
		}
		if name[0] < 'a' || name[0] > 'z' || strings.HasSuffix(name, "_") || strings.Contains(name, "__") {
			t.Fatalf("accepted %q", name)
		}
		for _, r := range name {
			if r > unicode.MaxASCII || !(r == '_' || unicode.IsDigit(r) || unicode.IsLower(r)) {
				t.Fatalf("accepted %q with rune %q", name, r)
			}
		}
		if _, kw := sqlKeywords[name]; kw {
			t.Fatalf("accepted keyword %q", name)
		}
	})
}

func TestValidateTenantKey(t *testing.T) {
	for _, k := range []string{"demo", "acme_2", strings.Repeat("a", 30)} {
		if why := ValidateTenantKey(k); why != "" {
			t.Errorf("%q refused: %s", k, why)
		}
	}
	for _, k := range []string{"", "Demo", "a-b", "a__b", "x_", strings.Repeat("a", 31), "1a"} {
		if ValidateTenantKey(k) == "" {
			t.Errorf("%q accepted", k)
		}
	}
}
