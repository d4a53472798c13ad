package crypto_test

import (
	"testing"

	"github.com/tessera-crm/tessera/internal/crypto"
)

func TestMask(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", ""},
		{"13812345678", "138****5678"},
		{"+86 138-0000-1234", "+86**********1234"},
		{"5551234", "5*****4"}, // 7 digits: keeping 3+4 would show it all
		{"zhang@example.com", "z***@example.com"},
		{"张伟@例子.中国", "张***@例子.中国"},
		{"@example.com", "@********m"},
		{"a", "*"},
		{"ab", "**"},
		{"abc", "a*c"},
		{"张三", "**"},
		{"张三丰", "张*丰"},
		{"上海市浦东新区世纪大道100号", "上********号"},
		{"secret", "s****t"},
		{"enc:v1:AAAA", "******"},
	}
	for _, c := range cases {
		if got := crypto.Mask(c.in); got != c.want {
			t.Errorf("Mask(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
