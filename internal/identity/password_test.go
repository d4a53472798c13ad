package identity

import (
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

func TestPasswordPolicy(t *testing.T) {
	for _, ok := range []string{"correct-horse-9", "长城长城长城长城长城1"} {
		if err := CheckPasswordPolicy(ok); err != nil {
			t.Errorf("%q refused", ok)
		}
	}
	for _, bad := range []string{"short-1", "onlyletterslong", "12345678901", strings.Repeat("a1", 200)} {
		if CheckPasswordPolicy(bad) == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if err := CheckPasswordPolicy(GeneratePassword()); err != nil {
		t.Fatal("a generated password fails the policy")
	}
}
