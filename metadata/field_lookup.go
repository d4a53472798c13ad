package metadata

import (
	"fmt"

	"github.com/google/uuid"

	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/internal/sqldialect"
)

type lookupType struct{}

func init() { register(lookupType{}) }

var _ FieldType = lookupType{}

func (lookupType) Name() string                         { return TypeLookup }
func (lookupType) Storage(*Field) sqldialect.ColumnKind { return sqldialect.KindUUID }

func (lookupType) Normalize(f *Field, obj *Object, s *Snapshot) []problem.FieldError {
	var errs []problem.FieldError
	if f.Target == "" {
		errs = append(errs, problem.FieldError{Field: "target", Code: problem.CodeRequired, Message: "a lookup needs a target object"})
	} else if s.Object(f.Target) == nil && f.Target != obj.APIName {
		errs = append(errs, problem.FieldError{Field: "target", Code: problem.CodeUnknownObject, Message: fmt.Sprintf("target object %q does not exist", f.Target)})
	}
	switch f.OnDelete {
	case "":
		f.OnDelete = OnDeleteSetNull
	case OnDeleteRestrict, OnDeleteSetNull, OnDeleteCascade:
	default:
		errs = append(errs, problem.FieldError{Field: "on_delete", Code: problem.CodeInvalidValue, Message: "on_delete must be restrict, set_null or cascade"})
	}
	if f.OnDelete == OnDeleteSetNull && f.Required {
		errs = append(errs, problem.FieldError{Field: "on_delete", Code: problem.CodeInvalidValue, Message: "a required lookup cannot use on_delete set_null"})
	}
	if f.Unique {
		errs = append(errs, problem.FieldError{Field: "unique", Code: problem.CodeInvalidValue, Message: "lookup fields cannot be unique"})
	}
	return errs
}

func (lookupType) Coerce(f *Field, in any) (any, *problem.FieldError) {
	s, ok := in.(string)
	if !ok {
		return nil, typeError(f, "%s must be the id of a %s record", f.APIName, f.Target)
	}
	id, err := uuid.Parse(s)
	if err != nil || len(s) != 36 {
		return nil, typeError(f, "%s must be a record id (UUID)", f.APIName)
	}
	return id.String(), nil
}
