package metadata

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/internal/sqldialect"
)

// autoNumberType numbers records from a pattern such as QT-{YYYY}-{00000}:
// date tokens {YYYY} {YY} {MM} {DD} and exactly one counter token of zeros
// whose width is the minimum number of digits. The counter restarts for
// every distinct rendering of the date tokens, so a yearly pattern numbers
// each year from 1.
type autoNumberType struct{}

func init() { register(autoNumberType{}) }

var _ FieldType = autoNumberType{}

var (
	autoToken   = regexp.MustCompile(`\{[^{}]*\}`)
	counterSpec = regexp.MustCompile(`^0{1,12}$`)
)

func (autoNumberType) Name() string                         { return TypeAutoNumber }
func (autoNumberType) Storage(*Field) sqldialect.ColumnKind { return sqldialect.KindText }
func (autoNumberType) ReadOnly() bool                       { return true }

func (autoNumberType) Normalize(f *Field, _ *Object, _ *Snapshot) []problem.FieldError {
	if f.Pattern == "" {
		f.Pattern = "{000000}"
	}
	if _, err := ParseAutoNumber(f.Pattern); err != nil {
		return []problem.FieldError{{Field: "pattern", Code: problem.CodeInvalidValue, Message: err.Error()}}
	}
	if f.Required || f.Default != nil {
		f.Required = false
		f.Default = nil
	}
	return nil
}

func (autoNumberType) Coerce(f *Field, _ any) (any, *problem.FieldError) {
	return nil, fieldErr(f.APIName, problem.CodeReadOnly, "%s is an auto number and cannot be set", f.APIName)
}

// AutoNumber is a parsed pattern.
type AutoNumber struct {
	pattern string
	width   int
}

// ParseAutoNumber validates a pattern.
func ParseAutoNumber(pattern string) (*AutoNumber, error) {
	if len(pattern) > 64 {
		return nil, fmt.Errorf("pattern is longer than 64 characters")
	}
	counters := 0
	width := 0
	for _, tok := range autoToken.FindAllString(pattern, -1) {
		inner := tok[1 : len(tok)-1]
		switch {
		case inner == "YYYY", inner == "YY", inner == "MM", inner == "DD":
		case counterSpec.MatchString(inner):
			counters++
			width = len(inner)
		default:
			return nil, fmt.Errorf("pattern token %s is not one of {YYYY} {YY} {MM} {DD} or a counter like {00000}", tok)
		}
	}
	if counters != 1 {
		return nil, fmt.Errorf("pattern needs exactly one counter token such as {00000}")
	}
	rest := autoToken.ReplaceAllString(pattern, "")
	if strings.ContainsAny(rest, "{}") {
		return nil, fmt.Errorf("pattern has an unbalanced brace")
	}
	return &AutoNumber{pattern: pattern, width: width}, nil
}

// Period renders the date tokens for t, with the counter left as {n}; it is
// the key the counter runs under.
func (a *AutoNumber) Period(t time.Time) string {
	return autoToken.ReplaceAllStringFunc(a.pattern, func(tok string) string {
		switch tok {
		case "{YYYY}":
			return t.Format("2006")
		case "{YY}":
			return t.Format("06")
		case "{MM}":
			return t.Format("01")
		case "{DD}":
			return t.Format("02")
		}
		return "{n}"
	})
}

// Render produces the number for counter value n in the given period.
func (a *AutoNumber) Render(period string, n int64) string {
	return strings.Replace(period, "{n}", fmt.Sprintf("%0*d", a.width, n), 1)
}
