package metadata

import (
	"fmt"
	"net/mail"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/internal/sqldialect"
)

// textType covers the string types that differ only in their format check
// and default maximum length.
type textType struct {
	name      string
	maxLength int
	check     func(string) string // returns why the value is malformed, or ""
}

func init() {
	register(textType{name: TypeText, maxLength: 255})
	register(textType{name: TypeLongText, maxLength: 131072})
	register(textType{name: TypeEmail, maxLength: 254, check: checkEmail})
	register(textType{name: TypePhone, maxLength: 40, check: checkPhone})
	register(textType{name: TypeURL, maxLength: 2048, check: checkURL})
}

var _ FieldType = textType{}

func (t textType) Name() string                       { return t.name }
func (textType) Storage(*Field) sqldialect.ColumnKind { return sqldialect.KindText }

func (t textType) Normalize(f *Field, _ *Object, _ *Snapshot) []problem.FieldError {
	var errs []problem.FieldError
	if f.MaxLength == nil {
		n := t.maxLength
		f.MaxLength = &n
	}
	if *f.MaxLength < 1 || *f.MaxLength > t.maxLength {
		errs = append(errs, problem.FieldError{Field: "max_length", Code: problem.CodeOutOfRange,
			Message: fmt.Sprintf("max_length must be between 1 and %d for %s fields", t.maxLength, t.name)})
	}
	if f.MinLength != nil && (*f.MinLength < 0 || *f.MinLength > *f.MaxLength) {
		errs = append(errs, problem.FieldError{Field: "min_length", Code: problem.CodeOutOfRange,
			Message: "min_length must be between 0 and max_length"})
	}
	if t.name == TypeLongText && (f.Unique || f.Indexed) {
		errs = append(errs, problem.FieldError{Field: "unique", Code: problem.CodeInvalidValue,
			Message: "long_text fields cannot be unique or indexed"})
	}
	return errs
}

func (t textType) Coerce(f *Field, in any) (any, *problem.FieldError) {
	s, ok := in.(string)
	if !ok {
		return nil, typeError(f, "%s must be a string", f.APIName)
	}
	if t.name != TypeLongText {
		s = strings.TrimSpace(s)
	}
	if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
		return nil, valueError(f, "%s is not valid UTF-8 text", f.APIName)
	}
	n := utf8.RuneCountInString(s)
	if f.MaxLength != nil && n > *f.MaxLength {
		return nil, fieldErr(f.APIName, problem.CodeTooLong, "%s is %d characters; the limit is %d", f.APIName, n, *f.MaxLength)
	}
	if f.MinLength != nil && n < *f.MinLength && n > 0 {
		return nil, fieldErr(f.APIName, problem.CodeTooShort, "%s is %d characters; the minimum is %d", f.APIName, n, *f.MinLength)
	}
	if t.check != nil && s != "" {
		if why := t.check(s); why != "" {
			return nil, valueError(f, "%s %s", f.APIName, why)
		}
	}
	if t.name == TypeEmail {
		s = strings.ToLower(s)
	}
	return s, nil
}

func checkEmail(s string) string {
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Address != s || !strings.Contains(s[strings.LastIndexByte(s, '@')+1:], ".") {
		return "is not an email address"
	}
	return ""
}

func checkPhone(s string) string {
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune("+-() .#", r), r == 'x', r == 'X':
		default:
			return "may contain only digits, spaces and + - ( ) . # x"
		}
	}
	if digits < 3 {
		return "needs at least 3 digits"
	}
	return ""
}

func checkURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "is not an http(s) URL"
	}
	return ""
}
