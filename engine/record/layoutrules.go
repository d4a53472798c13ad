package record

import (
	"context"
	"fmt"

	"github.com/tessera-crm/tessera/engine/expression"
	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/metadata"
)

type layoutKey struct{}

// WithLayout returns ctx saying that a write comes through a layout's
// form: its required fields and required_if conditions are enforced for
// the fields its visible_if conditions show.
func WithLayout(ctx context.Context, layout string) context.Context {
	return context.WithValue(ctx, layoutKey{}, layout)
}

// LayoutState is which of a layout's fields are hidden and which required
// for a record as it is being edited.
type LayoutState struct {
	Hidden   []string `json:"hidden"`
	Required []string `json:"required"`
}

func findLayout(obj *metadata.Object, name string) *metadata.Layout {
	for i := range obj.Layouts {
		if obj.Layouts[i].APIName == name {
			return &obj.Layouts[i]
		}
	}
	return nil
}

// layoutState evaluates a layout's conditions on a record (its values as
// they will be, and before, nil on create).
func (s *Service) layoutState(ctx context.Context, sc *scope, l *metadata.Layout, record, prior map[string]any) (*LayoutState, error) {
	st := &LayoutState{Hidden: []string{}, Required: []string{}}
	var related map[string]map[string]any
	in := &expression.Input{Record: record, Prior: prior, User: s.actingUser(ctx, sc), Now: s.now()}
	eval := func(src string) (bool, error) {
		p, err := expression.Compile(src, CheckEnv(sc.snap, sc.obj, metadata.Expression{Source: src, Prior: true}))
		if err != nil {
			return false, err
		}
		if len(p.Related) > 0 && related == nil {
			if related, err = s.Related(ctx, sc.snap, sc.obj, sc.obj.Memo(relatedPathsKey{l.APIName}, func() any { return layoutPaths(sc, l) }).(map[string][]string), record); err != nil {
				return false, err
			}
			in.Related = related
		}
		return p.Bool(expression.Vars(in, p))
	}
	for _, sec := range l.Sections {
		for _, lf := range sec.Fields {
			if lf.VisibleIf != "" {
				ok, err := eval(lf.VisibleIf)
				if err != nil {
					return nil, fmt.Errorf("visible_if of %s: %w", lf.Field, err)
				}
				if !ok {
					st.Hidden = append(st.Hidden, lf.Field)
					continue
				}
			}
			required := lf.Required
			if !required && lf.RequiredIf != "" {
				ok, err := eval(lf.RequiredIf)
				if err != nil {
					return nil, fmt.Errorf("required_if of %s: %w", lf.Field, err)
				}
				required = ok
			}
			if required {
				st.Required = append(st.Required, lf.Field)
			}
		}
	}
	return st, nil
}

type relatedPathsKey struct{ layout string }

// layoutPaths is the union of the lookup paths a layout's conditions read.
func layoutPaths(sc *scope, l *metadata.Layout) map[string][]string {
	out := map[string][]string{}
	for _, sec := range l.Sections {
		for _, lf := range sec.Fields {
			for _, src := range []string{lf.VisibleIf, lf.RequiredIf} {
				if src == "" {
					continue
				}
				p, err := expression.Compile(src, CheckEnv(sc.snap, sc.obj, metadata.Expression{Source: src, Prior: true}))
				if err != nil {
					continue
				}
				for lookup, fields := range p.Related {
					out[lookup] = appendMissing(out[lookup], fields...)
				}
			}
		}
	}
	return out
}

// checkLayout enforces the layout a write names (WithLayout): a shown
// field that is required, or required by its required_if, must have a
// value.
func (s *Service) checkLayout(ctx context.Context, sc *scope, p *prepared, before map[string]any, prefix string) error {
	name, _ := ctx.Value(layoutKey{}).(string)
	if name == "" {
		return nil
	}
	l := findLayout(sc.obj, name)
	if l == nil {
		return problem.Field("layout", problem.CodeInvalidValue, "%s has no layout %q", sc.obj.APIName, name)
	}
	record := make(map[string]any, len(before)+len(p.sets))
	for k, v := range before {
		record[k] = v
	}
	for _, a := range p.sets {
		record[a.name] = a.value
	}
	st, err := s.layoutState(ctx, sc, l, record, before)
	if err != nil {
		return problem.Unprocessable(problem.CodeInvalidExpression, "the layout %s could not be evaluated: %v", name, err)
	}
	var errs []problem.FieldError
	for _, f := range st.Required {
		if v, ok := record[f]; !ok || v == nil || v == "" {
			errs = append(errs, problem.FieldError{Field: prefix + f, Code: problem.CodeRequired, Message: fmt.Sprintf("%s is required", f)})
		}
	}
	if len(errs) > 0 {
		return problem.Invalid("required fields are missing", errs...)
	}
	return nil
}

// FormState evaluates a layout's visible_if and required_if for a record
// being edited: the stored record (none when id is empty) with the draft
// values over it. The caller must be able to read the record.
func (s *Service) FormState(ctx context.Context, snap *metadata.Snapshot, object, layout, id string, draft map[string]any) (*LayoutState, error) {
	sc, err := s.scope(ctx, snap, object)
	if err != nil {
		return nil, err
	}
	l := findLayout(sc.obj, layout)
	if l == nil {
		return nil, problem.Field("layout", problem.CodeInvalidValue, "%s has no layout %q", object, layout)
	}
	var prior map[string]any
	if id != "" {
		rec, err := s.Get(ctx, snap, object, id, GetOptions{Fields: []string{"id"}})
		if err != nil {
			return nil, err
		}
		inputs, err := s.readInputs(ctx, sc, []Record{rec}, nil)
		if err != nil {
			return nil, err
		}
		prior = inputs[0]
	}
	p, err := prepareWrite(sc.obj, draft, false, "values.")
	if err != nil {
		return nil, err
	}
	record := map[string]any{}
	for k, v := range prior {
		record[k] = v
	}
	for _, a := range p.sets {
		record[a.name] = a.value
	}
	return s.layoutState(ctx, sc, l, record, prior)
}
