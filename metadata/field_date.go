package metadata

import (
	"strings"
	"time"

	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/internal/sqldialect"
)

// DateLayout is how civil dates travel and, on SQLite, how they are stored.
const DateLayout = "2006-01-02"

type dateType struct{}
type datetimeType struct{}

func init() {
	register(dateType{})
	register(datetimeType{})
}

var (
	_ FieldType = dateType{}
	_ FieldType = datetimeType{}
)

func (dateType) Name() string                         { return TypeDate }
func (dateType) Storage(*Field) sqldialect.ColumnKind { return sqldialect.KindDate }
func (dateType) Normalize(*Field, *Object, *Snapshot) []problem.FieldError {
	return nil
}

// Coerce accepts YYYY-MM-DD and returns it unchanged: a date has no time zone.
func (dateType) Coerce(f *Field, in any) (any, *problem.FieldError) {
	s, ok := in.(string)
	if !ok {
		return nil, typeError(f, "%s must be a date string YYYY-MM-DD", f.APIName)
	}
	d, err := time.Parse(DateLayout, strings.TrimSpace(s))
	if err != nil || d.Year() < 1 || d.Year() > 9999 {
		return nil, typeError(f, "%s must be a date YYYY-MM-DD", f.APIName)
	}
	return d.Format(DateLayout), nil
}

func (datetimeType) Name() string                         { return TypeDatetime }
func (datetimeType) Storage(*Field) sqldialect.ColumnKind { return sqldialect.KindDatetime }
func (datetimeType) Normalize(*Field, *Object, *Snapshot) []problem.FieldError {
	return nil
}

// Coerce accepts RFC 3339 with any offset and returns the instant in UTC,
// truncated to the microseconds both databases keep.
func (datetimeType) Coerce(f *Field, in any) (any, *problem.FieldError) {
	switch v := in.(type) {
	case time.Time:
		return v.UTC().Truncate(time.Microsecond), nil
	case string:
		t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(v))
		if err != nil || t.Year() < 1 || t.Year() > 9999 {
			return nil, typeError(f, "%s must be an RFC 3339 date-time such as 2025-03-01T09:30:00Z", f.APIName)
		}
		return t.UTC().Truncate(time.Microsecond), nil
	}
	return nil, typeError(f, "%s must be an RFC 3339 date-time string", f.APIName)
}
