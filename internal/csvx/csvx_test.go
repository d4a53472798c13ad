package csvx_test

import (
	"testing"

	"github.com/tessera-crm/tessera/internal/csvx"
)

func TestCell_NeutralisesFormulasButNotNumbers(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", ""},
		{"plain", "plain"},
		{"=SUM(A1:A2)", "'=SUM(A1:A2)"},
		{"+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"},
		{"-2+3", "'-2+3"},
		{"@SUM(1)", "'@SUM(1)"},
		{"\tx", "'\tx"},
		{"-5", "-5"},
		{"+1.5", "+1.5"},
		{"a=b", "a=b"},
		{"张三", "张三"},
	}
	for _, c := range cases {
		if got := csvx.Cell(c.in); got != c.want {
			t.Errorf("Cell(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
