package metadata

import (
	"fmt"

	"github.com/tessera-crm/tessera/internal/problem"
)

// Roll-up operations.
const (
	RollupCount = "count"
	RollupSum   = "sum"
	RollupMin   = "min"
	RollupMax   = "max"
)

// Rollup is a summary of child records: the records of Object whose lookup
// Via points at this record, optionally only those meeting Filter (in the
// list filter language).
type Rollup struct {
	Object string `json:"object"`
	Via    string `json:"via"`
	Op     string `json:"op"`
	Field  string `json:"field,omitempty"`
	Filter string `json:"filter,omitempty"`
}

var numericTypes = map[string]bool{TypeInteger: true, TypeNumber: true, TypeCurrency: true, TypePercent: true}
var dateTypes = map[string]bool{TypeDate: true, TypeDatetime: true}

// checkRollup validates a roll-up against the snapshot it is part of.
func checkRollup(f *Field, obj *Object, s *Snapshot) []problem.FieldError {
	r := f.Rollup
	var errs []problem.FieldError
	add := func(field, code, format string, args ...any) {
		errs = append(errs, problem.FieldError{Field: "rollup." + field, Code: code, Message: fmt.Sprintf(format, args...)})
	}
	if f.Formula != "" || f.DefaultFormula != "" || len(f.Default) > 0 || f.Required || f.Unique || f.Encrypted {
		add("op", problem.CodeInvalidValue, "a roll-up field is computed: it has no formula or default and cannot be required, unique or encrypted")
	}
	if len(r.Filter) > MaxExpressionLength {
		add("filter", problem.CodeTooLong, "filter is at most %d bytes", MaxExpressionLength)
	}
	child := s.Object(r.Object)
	if r.Object == obj.APIName {
		child = obj
	}
	if child == nil {
		add("object", problem.CodeUnknownObject, "object %q does not exist", r.Object)
		return errs
	}
	via := child.Field(r.Via)
	if via == nil || !via.Active || via.Type != TypeLookup || via.Target != obj.APIName {
		add("via", problem.CodeInvalidValue, "via must be a lookup of %s to %s", r.Object, obj.APIName)
	}
	switch r.Op {
	case RollupCount:
		if r.Field != "" {
			add("field", problem.CodeInvalidValue, "count takes no field")
		}
		if f.Type != TypeInteger && f.Type != TypeNumber {
			add("op", problem.CodeInvalidValue, "a count goes into an integer or number field")
		}
	case RollupSum, RollupMin, RollupMax:
		src := child.Field(r.Field)
		switch {
		case src == nil || !src.Active || src.Encrypted:
			add("field", problem.CodeUnknownField, "%s has no field %q to %s", r.Object, r.Field, r.Op)
		case r.Op == RollupSum && !numericTypes[src.Type]:
			add("field", problem.CodeInvalidValue, "only numbers can be summed")
		case !numericTypes[src.Type] && !dateTypes[src.Type]:
			add("field", problem.CodeInvalidValue, "min and max take a number or a date")
		case numericTypes[src.Type] && !numericTypes[f.Type], dateTypes[src.Type] && f.Type != src.Type:
			add("field", problem.CodeInvalidValue, "a %s of %s (%s) cannot go into a %s field", r.Op, r.Field, src.Type, f.Type)
		}
	default:
		add("op", problem.CodeInvalidValue, "op must be count, sum, min or max")
	}
	return errs
}

// RollupsFrom lists the roll-up fields that summarise records of child.
func (s *Snapshot) RollupsFrom(child string) []FieldRef {
	var out []FieldRef
	for _, o := range s.Objects {
		for _, f := range o.Fields {
			if f.Rollup != nil && f.Active && f.Rollup.Object == child {
				out = append(out, FieldRef{Object: o, Field: f})
			}
		}
	}
	return out
}
