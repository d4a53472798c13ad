package metadata

import (
	"context"
	"fmt"

	"github.com/tessera-crm/tessera/internal/problem"
)

// MaxExpressionLength bounds the text of a formula, condition or rule.
const MaxExpressionLength = 4000

// MaxValidationRules bounds an object's rules: each active rule runs on
// every save.
const MaxValidationRules = 100

// ValidationRule refuses a save when its condition holds for the record
// being saved.
type ValidationRule struct {
	APIName     string `json:"api_name"`
	Labels      Labels `json:"labels"`
	Description string `json:"description,omitempty"`
	// Condition is the error condition, in the expression language, with
	// prior values and is_changed() available.
	Condition string `json:"condition"`
	// Message is what the user is told, per locale.
	Message Labels `json:"message"`
	// Field, when set, is the field the message attaches to on forms.
	Field  string `json:"field,omitempty"`
	Active bool   `json:"active"`
}

// Expression is one expression of an object's metadata, for checking.
type Expression struct {
	// Path names it in errors: "fields.weighted.formula",
	// "validation_rules.discount_limit.condition".
	Path   string
	Source string
	// Field is the field a formula or default computes (nil for
	// conditions, which give true or false).
	Field *Field
	// Prior tells whether prior values and is_changed() are available.
	Prior bool
	// Filter marks a condition in the list filter language on the records
	// of object On (a roll-up's filter on the child records).
	Filter bool
	On     string
	// Any accepts a result of any type (template parts).
	Any bool
}

// Expressions lists every expression an object defines.
func (o *Object) Expressions() []Expression {
	var out []Expression
	for _, f := range o.Fields {
		if f.Formula != "" {
			out = append(out, Expression{Path: "fields." + f.APIName + ".formula", Source: f.Formula, Field: f})
		}
		if f.DefaultFormula != "" {
			out = append(out, Expression{Path: "fields." + f.APIName + ".default_formula", Source: f.DefaultFormula, Field: f})
		}
		if f.Rollup != nil && f.Rollup.Filter != "" {
			out = append(out, Expression{Path: "fields." + f.APIName + ".rollup.filter", Source: f.Rollup.Filter, Field: f, Filter: true, On: f.Rollup.Object})
		}
	}
	for _, r := range o.ValidationRules {
		out = append(out, Expression{Path: "validation_rules." + r.APIName + ".condition", Source: r.Condition, Prior: true})
	}
	for i := range o.Workflows {
		out = workflowExpressions(o, &o.Workflows[i], out)
	}
	for i := range o.ApprovalProcesses {
		out = approvalExpressions(o, &o.ApprovalProcesses[i], out)
	}
	for _, l := range o.Layouts {
		for _, sec := range l.Sections {
			for _, lf := range sec.Fields {
				base := "layouts." + l.APIName + ".fields." + lf.Field
				if lf.VisibleIf != "" {
					out = append(out, Expression{Path: base + ".visible_if", Source: lf.VisibleIf, Prior: true})
				}
				if lf.RequiredIf != "" {
					out = append(out, Expression{Path: base + ".required_if", Source: lf.RequiredIf, Prior: true})
				}
			}
		}
	}
	return out
}

// checkFormulas validates what metadata alone can about a field's
// formulas; compiling them is the expression checker's job.
func checkFormulas(f *Field, obj *Object, add func(field, code, msg string)) {
	if len(f.Formula) > MaxExpressionLength {
		add("formula", problem.CodeTooLong, fmt.Sprintf("formula is at most %d bytes", MaxExpressionLength))
	}
	if len(f.DefaultFormula) > MaxExpressionLength {
		add("default_formula", problem.CodeTooLong, fmt.Sprintf("default_formula is at most %d bytes", MaxExpressionLength))
	}
	if f.Formula == "" {
		if f.FormulaStored {
			add("formula_stored", problem.CodeInvalidValue, "formula_stored needs a formula")
		}
		return
	}
	switch {
	case f.Type == TypeLookup || f.Type == TypeAutoNumber || f.Type == TypeLongText:
		add("formula", problem.CodeInvalidValue, fmt.Sprintf("a %s field cannot be a formula", f.Type))
	case f.Required || f.Unique:
		add("formula", problem.CodeInvalidValue, "a formula field cannot be required or unique: its value is computed")
	case f.DefaultFormula != "" || len(f.Default) > 0:
		add("formula", problem.CodeInvalidValue, "a formula field has no default: its value is computed")
	case f.Encrypted || f.TrackHistory:
		add("formula", problem.CodeInvalidValue, "a formula field cannot be encrypted or track history")
	case obj.NameField == f.APIName:
		add("formula", problem.CodeInvalidValue, "the name field cannot be a formula")
	}
}

