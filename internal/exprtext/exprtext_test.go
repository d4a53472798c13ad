package exprtext

import "testing"

func TestSuggest_PicksTheClosestNameWithinTypoDistance(t *testing.T) {
	names := []string{"amount", "account_id", "name", "stage", "created_at"}
	cases := map[string]string{
		"amout":      "amount",
		"AMOUNT":     "amount",
		"stag":       "stage",
		"nmae":       "name", // a swap is one edit
		"acount_id":  "account_id",
		"createdat":  "created_at",
		"xyz":        "",
		"probablity": "",
		"":           "",
	}
	for in, want := range cases {
		if got := Suggest(in, names); got != want {
			t.Errorf("Suggest(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	cases := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"a", "", 1}, {"", "ab", 2}, {"kitten", "sitting", 3}, {"amount", "amount", 0}, {"amout", "amount", 1}, {"nmae", "name", 1}, {"ca", "abc", 3},
	}
	for _, tc := range cases {
		if got := editDistance(tc.a, tc.b); got != tc.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}
