package crypto

import (
	"strings"
	"unicode/utf8"
)

// maxStars caps the stars of the generic rule: a long text need not show as
// a wall of stars, nor reveal its exact length.
const maxStars = 8

// Mask returns value for display to someone who may not see it in clear:
// phone numbers keep their first 3 and last 4 characters (138****5678),
// e-mail addresses their first character and domain (z***@example.com),
// anything else its first and last character; values too short to keep
// anything are starred entirely. It counts characters, not bytes, so Chinese
// text is masked by character.
func Mask(value string) string {
	if value == "" {
		return ""
	}
	if IsSealed(value) {
		// A sealed value reaching display is a bug upstream; its ciphertext
		// means nothing to a reader either way.
		return strings.Repeat("*", 6)
	}
	r := []rune(value)
	if isPhoneLike(r) && len(r) > 7 {
		return string(r[:3]) + strings.Repeat("*", len(r)-7) + string(r[len(r)-4:])
	}
	if local, domain, ok := strings.Cut(value, "@"); ok && local != "" && domain != "" && !strings.Contains(domain, "@") {
		first, _ := utf8.DecodeRuneInString(local)
		return string(first) + "***@" + domain
	}
	if len(r) <= 2 {
		return strings.Repeat("*", len(r))
	}
	return string(r[0]) + strings.Repeat("*", min(len(r)-2, maxStars)) + string(r[len(r)-1])
}

// isPhoneLike reports whether r is made of digits and the punctuation of
// written phone numbers, with at least 7 digits.
func isPhoneLike(r []rune) bool {
	digits := 0
	for _, c := range r {
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == ' ' || c == '+' || c == '-' || c == '(' || c == ')' || c == '.':
		default:
			return false
		}
	}
	return digits >= 7
}
