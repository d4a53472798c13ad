package metadata

import (
	"context"
	"fmt"
	"slices"

	"github.com/tessera-crm/tessera/internal/problem"
)

// PutLayout adds a layout (create) or replaces one with the same api name.
func (s *Service) PutLayout(ctx context.Context, tenantID, object string, l Layout, create bool) (*Snapshot, error) {
	return s.apply(ctx, tenantID, func(cs *changeSet) error {
		o := cs.mutable(object)
		if o == nil {
			return problem.UnknownObject(object)
		}
		i := slices.IndexFunc(o.Layouts, func(x Layout) bool { return x.APIName == l.APIName })
		if err := presenceError("layout", l.APIName, i >= 0, create); err != nil {
			return err
		}
		if err := invalid(normalizeLayout(&l, o, cs.next())); err != nil {
			return err
		}
		if create {
			if len(o.Layouts) >= maxLayoutsPerObject {
				return problem.Unprocessable(problem.CodeLimitExceeded, "an object has at most %d layouts", maxLayoutsPerObject)
			}
			o.Layouts = append(o.Layouts, l)
			i = len(o.Layouts) - 1
		} else {
			o.Layouts[i] = l
		}
		oneDefault(len(o.Layouts), i, l.Default, func(j int) *bool { return &o.Layouts[j].Default })
		return nil
	})
}

// DeleteLayout removes a layout.
func (s *Service) DeleteLayout(ctx context.Context, tenantID, object, name string) (*Snapshot, error) {
	return s.apply(ctx, tenantID, func(cs *changeSet) error {
		o := cs.mutable(object)
		if o == nil {
			return problem.UnknownObject(object)
		}
		i := slices.IndexFunc(o.Layouts, func(x Layout) bool { return x.APIName == name })
		if i < 0 {
			return problem.NotFound("%s has no layout %q", object, name)
		}
		wasDefault := o.Layouts[i].Default
		o.Layouts = slices.Delete(o.Layouts, i, i+1)
		if wasDefault && len(o.Layouts) > 0 {
			o.Layouts[0].Default = true
		}
		return nil
	})
}

// PutListView adds or replaces an admin-defined list view.
func (s *Service) PutListView(ctx context.Context, tenantID, object string, v ListView, create bool) (*Snapshot, error) {
	return s.apply(ctx, tenantID, func(cs *changeSet) error {
		o := cs.mutable(object)
		if o == nil {
			return problem.UnknownObject(object)
		}
		i := slices.IndexFunc(o.ListViews, func(x ListView) bool { return x.APIName == v.APIName })
		if err := presenceError("list view", v.APIName, i >= 0, create); err != nil {
			return err
		}
		if err := invalid(normalizeListView(&v, o)); err != nil {
			return err
		}
		if create {
			if len(o.ListViews) >= maxLayoutsPerObject {
				return problem.Unprocessable(problem.CodeLimitExceeded, "an object has at most %d list views", maxLayoutsPerObject)
			}
			o.ListViews = append(o.ListViews, v)
			i = len(o.ListViews) - 1
		} else {
			o.ListViews[i] = v
		}
		oneDefault(len(o.ListViews), i, v.Default, func(j int) *bool { return &o.ListViews[j].Default })
		return nil
	})
}

// DeleteListView removes an admin-defined list view.
func (s *Service) DeleteListView(ctx context.Context, tenantID, object, name string) (*Snapshot, error) {
	return s.apply(ctx, tenantID, func(cs *changeSet) error {
		o := cs.mutable(object)
		if o == nil {
			return problem.UnknownObject(object)
		}
		i := slices.IndexFunc(o.ListViews, func(x ListView) bool { return x.APIName == name })
		if i < 0 {
			return problem.NotFound("%s has no list view %q", object, name)
		}
		wasDefault := o.ListViews[i].Default
		o.ListViews = slices.Delete(o.ListViews, i, i+1)
		if wasDefault && len(o.ListViews) > 0 {
			o.ListViews[0].Default = true
		}
		return nil
	})
}

func presenceError(kind, name string, exists, create bool) error {
	switch {
	case create && exists:
		return problem.Conflict(problem.CodeConflict, "%s %q already exists", kind, name).
			WithErrors(problem.FieldError{Field: "api_name", Code: problem.CodeConflict, Message: fmt.Sprintf("%s %q already exists", kind, name)})
	case !create && !exists:
		return problem.NotFound("no %s %q", kind, name)
	}
	return nil
}

// oneDefault keeps exactly one default among n items after item i changed.
func oneDefault(n, i int, isDefault bool, flag func(j int) *bool) {
	if isDefault {
		for j := 0; j < n; j++ {
			*flag(j) = j == i
		}
		return
	}
	for j := 0; j < n; j++ {
		if *flag(j) {
			return
		}
	}
	*flag(0) = true
}
