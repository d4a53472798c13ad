package metadata

import (
	"fmt"

	"github.com/tessera-crm/tessera/internal/problem"
)

// Layout arranges an object's fields on the record page and the form.
// An object may have several; one is the default.
type Layout struct {
	APIName      string        `json:"api_name"`
	Labels       Labels        `json:"labels"`
	Default      bool          `json:"default"`
	Sections     []Section     `json:"sections"`
	RelatedLists []RelatedList `json:"related_lists"`
}

// Section is a titled group of fields in one or two columns.
type Section struct {
	Labels  Labels        `json:"labels"`
	Columns int           `json:"columns"`
	Fields  []LayoutField `json:"fields"`
}

// LayoutField places a field; the flags can only tighten the field's own
// rules (a layout can make a field required, not optional).
type LayoutField struct {
	Field    string `json:"field"`
	ReadOnly bool   `json:"read_only"`
	Required bool   `json:"required"`
	// VisibleIf shows the field only while the expression holds for the
	// record being edited; RequiredIf makes it required while it holds.
	// A save through the layout (?layout=) enforces both on the server.
	VisibleIf  string `json:"visible_if,omitempty"`
	RequiredIf string `json:"required_if,omitempty"`
}

// RelatedList shows the child records that look this object up.
type RelatedList struct {
	Object  string   `json:"object"`
	Field   string   `json:"field"`
	Labels  Labels   `json:"labels,omitempty"`
	Columns []string `json:"columns"`
	Limit   int      `json:"limit"`
}

// ListView is an admin-defined view of an object's records.
type ListView struct {
	APIName string       `json:"api_name"`
	Labels  Labels       `json:"labels"`
	Default bool         `json:"default"`
	Columns []ViewColumn `json:"columns"`
	Filter  string       `json:"filter"`
	Sort    string       `json:"sort"`
}

// ViewColumn is one column of a list view.
type ViewColumn struct {
	Field string `json:"field"`
	Width int    `json:"width,omitempty"`
}

// Limits on presentation metadata.
const (
	maxLayoutsPerObject = 20
	maxSections         = 30
	maxViewColumns      = 30
)

func isSystemField(name string) bool {
	for _, s := range SystemFields {
		if s == name {
			return true
		}
	}
	return false
}

// normalizeLayout checks a layout against its object and the snapshot.
func normalizeLayout(l *Layout, o *Object, s *Snapshot) []problem.FieldError {
	var errs []problem.FieldError
	add := func(field, code, msg string) {
		errs = append(errs, problem.FieldError{Field: field, Code: code, Message: msg})
	}
	if why := ValidateAPIName(l.APIName); why != "" {
		add("api_name", problem.CodeInvalidValue, fmt.Sprintf("api_name %q %s", l.APIName, why))
	}
	errs = append(errs, checkLabels(l.Labels, "labels")...)
	if len(l.Sections) > maxSections {
		add("sections", problem.CodeLimitExceeded, fmt.Sprintf("a layout has at most %d sections", maxSections))
		return errs
	}
	placed := map[string]bool{}
	for i := range l.Sections {
		sec := &l.Sections[i]
		path := fmt.Sprintf("sections[%d]", i)
		if sec.Columns == 0 {
			sec.Columns = 2
		}
		if sec.Columns != 1 && sec.Columns != 2 {
			add(path+".columns", problem.CodeInvalidValue, "columns must be 1 or 2")
		}
		if len(sec.Labels) > 0 {
			errs = append(errs, checkLabels(sec.Labels, path+".labels")...)
		}
		for j, lf := range sec.Fields {
			fpath := fmt.Sprintf("%s.fields[%d].field", path, j)
			f := o.Field(lf.Field)
			if f == nil && !isSystemField(lf.Field) {
				add(fpath, problem.CodeUnknownField, fmt.Sprintf("%s has no field %q", o.APIName, lf.Field))
				continue
			}
			if placed[lf.Field] {
				add(fpath, problem.CodeConflict, fmt.Sprintf("field %q is placed twice", lf.Field))
			}
			placed[lf.Field] = true
		}
	}
	for i := range l.RelatedLists {
		rl := &l.RelatedLists[i]
		path := fmt.Sprintf("related_lists[%d]", i)
		child := s.Object(rl.Object)
		if child == nil {
			add(path+".object", problem.CodeUnknownObject, fmt.Sprintf("object %q does not exist", rl.Object))
			continue
		}
		lk := child.Field(rl.Field)
		if lk == nil || lk.Type != TypeLookup || lk.Target != o.APIName {
			add(path+".field", problem.CodeInvalidValue, fmt.Sprintf("%s.%s is not a lookup to %s", rl.Object, rl.Field, o.APIName))
			continue
		}
		for j, c := range rl.Columns {
			if child.Field(c) == nil && !isSystemField(c) {
				add(fmt.Sprintf("%s.columns[%d]", path, j), problem.CodeUnknownField, fmt.Sprintf("%s has no field %q", rl.Object, c))
			}
		}
		if rl.Limit <= 0 || rl.Limit > 50 {
			rl.Limit = 5
		}
	}
	return errs
}

// normalizeListView checks a list view; its filter and sort are checked by
// the engine when the view is saved through the API.
func normalizeListView(v *ListView, o *Object) []problem.FieldError {
	var errs []problem.FieldError
	add := func(field, code, msg string) {
		errs = append(errs, problem.FieldError{Field: field, Code: code, Message: msg})
	}
	if why := ValidateAPIName(v.APIName); why != "" {
		add("api_name", problem.CodeInvalidValue, fmt.Sprintf("api_name %q %s", v.APIName, why))
	}
	errs = append(errs, checkLabels(v.Labels, "labels")...)
	errs = append(errs, CheckViewColumns(o, v.Columns)...)
	if len(v.Filter) > 4096 {
		add("filter", problem.CodeTooLong, "filter is at most 4096 characters")
	}
	return errs
}

// CheckViewColumns checks the columns of a list view or a saved view.
func CheckViewColumns(o *Object, cols []ViewColumn) []problem.FieldError {
	var errs []problem.FieldError
	if len(cols) > maxViewColumns {
		return []problem.FieldError{{Field: "columns", Code: problem.CodeLimitExceeded, Message: fmt.Sprintf("at most %d columns", maxViewColumns)}}
	}
	for i, c := range cols {
		if o.Field(c.Field) == nil && !isSystemField(c.Field) {
			errs = append(errs, problem.FieldError{Field: fmt.Sprintf("columns[%d].field", i), Code: problem.CodeUnknownField,
				Message: fmt.Sprintf("%s has no field %q", o.APIName, c.Field)})
		}
		if c.Width < 0 || c.Width > 2000 {
			errs = append(errs, problem.FieldError{Field: fmt.Sprintf("columns[%d].width", i), Code: problem.CodeOutOfRange, Message: "width must be between 0 and 2000"})
		}
	}
	return errs
}

// forgetField removes a deleted field from the object's layouts and views,
// and related lists elsewhere that used it.
func forgetField(o *Object, field string) {
	for i := range o.Layouts {
		l := &o.Layouts[i]
		for j := range l.Sections {
			sec := &l.Sections[j]
			kept := sec.Fields[:0]
			for _, lf := range sec.Fields {
				if lf.Field != field {
					kept = append(kept, lf)
				}
			}
			sec.Fields = kept
		}
	}
	for i := range o.ListViews {
		v := &o.ListViews[i]
		kept := v.Columns[:0]
		for _, c := range v.Columns {
			if c.Field != field {
				kept = append(kept, c)
			}
		}
		v.Columns = kept
	}
}
