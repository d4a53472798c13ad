package identity

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
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

// MinPasswordLength is the password policy's minimum.
const MinPasswordLength = 10

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

// ErrWeakPassword explains the password policy.
var ErrWeakPassword = errors.New("password must be at least 10 characters and not only letters or only digits")

// CheckPasswordPolicy enforces the minimum policy.
func CheckPasswordPolicy(p string) error {
	if utf8.RuneCountInString(p) < MinPasswordLength || len(p) > 256 {
		return ErrWeakPassword
	}
	letters, digits := 0, 0
	for _, r := range p {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z'):
			letters++
		}
	}
	n := utf8.RuneCountInString(p)
	if letters == n || digits == n {
		return ErrWeakPassword
	}
	return nil
}

// GeneratePassword returns a random password that satisfies the policy.
func GeneratePassword() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b) + "-7"
}