func checkValidationRule(o *Object, r *ValidationRule) []problem.FieldError {
	var errs []problem.FieldError
	add := func(field, code, format string, args ...any) {
		errs = append(errs, problem.FieldError{Field: field, Code: code, Message: fmt.Sprintf(format, args...)})
	}
	if msg := ValidateAPIName(r.APIName); msg != "" {
		add("api_name", problem.CodeInvalidValue, "api_name %s", msg)
	}
	errs = append(errs, checkLabels(r.Labels, "labels")...)
	if r.Condition == "" {
		add("condition", problem.CodeRequired, "condition is required")
	} else if len(r.Condition) > MaxExpressionLength {
		add("condition", problem.CodeTooLong, "condition is at most %d bytes", MaxExpressionLength)
	}
	if r.Message.Pick("en") == "" {
		add("message", problem.CodeRequired, "a message is required")
	}
	for locale, m := range r.Message {
		if len(m) > 500 {
			add("message."+locale, problem.CodeTooLong, "a message is at most 500 characters")
		}
	}
	if len(r.Description) > 1000 {
		add("description", problem.CodeTooLong, "description is at most 1000 characters")
	}
	if r.Field != "" {
		if f := o.Field(r.Field); f == nil || !f.Active {
			add("field", problem.CodeUnknownField, "%s has no active field %q", o.APIName, r.Field)
		}
	}
	return errs
}

var validationRuleItem = item[ValidationRule]{name: func(r *ValidationRule) string { return r.APIName }}

// PutValidationRule adds (create) or replaces a validation rule; its
// condition is compiled by the service's expression checker with the rest
// of the change.
func (s *Service) PutValidationRule(ctx context.Context, tenantID, object string, r ValidationRule, create bool) (*Snapshot, error) {
	return s.apply(ctx, tenantID, func(cs *changeSet) error {
		o := cs.mutable(object)
		if o == nil {
			return problem.UnknownObject(object)
		}
		if create && len(o.ValidationRules) >= MaxValidationRules {
			return problem.Unprocessable(problem.CodeLimitExceeded, "%s has %d validation rules, the most an object may have", object, MaxValidationRules)
		}
		cs.focus[object+".validation_rules."+r.APIName+".condition"] = "condition"
		return putNamed(&o.ValidationRules, r, validationRuleItem, create, "validation rule", func(r *ValidationRule) error {
			return invalid(checkValidationRule(o, r))
		})
	})
}

// DeleteValidationRule removes a validation rule.
func (s *Service) DeleteValidationRule(ctx context.Context, tenantID, object, name string) (*Snapshot, error) {
	return s.apply(ctx, tenantID, func(cs *changeSet) error {
		o := cs.mutable(object)
		if o == nil {
			return problem.UnknownObject(object)
		}
		return deleteNamed(&o.ValidationRules, name, validationRuleItem, object, "validation rule")
	})
}

// RollupFiller computes a roll-up field's values for every record, when
// the roll-up is added or changed; it runs in the change's transaction.
type RollupFiller func(ctx context.Context, snap *Snapshot, obj *Object, f *Field) error

// ExpressionChecker compiles one expression of obj against snap and says
// what is wrong with it, or nil. It lives outside this package (the
// expression language depends on metadata).
type ExpressionChecker func(snap *Snapshot, obj *Object, e Expression) *problem.FieldError

// checkExpressions compiles every expression of the next snapshot: a change
// to one object (a deleted field, a changed type) can break a formula on
// another that reads it through a lookup. An expression the request itself
// wrote is refused as bad input on the request's field; one the change
// breaks elsewhere is a conflict that names it.
func (s *Service) checkExpressions(cs *changeSet) error {
	if s.Expressions == nil || (len(cs.saved) == 0 && len(cs.deleted) == 0) {
		return nil
	}
	next := cs.next()
	var own []problem.FieldError
	var broken error
	for _, o := range next.Objects {
		for _, f := range o.Fields {
			if f.Rollup == nil || cs.focus[o.APIName+".fields."+f.APIName+".formula"] != "" {
				continue // the request's own roll-up was checked with its field
			}
			if errs := checkRollup(f, o, next); len(errs) > 0 {
				return problem.Conflict(problem.CodeReferenced, "the change breaks the roll-up %s.%s: %s", o.APIName, f.APIName, errs[0].Message)
			}
		}
		for _, e := range o.Expressions() {
			fe := s.Expressions(next, o, e)
			if fe == nil {
				continue
			}
			if field, ok := cs.focus[o.APIName+"."+e.Path]; ok {
				fe.Field = field
				own = append(own, *fe)
				continue
			}
			if broken == nil {
				broken = problem.Conflict(problem.CodeReferenced, "the change breaks %s (%s.%s): %s", e.Path, o.APIName, e.Path, fe.Message)
			}
		}
	}
	// Every expression the request wrote is reported at once; otherwise
	// the first one it breaks elsewhere.
	if len(own) > 0 {
		return problem.Invalid("the expression is not valid", own...)
	}
	if broken != nil {
		return broken
	}
	return nil
}

// focusField marks a field's formulas as written by the request, whose
// errors name them prefix+"formula" and prefix+"default_formula".
func (cs *changeSet) focusField(object, field, prefix string) {
	cs.focus[object+".fields."+field+".formula"] = prefix + "formula"
	cs.focus[object+".fields."+field+".default_formula"] = prefix + "default_formula"
	cs.focus[object+".fields."+field+".rollup.filter"] = prefix + "rollup.filter"
}
