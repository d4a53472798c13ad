package metadata

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/internal/sqldialect"
)

type picklistType struct{}
type multiPicklistType struct{}

func init() {
	register(picklistType{})
	register(multiPicklistType{})
}

var (
	_ FieldType = picklistType{}
	_ FieldType = multiPicklistType{}
)

// MaxOptions bounds a picklist; beyond this a lookup to an object fits better.
const MaxOptions = 500

var colorPattern = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

// optionName: option api names are stored values, not identifiers, so
// keywords and upper case are fine (currency codes such as CNY are options).
var optionName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,47}$`)

func (picklistType) Name() string                         { return TypePicklist }
func (picklistType) Storage(*Field) sqldialect.ColumnKind { return sqldialect.KindText }

func (picklistType) Normalize(f *Field, obj *Object, _ *Snapshot) []problem.FieldError {
	errs := normalizeOptions(f)
	if f.Pipeline != nil {
		errs = append(errs, normalizePipeline(f, obj)...)
	}
	return errs
}

func (picklistType) Coerce(f *Field, in any) (any, *problem.FieldError) {
	s, ok := in.(string)
	if !ok {
		return nil, typeError(f, "%s must be the api name of one of its options", f.APIName)
	}
	if fe := checkOption(f, s); fe != nil {
		return nil, fe
	}
	return s, nil
}

func (multiPicklistType) Name() string                         { return TypeMultiPicklist }
func (multiPicklistType) Storage(*Field) sqldialect.ColumnKind { return sqldialect.KindJSON }

func (multiPicklistType) Normalize(f *Field, _ *Object, _ *Snapshot) []problem.FieldError {
	errs := normalizeOptions(f)
	if f.Unique || f.Pipeline != nil {
		errs = append(errs, problem.FieldError{Field: "unique", Code: problem.CodeInvalidValue,
			Message: "multi_picklist fields cannot be unique or pipelines"})
	}
	return errs
}

// Coerce accepts an array of option api names and returns them de-duplicated
// in option order, so equal selections store equal values.
func (multiPicklistType) Coerce(f *Field, in any) (any, *problem.FieldError) {
	list, ok := in.([]any)
	if !ok {
		return nil, typeError(f, "%s must be an array of option api names", f.APIName)
	}
	seen := map[string]bool{}
	out := make([]string, 0, len(list))
	for _, item := range list {
		s, ok := item.(string)
		if !ok {
			return nil, typeError(f, "%s must be an array of option api names", f.APIName)
		}
		if fe := checkOption(f, s); fe != nil {
			return nil, fe
		}
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return f.Option(out[i]).Order < f.Option(out[j]).Order })
	return out, nil
}

func checkOption(f *Field, s string) *problem.FieldError {
	opt := f.Option(s)
	if opt == nil {
		return valueError(f, "%q is not an option of %s (options: %s)", s, f.APIName, strings.Join(activeOptionNames(f), ", "))
	}
	if !opt.Active {
		return valueError(f, "%q is an inactive option of %s", s, f.APIName)
	}
	return nil
}

func activeOptionNames(f *Field) []string {
	var names []string
	for _, o := range f.Options {
		if o.Active {
			names = append(names, o.APIName)
		}
	}
	return names
}

func normalizeOptions(f *Field) []problem.FieldError {
	var errs []problem.FieldError
	if len(f.Options) == 0 {
		return []problem.FieldError{{Field: "options", Code: problem.CodeRequired, Message: "a picklist needs at least one option"}}
	}
	if len(f.Options) > MaxOptions {
		return []problem.FieldError{{Field: "options", Code: problem.CodeLimitExceeded, Message: fmt.Sprintf("a picklist has at most %d options", MaxOptions)}}
	}
	seen := map[string]bool{}
	for i := range f.Options {
		o := &f.Options[i]
		path := fmt.Sprintf("options[%d]", i)
		if !optionName.MatchString(o.APIName) {
			errs = append(errs, problem.FieldError{Field: path + ".api_name", Code: problem.CodeInvalidValue,
				Message: fmt.Sprintf("option api_name %q must start with a letter and use only letters, digits and underscores (at most 48)", o.APIName)})
		}
		if seen[o.APIName] {
			errs = append(errs, problem.FieldError{Field: path + ".api_name", Code: problem.CodeConflict, Message: fmt.Sprintf("option %q appears twice", o.APIName)})
		}
		seen[o.APIName] = true
		if len(o.Labels) == 0 {
			o.Labels = Labels{"en": o.APIName}
		}
		if o.Color != "" && !colorPattern.MatchString(o.Color) {
			errs = append(errs, problem.FieldError{Field: path + ".color", Code: problem.CodeInvalidValue, Message: "color must look like #1f77b4"})
		}
		if o.Order == 0 {
			o.Order = i + 1
		}
		if f.Pipeline == nil && (o.Probability != nil || o.ForecastCategory != "") {
			errs = append(errs, problem.FieldError{Field: path + ".probability", Code: problem.CodeInvalidValue, Message: "probability and forecast_category belong to pipeline stages"})
		}
	}
	sort.SliceStable(f.Options, func(i, j int) bool { return f.Options[i].Order < f.Options[j].Order })
	return errs
}

func normalizePipeline(f *Field, obj *Object) []problem.FieldError {
	var errs []problem.FieldError
	for i := range f.Options {
		o := &f.Options[i]
		path := fmt.Sprintf("options[%d]", i)
		if o.Probability == nil {
			errs = append(errs, problem.FieldError{Field: path + ".probability", Code: problem.CodeRequired, Message: fmt.Sprintf("stage %q needs a probability (0-100)", o.APIName)})
		} else if *o.Probability < 0 || *o.Probability > 100 {
			errs = append(errs, problem.FieldError{Field: path + ".probability", Code: problem.CodeOutOfRange, Message: "probability must be between 0 and 100"})
		}
		if !slices.Contains(ForecastCategories, o.ForecastCategory) {
			errs = append(errs, problem.FieldError{Field: path + ".forecast_category", Code: problem.CodeInvalidValue,
				Message: fmt.Sprintf("forecast_category of stage %q must be one of %s", o.APIName, strings.Join(ForecastCategories, ", "))})
		}
	}
	if pf := f.Pipeline.ProbabilityField; pf != "" {
		target := obj.Field(pf)
		if target == nil || (target.Type != TypePercent && target.Type != TypeNumber && target.Type != TypeInteger) {
			errs = append(errs, problem.FieldError{Field: "pipeline.probability_field", Code: problem.CodeUnknownField,
				Message: fmt.Sprintf("probability_field %q must name a percent, number or integer field of this object", pf)})
		}
	}
	return errs
}
