package metadata

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"unicode/utf8"

	"github.com/tessera-crm/tessera/internal/problem"
)

// MaxFieldsPerObject keeps tables far from PostgreSQL's 1600-column limit and
// rows far from its 8 kB page.
const MaxFieldsPerObject = 400

// MaxObjects bounds a tenant's catalogue (see architecture.md: tables per tenant).
const MaxObjects = 300

// normalizeField validates a field definition against the object it belongs
// to (which already contains it) and fills defaults. Errors are prefixed
// with prefix so that nested errors name their path.
func normalizeField(f *Field, obj *Object, s *Snapshot, prefix string) []problem.FieldError {
	var errs []problem.FieldError
	add := func(field, code, msg string) {
		errs = append(errs, problem.FieldError{Field: prefix + field, Code: code, Message: msg})
	}
	if why := ValidateAPIName(f.APIName); why != "" {
		add("api_name", problem.CodeInvalidValue, fmt.Sprintf("api_name %q %s", f.APIName, why))
	}
	kind, ok := fieldTypes[f.Type]
	if !ok {
		add("type", problem.CodeInvalidValue, fmt.Sprintf("type %q is not one of %v", f.Type, FieldTypeNames()))
		return errs
	}
	errs = append(errs, checkLabels(f.Labels, prefix+"labels")...)
	for _, fe := range kind.Normalize(f, obj, s) {
		fe.Field = prefix + fe.Field
		errs = append(errs, fe)
	}
	f.index()
	if len(f.Default) > 0 && !bytes.Equal(bytes.TrimSpace(f.Default), []byte("null")) {
		v, err := decodeJSONValue(f.Default)
		if err != nil {
			add("default", problem.CodeInvalidValue, "default is not valid JSON")
		} else if _, fe := kind.Coerce(f, v); fe != nil {
			add("default", fe.Code, "default: "+fe.Message)
		}
	} else {
		f.Default = nil
	}
	if f.Encrypted {
		switch {
		case f.Type != TypeText && f.Type != TypeLongText && f.Type != TypeEmail && f.Type != TypePhone:
			add("encrypted", problem.CodeInvalidValue, "only text, long_text, email and phone fields can be encrypted")
		case f.Unique || f.Indexed:
			add("encrypted", problem.CodeInvalidValue, "an encrypted field cannot be unique or indexed: its stored values are ciphertext")
		case obj.NameField == f.APIName:
			add("encrypted", problem.CodeInvalidValue, "the name field cannot be encrypted: lists and lookups show it")
		}
	}
	checkFormulas(f, obj, add)
	if f.Rollup != nil {
		for _, fe := range checkRollup(f, obj, s) {
			fe.Field = prefix + fe.Field
			errs = append(errs, fe)
		}
	}
	if f.Pipeline != nil && f.Type != TypePicklist {
		add("pipeline", problem.CodeInvalidValue, "only picklist fields can be pipelines")
	}
	return errs
}

func checkLabels(l Labels, path string) []problem.FieldError {
	if len(l) == 0 || l.Pick("en") == "" {
		return []problem.FieldError{{Field: path, Code: problem.CodeRequired, Message: "a label is required"}}
	}
	for locale, text := range l {
		if locale != "en" && locale != "zh-CN" {
			return []problem.FieldError{{Field: path, Code: problem.CodeInvalidValue, Message: fmt.Sprintf("locale %q is not supported (en, zh-CN)", locale)}}
		}
		if utf8.RuneCountInString(text) > 120 {
			return []problem.FieldError{{Field: path + "." + locale, Code: problem.CodeTooLong, Message: "labels are at most 120 characters"}}
		}
	}
	return nil
}

// normalizeObject validates an object definition, including all its fields,
// in the context of the snapshot it will join (which may already contain it).
func normalizeObject(o *Object, s *Snapshot) []problem.FieldError {
	var errs []problem.FieldError
	if why := ValidateAPIName(o.APIName); why != "" {
		errs = append(errs, problem.FieldError{Field: "api_name", Code: problem.CodeInvalidValue, Message: fmt.Sprintf("api_name %q %s", o.APIName, why)})
	}
	errs = append(errs, checkLabels(o.Labels, "labels")...)
	if len(o.PluralLabels) == 0 {
		o.PluralLabels = o.Labels
	}
	if len(o.Fields) > MaxFieldsPerObject {
		errs = append(errs, problem.FieldError{Field: "fields", Code: problem.CodeLimitExceeded, Message: fmt.Sprintf("an object has at most %d fields", MaxFieldsPerObject)})
		return errs
	}
	if o.NameField == "" {
		o.NameField = "name"
		if o.Field("name") == nil {
			o.Fields = append([]*Field{{APIName: "name", Type: TypeText, Labels: Labels{"en": "Name", "zh-CN": "名称"}, Required: true, Active: true, Standard: o.Standard}}, o.Fields...)
		}
	}
	o.index()
	seen := map[string]bool{}
	for i, f := range o.Fields {
		if seen[f.APIName] {
			errs = append(errs, problem.FieldError{Field: fmt.Sprintf("fields[%d].api_name", i), Code: problem.CodeConflict, Message: fmt.Sprintf("field %q appears twice", f.APIName)})
		}
		seen[f.APIName] = true
	}
	for i, f := range o.Fields {
		errs = append(errs, normalizeField(f, o, s, fmt.Sprintf("fields[%d].", i))...)
	}
	errs = append(errs, checkNameField(o)...)
	return errs
}

func checkNameField(o *Object) []problem.FieldError {
	nf := o.Field(o.NameField)
	if nf == nil || !slices.Contains([]string{TypeText, TypeAutoNumber, TypeEmail, TypePhone}, nf.Type) {
		return []problem.FieldError{{Field: "name_field", Code: problem.CodeInvalidValue,
			Message: fmt.Sprintf("name_field %q must name a text or auto_number field of the object", o.NameField)}}
	}
	return nil
}

// decodeJSONValue decodes with numbers kept exact.
func decodeJSONValue(raw json.RawMessage) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// DefaultValue returns the field's default as a canonical value, or nil.
func (f *Field) DefaultValue() any {
	if f.Default == nil {
		return nil
	}
	v, err := decodeJSONValue(f.Default)
	if err != nil {
		return nil
	}
	out, fe := f.Kind().Coerce(f, v)
	if fe != nil {
		return nil
	}
	return out
}
