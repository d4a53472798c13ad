package record

import (
	"fmt"
	"sort"

	"github.com/google/uuid"

	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/metadata"
)

// assignment is one column to write, with its canonical value.
type assignment struct {
	field *metadata.Field // nil for owner_id
	name  string
	value any // canonical; nil writes NULL
	// fromStage names the pipeline field whose new stage set this value
	// (a probability); it is dropped when the stage turns out unchanged.
	fromStage string
}

// prepared is a write after validation.
type prepared struct {
	sets []assignment
	// lookups are the lookup fields given a non-null value, to verify.
	lookups []assignment
	// stages are the pipeline fields written.
	stages []assignment
}

// put adds an assignment, replacing an earlier one of the same column.
func (p *prepared) put(a assignment) {
	for i := range p.sets {
		if p.sets[i].name == a.name {
			p.sets[i] = a
			return
		}
	}
	p.sets = append(p.sets, a)
}

// dropUnchangedStageEffects removes the values a stage write derived (its
// probability) when the stage was already that stage: re-saving a record
// must not reset a probability the rep adjusted.
func (p *prepared) dropUnchangedStageEffects(before map[string]any) {
	kept := p.sets[:0]
	for _, a := range p.sets {
		if a.fromStage != "" {
			if old, ok := before[a.fromStage]; ok && fmt.Sprint(old) == fmt.Sprint(stageValue(p, a.fromStage)) {
				continue
			}
		}
		kept = append(kept, a)
	}
	p.sets = kept
}

func stageValue(p *prepared, field string) any {
	for _, st := range p.stages {
		if st.name == field {
			return st.value
		}
	}
	return nil
}

// values returns the written columns and their values.
func (p *prepared) values() map[string]any {
	out := make(map[string]any, len(p.sets))
	for _, a := range p.sets {
		out[a.name] = a.value
	}
	return out
}

func (p *prepared) value(name string) (any, bool) {
	for _, a := range p.sets {
		if a.name == name {
			return a.value, true
		}
	}
	return nil, false
}

// prepareWrite validates input against the object and returns the columns to
// write. On create, defaults fill absent fields and required fields must end
// up set. Every problem is reported at once, each naming its field.
func prepareWrite(obj *metadata.Object, input map[string]any, create bool, pathPrefix string) (*prepared, error) {
	p := &prepared{}
	var errs []problem.FieldError
	fail := func(fe problem.FieldError) {
		fe.Field = pathPrefix + fe.Field
		errs = append(errs, fe)
	}
	names := make([]string, 0, len(input))
	for k := range input {
		names = append(names, k)
	}
	sort.Strings(names) // deterministic error order and SQL text
	for _, name := range names {
		raw := input[name]
		if name == "owner_id" {
			if raw == nil {
				fail(problem.FieldError{Field: name, Code: problem.CodeRequired, Message: "owner_id cannot be empty"})
				continue
			}
			s, ok := raw.(string)
			if _, err := uuid.Parse(s); !ok || err != nil || len(s) != 36 {
				fail(problem.FieldError{Field: name, Code: problem.CodeInvalidType, Message: "owner_id must be a user id (UUID)"})
				continue
			}
			p.put(assignment{name: name, value: s})
			continue
		}
		if _, sys := isSystem(name); sys {
			fail(problem.FieldError{Field: name, Code: problem.CodeReadOnly, Message: fmt.Sprintf("%s is maintained by Tessera and cannot be written", name)})
			continue
		}
		f := obj.Field(name)
		if f == nil {
			fail(problem.FieldError{Field: name, Code: problem.CodeUnknownField, Message: fmt.Sprintf("%s has no field %q", obj.APIName, name)})
			continue
		}
		if !f.Active {
			fail(problem.FieldError{Field: name, Code: problem.CodeReadOnly, Message: fmt.Sprintf("%s is inactive", name)})
			continue
		}
		if f.IsReadOnly() {
			fail(problem.FieldError{Field: name, Code: problem.CodeReadOnly, Message: fmt.Sprintf("%s is generated and cannot be written", name)})
			continue
		}
		if raw == nil || raw == "" && isEmptyable(f) {
			if f.Required {
				fail(problem.FieldError{Field: name, Code: problem.CodeRequired, Message: fmt.Sprintf("%s is required", name)})
				continue
			}
			p.put(assignment{field: f, name: name})
			continue
		}
		v, fe := f.Kind().Coerce(f, raw)
		if fe != nil {
			fail(*fe)
			continue
		}
		if fe := requiredNotBlank(f, v); fe != nil {
			fail(*fe)
			continue
		}
		a := assignment{field: f, name: name, value: v}
		p.put(a)
		if f.Type == metadata.TypeLookup {
			p.lookups = append(p.lookups, a)
		}
		if f.Pipeline != nil {
			p.stages = append(p.stages, a)
		}
		if money, ok := raw.(map[string]any); ok && f.CurrencyField != "" {
			if cur, ok := money["currency"].(string); ok {
				if _, given := input[f.CurrencyField]; !given {
					errs = append(errs, currencyFollow(obj, p, f.CurrencyField, cur, pathPrefix)...)
				}
			}
		}
	}
	if create {
		for _, f := range obj.Fields {
			if _, given := input[f.APIName]; given || !f.Active || f.Type == metadata.TypeAutoNumber {
				continue
			}
			if _, derived := p.value(f.APIName); derived {
				continue // set from another field's input (a currency code)
			}
			if dv := f.DefaultValue(); dv != nil {
				a := assignment{field: f, name: f.APIName, value: dv}
				p.put(a)
				if f.Pipeline != nil {
					p.stages = append(p.stages, a)
				}
				if f.Type == metadata.TypeLookup {
					p.lookups = append(p.lookups, a)
				}
				continue
			}
			if f.Required && f.DefaultFormula == "" { // a default formula may fill it (applyRules checks)
				fail(problem.FieldError{Field: f.APIName, Code: problem.CodeRequired, Message: fmt.Sprintf("%s is required", f.APIName)})
			}
		}
	}
	applyStageProbability(obj, p, input)
	if len(errs) > 0 {
		return nil, problem.Invalid("the record is not valid", errs...)
	}
	return p, nil
}

