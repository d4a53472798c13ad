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
		for i, sec := range l.Sections {
			for j, lf := range sec.Fields {
				base := object + ".layouts." + l.APIName + ".fields." + lf.Field
				cs.focus[base+".visible_if"] = fmt.Sprintf("sections[%d].fields[%d].visible_if", i, j)
				cs.focus[base+".required_if"] = fmt.Sprintf("sections[%d].fields[%d].required_if", i, j)
			}
		}
		return putNamed(&o.Layouts, l, layoutItem, create, "layout", func(l *Layout) error {
			return invalid(normalizeLayout(l, o, cs.next()))
		})
	})
}

// DeleteLayout removes a layout.
func (s *Service) DeleteLayout(ctx context.Context, tenantID, object, name string) (*Snapshot, error) {
	return s.apply(ctx, tenantID, func(cs *changeSet) error {
		o := cs.mutable(object)
		if o == nil {
			return problem.UnknownObject(object)
		}
		return deleteNamed(&o.Layouts, name, layoutItem, object, "layout")
	})
}

// PutListView adds or replaces an admin-defined list view.
func (s *Service) PutListView(ctx context.Context, tenantID, object string, v ListView, create bool) (*Snapshot, error) {
	return s.apply(ctx, tenantID, func(cs *changeSet) error {
		o := cs.mutable(object)
		if o == nil {
			return problem.UnknownObject(object)
		}
		return putNamed(&o.ListViews, v, listViewItem, create, "list view", func(v *ListView) error {
			return invalid(normalizeListView(v, o))
		})
	})
}

// DeleteListView removes an admin-defined list view.
func (s *Service) DeleteListView(ctx context.Context, tenantID, object, name string) (*Snapshot, error) {
	return s.apply(ctx, tenantID, func(cs *changeSet) error {
		o := cs.mutable(object)
		if o == nil {
			return problem.UnknownObject(object)
		}
		return deleteNamed(&o.ListViews, name, listViewItem, object, "list view")
	})
}

// item tells the list helpers how to read an item's name and default flag
// (nil for items without one).
type item[T any] struct {
	name       func(*T) string
	defaultPtr func(*T) *bool
}

var (
	layoutItem   = item[Layout]{name: func(l *Layout) string { return l.APIName }, defaultPtr: func(l *Layout) *bool { return &l.Default }}
	listViewItem = item[ListView]{name: func(v *ListView) string { return v.APIName }, defaultPtr: func(v *ListView) *bool { return &v.Default }}
)

func (it item[T]) index(items []T, name string) int {
	for i := range items {
		if it.name(&items[i]) == name {
			return i
		}
	}
	return -1
}

// putNamed validates x and adds it to items (create) or replaces the item of
// the same name, keeping exactly one default.
func putNamed[T any](items *[]T, x T, it item[T], create bool, kind string, validate func(*T) error) error {
	name := it.name(&x)
	i := it.index(*items, name)
	switch {
	case create && i >= 0:
		return problem.Conflict(problem.CodeConflict, "%s %q already exists", kind, name).
			WithErrors(problem.FieldError{Field: "api_name", Code: problem.CodeConflict, Message: fmt.Sprintf("%s %q already exists", kind, name)})
	case !create && i < 0:
		return problem.NotFound("no %s %q", kind, name)
	case create && len(*items) >= maxLayoutsPerObject:
		return problem.Unprocessable(problem.CodeLimitExceeded, "an object has at most %d of each kind of %s", maxLayoutsPerObject, kind)
	}
	if err := validate(&x); err != nil {
		return err
	}
	if create {
		*items = append(*items, x)
		i = len(*items) - 1
	} else {
		(*items)[i] = x
	}
	if it.defaultPtr == nil {
		return nil
	}
	isDefault := *it.defaultPtr(&x)
	for j := range *items {
		if isDefault {
			*it.defaultPtr(&(*items)[j]) = j == i
		}
	}
	ensureDefault(*items, it)
	return nil
}

// deleteNamed removes the item called name; if it was the default, the
// first remaining item becomes the default.
func deleteNamed[T any](items *[]T, name string, it item[T], object, kind string) error {
	i := it.index(*items, name)
	if i < 0 {
		return problem.NotFound("%s has no %s %q", object, kind, name)
	}
	*items = slices.Delete(*items, i, i+1)
	ensureDefault(*items, it)
	return nil
}

func ensureDefault[T any](items []T, it item[T]) {
	if it.defaultPtr == nil {
		return
	}
	for j := range items {
		if *it.defaultPtr(&items[j]) {
			return
		}
	}
	if len(items) > 0 {
		*it.defaultPtr(&items[0]) = true
	}
}
