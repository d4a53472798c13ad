package metadata

import (
	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/internal/sqldialect"
)

type booleanType struct{}

func init() { register(booleanType{}) }

var _ FieldType = booleanType{}

func (booleanType) Name() string                         { return TypeBoolean }
func (booleanType) Storage(*Field) sqldialect.ColumnKind { return sqldialect.KindBoolean }

func (booleanType) Normalize(f *Field, _ *Object, _ *Snapshot) []problem.FieldError {
	if f.Unique {
		return []problem.FieldError{{Field: "unique", Code: problem.CodeInvalidValue, Message: "boolean fields cannot be unique"}}
	}
	return nil
}

func (booleanType) Coerce(f *Field, in any) (any, *problem.FieldError) {
	b, ok := in.(bool)
	if !ok {
		return nil, typeError(f, "%s must be true or false", f.APIName)
	}
	return b, nil
}