// isEmptyable: an empty string means "no value" for the types where an
// empty string is not itself a meaningful value.
func isEmptyable(f *metadata.Field) bool {
	switch f.Type {
	case metadata.TypeText, metadata.TypeLongText:
		return false
	}
	return true
}

func requiredNotBlank(f *metadata.Field, v any) *problem.FieldError {
	if s, ok := v.(string); ok && s == "" && f.Required {
		return &problem.FieldError{Field: f.APIName, Code: problem.CodeRequired, Message: fmt.Sprintf("%s is required", f.APIName)}
	}
	if l, ok := v.([]string); ok && len(l) == 0 && f.Required {
		return &problem.FieldError{Field: f.APIName, Code: problem.CodeRequired, Message: fmt.Sprintf("%s is required", f.APIName)}
	}
	return nil
}

// currencyFollow sets the record's currency field from {"amount","currency"}.
func currencyFollow(obj *metadata.Object, p *prepared, field, code, prefix string) []problem.FieldError {
	f := obj.Field(field)
	v, fe := f.Kind().Coerce(f, code)
	if fe != nil {
		fe.Field = prefix + fe.Field
		return []problem.FieldError{*fe}
	}
	p.put(assignment{field: f, name: field, value: v})
	return nil
}

// applyStageProbability copies a new stage's probability into the pipeline's
// probability field unless the write sets that field itself.
func applyStageProbability(obj *metadata.Object, p *prepared, input map[string]any) {
	for _, st := range p.stages {
		pf := st.field.Pipeline.ProbabilityField
		if pf == "" || st.value == nil {
			continue
		}
		if _, given := input[pf]; given {
			continue
		}
		opt := st.field.Option(st.value.(string))
		target := obj.Field(pf)
		if opt == nil || opt.Probability == nil || target == nil || !target.Active {
			continue
		}
		v, fe := target.Kind().Coerce(target, int64(*opt.Probability))
		if fe != nil {
			continue
		}
		p.put(assignment{field: target, name: pf, value: v, fromStage: st.name})
	}
}
