package metadata

import (
	"sort"

	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/internal/sqldialect"
)

// Field type names.
const (
	TypeText          = "text"
	TypeLongText      = "long_text"
	TypeInteger       = "integer"
	TypeNumber        = "number"
	TypeCurrency      = "currency"
	TypePercent       = "percent"
	TypeBoolean       = "boolean"
	TypeDate          = "date"
	TypeDatetime      = "datetime"
	TypeEmail         = "email"
	TypePhone         = "phone"
	TypeURL           = "url"
	TypePicklist      = "picklist"
	TypeMultiPicklist = "multi_picklist"
	TypeLookup        = "lookup"
	TypeAutoNumber    = "auto_number"
)

// FieldType is the behaviour of one type of field. Each type lives in its
// own file and registers itself; adding a type touches one file.
//
// Values move through three forms: the decoded JSON a client sends, the
// canonical Go value (string, int64, decimal.Decimal, bool, time.Time for
// instants, civil dates as "YYYY-MM-DD" strings, []string), and the value
// bound to or scanned from the column (see storage.go).
type FieldType interface {
	Name() string
	// Storage is the column kind the type is stored in.
	Storage(f *Field) sqldialect.ColumnKind
	// Normalize checks the type-specific parts of a definition in the context
	// of the object and snapshot it is added to, and fills type defaults.
	Normalize(f *Field, obj *Object, s *Snapshot) []problem.FieldError
	// Coerce converts a decoded JSON value (never nil) into the canonical
	// value, or says why it cannot.
	Coerce(f *Field, in any) (any, *problem.FieldError)
}

// Writable is implemented by types whose values clients may not set.
type readOnlyType interface{ ReadOnly() bool }

// IsReadOnly reports whether clients may not write the field.
func (f *Field) IsReadOnly() bool {
	if f.Formula != "" || f.Rollup != nil {
		return true
	}
	ro, ok := f.Kind().(readOnlyType)
	return ok && ro.ReadOnly()
}

var fieldTypes = map[string]FieldType{}

func register(t FieldType) { fieldTypes[t.Name()] = t }

// FieldTypeNames lists the registered types, sorted.
func FieldTypeNames() []string {
	names := make([]string, 0, len(fieldTypes))
	for n := range fieldTypes {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func typeError(f *Field, format string, args ...any) *problem.FieldError {
	return fieldErr(f.APIName, problem.CodeInvalidType, format, args...)
}

func valueError(f *Field, format string, args ...any) *problem.FieldError {
	return fieldErr(f.APIName, problem.CodeInvalidValue, format, args...)
}

func fieldErr(field, code, format string, args ...any) *problem.FieldError {
	e := problem.Field(field, code, format, args...)
	return &e.Errors[0]
}
