package identity

import (
	"errors"
	"strings"
	"testing"
)

func TestPassword_HashAndVerify(t *testing.T) {
	h, err := HashPassword("correct-horse-9")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$") || strings.Contains(h, "correct-horse") {
		t.Fatalf("hash %q", h)
	}
	if !VerifyPassword(h, "correct-horse-9") || VerifyPassword(h, "correct-horse-8") {
		t.Fatal("verify is wrong")
	}
	h2, _ := HashPassword("correct-horse-9")
	if h == h2 {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	for _, garbage := range []string{"", "$argon2id$", "$argon2id$v=19$m=x$a$b", "$bcrypt$..."} {
		if VerifyPassword(garbage, "x") {
			t.Fatalf("%q verified", garbage)
		}
	}
}

func TestPasswordPolicy_AcceptsThreeClassesOfTenCharacters(t *testing.T) {
	for _, ok := range []string{"correct-horse-9", "Correct horse", "长城长城长城长城长城1a", "e2e-demo-pass-123", "ABCdef1234"} {
		if err := CheckPasswordPolicy(ok, "someone@example.com"); err != nil {
			t.Errorf("%q refused: %v", ok, err)
		}
	}
}

func TestPasswordPolicy_RefusesWithTheRuleBroken(t *testing.T) {
	cases := []struct{ password, email, code, mention string }{
		{"short-1A", "", "too_short", "at least 10"},
		{"onlyletterslong", "", "invalid_value", "at least 3 of"},
		{"12345678901", "", "invalid_value", "at least 3 of"},
		{"lowercase-only-words", "", "invalid_value", "at least 3 of"},
		{strings.Repeat("a1-", 100), "", "too_long", "at most"},
		{"Zhang.Wei-2024", "zhang.wei@demo.local", "invalid_value", "zhang.wei"},
		{"xxADMINxx-12", "Admin@demo.local", "invalid_value", "admin"},
	}
	for _, c := range cases {
		err := CheckPasswordPolicy(c.password, c.email)
		var pe *PolicyError
		if !errors.As(err, &pe) {
			t.Errorf("%q accepted (%v)", c.password, err)
			continue
		}
		if pe.Code != c.code || !strings.Contains(pe.Message, c.mention) {
			t.Errorf("%q: %s %q, want %s mentioning %q", c.password, pe.Code, pe.Message, c.code, c.mention)
		}
	}
	// Two-letter names are too short to forbid.
	if err := CheckPasswordPolicy("Jo-horse-99", "jo@x.io"); err != nil {
		t.Errorf("short email name refused: %v", err)
	}
}

func TestPasswordPolicy_TenantMinimumOnlyRaises(t *testing.T) {
	strict := PasswordPolicy{MinLength: 14, Classes: 3}
	if strict.Check("correct-horse-9", "") != nil {
		t.Fatal("15 characters refused at 14")
	}
	if strict.Check("Horse-12345", "") == nil {
		t.Fatal("11 characters accepted at 14")
	}
}

func TestGeneratePassword_SatisfiesThePolicy(t *testing.T) {
	for i := 0; i < 200; i++ {
		if p := GeneratePasswordFor("abc@example.com"); CheckPasswordPolicy(p, "abc@example.com") != nil {
			t.Fatalf("generated %q fails the policy", p)
		}
	}
}
