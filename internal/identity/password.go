package identity

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/tessera-crm/tessera/internal/problem"
)

// Argon2id parameters: OWASP's baseline (19 MiB, 2 passes), which keeps a
// login near 30 ms on one core of a small server.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
	saltLen      = 16
)

// MinPasswordLength is the password policy's minimum; a tenant may ask for
// more (tenants.security "password_min_length"), never for less.
const MinPasswordLength = 10

// MaxPasswordLength bounds the work one login can cost.
const MaxPasswordLength = 256

// HashPassword returns an encoded argon2id hash (PHC string format).
func HashPassword(password string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("generate salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// VerifyPassword checks password against an encoded hash in constant time.
func VerifyPassword(encoded, password string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var memory uint32
	var t uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &memory, &t, &threads); err != nil {
		return false
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return false
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, memory, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is verified against when the account does not exist, so that a
// missing account takes as long as a wrong password.
var dummyHash, _ = HashPassword("tessera-dummy-password")

// SpendPasswordCheck does the work of one password verification for nothing,
// so that refusing an unknown tenant or account takes as long as refusing a
// wrong password and timing reveals neither.
func SpendPasswordCheck(password string) { VerifyPassword(dummyHash, password) }

// PasswordPolicy is what a new password must satisfy.
type PasswordPolicy struct {
	MinLength int `json:"min_length"`
	// Classes is how many of the character classes (lower case, upper case,
	// digits, symbols) a password must mix.
	Classes int `json:"classes"`
}

// DefaultPasswordPolicy applies when a tenant asks for nothing stricter.
var DefaultPasswordPolicy = PasswordPolicy{MinLength: MinPasswordLength, Classes: 3}

// PolicyError says which rule a password broke; Code is a problem code.
type PolicyError struct {
	Code    string
	Message string
}

func (e *PolicyError) Error() string { return e.Message }

// Problem renders the error as a 400 naming the field the password came in.
func (e *PolicyError) Problem(field string) *problem.Error {
	return problem.Field(field, e.Code, "%s", e.Message)
}

// CheckPasswordPolicy enforces the default policy; email, when known, is the
// account's address, whose name the password must not contain.
func CheckPasswordPolicy(password, email string) error {
	return DefaultPasswordPolicy.Check(password, email)
}

// Check enforces the policy on password for the account with email.
func (pp PasswordPolicy) Check(password, email string) error {
	n := utf8.RuneCountInString(password)
	if n < pp.MinLength {
		return &PolicyError{problem.CodeTooShort, fmt.Sprintf("password must be at least %d characters", pp.MinLength)}
	}
	if len(password) > MaxPasswordLength {
		return &PolicyError{problem.CodeTooLong, fmt.Sprintf("password must be at most %d bytes", MaxPasswordLength)}
	}
	if c := countClasses(password); c < pp.Classes {
		return &PolicyError{problem.CodeInvalidValue, fmt.Sprintf("password must mix at least %d of: lower case letters, upper case letters, digits, symbols", pp.Classes)}
	}
	if name := emailName(email); name != "" && strings.Contains(strings.ToLower(password), name) {
		return &PolicyError{problem.CodeInvalidValue, fmt.Sprintf("password must not contain the name of the email address (%q)", name)}
	}
	return nil
}

// countClasses counts lower case, upper case, digits and everything else
// (symbols, and letters of scripts without case).
func countClasses(p string) int {
	var lower, upper, digit, other int
	for _, r := range p {
		switch {
		case unicode.IsLower(r):
			lower = 1
		case unicode.IsUpper(r):
			upper = 1
		case unicode.IsDigit(r):
			digit = 1
		default:
			other = 1
		}
	}
	return lower + upper + digit + other
}

// emailName is the lower-cased local part of an address, or "" when it is
// too short to be a meaningful thing to forbid (a two-letter name would
// refuse a good share of strong passwords by chance).
func emailName(email string) string {
	at := strings.LastIndexByte(email, '@')
	if at < 0 {
		return ""
	}
	name := strings.ToLower(strings.TrimSpace(email[:at]))
	if utf8.RuneCountInString(name) < 3 {
		return ""
	}
	return name
}

// GeneratePassword returns a random password that satisfies the default
// policy.
func GeneratePassword() string { return GeneratePasswordFor("") }

// GeneratePasswordFor returns a random password that satisfies the default
// policy for the account with email.
func GeneratePasswordFor(email string) string {
	for {
		b := make([]byte, 12)
		_, _ = rand.Read(b)
		// Base64url brings letters of both cases; the suffix adds a symbol
		// and a digit. Retrying covers the rare draw that still fails.
		p := base64.RawURLEncoding.EncodeToString(b) + "-7"
		if CheckPasswordPolicy(p, email) == nil {
			return p
		}
	}
}
