package metadata

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/tessera-crm/tessera/internal/database"
	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/internal/sqldialect"
)

// Service changes a tenant's metadata. Each change runs in one transaction:
// it bumps the metadata version (serializing changes per tenant), loads the
// current definitions under that lock, validates the new ones, runs the DDL
// they imply and saves them. A failure anywhere rolls back all of it.
type Service struct {
	db       *database.DB
	onChange func(ctx context.Context, s *Snapshot)
	now      func() time.Time
	// Audit, when set, records each change (an object's definition, or the
	// tenant's settings) before and after, in the change's transaction.
	Audit func(ctx context.Context, tenantKey string, c Change) error
	// Expressions, when set, compiles every formula and rule of a change
	// before it is applied.
	Expressions ExpressionChecker
	// FillRollup, when set, fills a new or changed roll-up field.
	FillRollup RollupFiller
	// Sync, when set, brings state derived from the metadata (workflow
	// schedules) in step with each change, in the change's transaction.
	Sync func(ctx context.Context, next *Snapshot) error
}

// Change is one part of a metadata change. For an object, Before is nil
// when it was created and After nil when it was deleted; for the tenant's
// settings Object is empty and both are set.
type Change struct {
	Object        string
	Before, After any
}

// NewService returns a service; onChange, when set, learns every committed
// snapshot (the cache layer publishes it to other instances).
func NewService(db *database.DB, onChange func(ctx context.Context, s *Snapshot)) *Service {
	return &Service{db: db, onChange: onChange, now: func() time.Time { return time.Now().UTC() }}
}

// Load reads a tenant's snapshot from the database, bypassing any cache.
func (s *Service) Load(ctx context.Context, tenantID string) (*Snapshot, error) {
	return LoadSnapshot(ctx, s.db.Conn(ctx), tenantID)
}

// changeSet is the work of one metadata transaction.
type changeSet struct {
	ctx     context.Context
	conn    *gorm.DB
	cur     *Snapshot
	ddl     DDL
	now     time.Time
	objects map[string]*Object // the next version, cloned on first change
	// tenantBefore is the tenant's settings before a settings change.
	tenantBefore *Tenant
	order        []string
	// focus maps the expressions the request writes ("object.path") to
	// the request field they came from, for errors.
	focus map[string]string
	// fills are the roll-up fields ("object.field") to compute once the
	// change's DDL has run.
	fills   []string
	saved   map[string]bool
	deleted map[string]bool
	stmts   []string
}

func (cs *changeSet) object(api string) *Object {
	if o, ok := cs.objects[api]; ok {
		return o
	}
	return nil
}

// mutable returns a private copy of an object to change.
func (cs *changeSet) mutable(api string) *Object {
	o := cs.object(api)
	if o == nil {
		return nil
	}
	if !cs.saved[api] {
		o = o.Clone()
		cs.objects[api] = o
		cs.saved[api] = true
	}
	o.UpdatedAt = cs.now
	return o
}

func (cs *changeSet) next() *Snapshot {
	objs := make([]*Object, 0, len(cs.objects))
	for _, api := range cs.order {
		if o, ok := cs.objects[api]; ok {
			objs = append(objs, o)
		}
	}
	slices.SortFunc(objs, func(a, b *Object) int { return strings.Compare(a.APIName, b.APIName) })
	return NewSnapshot(cs.cur.Tenant, cs.cur.Version, objs)
}

func (cs *changeSet) exec(stmts ...string) { cs.stmts = append(cs.stmts, stmts...) }

func (s *Service) apply(ctx context.Context, tenantID string, fn func(cs *changeSet) error) (*Snapshot, error) {
	var next *Snapshot
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		conn := s.db.Conn(ctx)
		if _, err := bumpVersion(ctx, conn, tenantID); err != nil {
			return err
		}
		cur, err := LoadSnapshot(ctx, conn, tenantID)
		if err != nil {
			return err
		}
		cs := &changeSet{ctx: ctx, conn: conn, cur: cur, ddl: DDL{D: s.db.Dialect, Key: cur.Tenant.Key}, now: s.now(),
			objects: map[string]*Object{}, saved: map[string]bool{}, deleted: map[string]bool{}, focus: map[string]string{}}
		for _, o := range cur.Objects {
			cs.objects[o.APIName] = o
			cs.order = append(cs.order, o.APIName)
		}
		if err := fn(cs); err != nil {
			return err
		}
		if err := s.checkExpressions(cs); err != nil {
			return err
		}
		if s.db.Dialect.Name() == sqldialect.Postgres && len(cs.stmts) > 0 {
			// DDL waits at most this long for a lock, so that a long report
			// query delays a metadata change instead of every write queueing
			// behind the change.
			if err := conn.Exec("SET LOCAL lock_timeout = '5s'").Error; err != nil {
				return fmt.Errorf("set lock timeout: %w", err)
			}
		}
		for _, stmt := range cs.stmts {
			if err := conn.Exec(stmt).Error; err != nil {
				return ddlError(stmt, err)
			}
		}
		for api := range cs.deleted {
			if err := deleteObjectRow(ctx, conn, tenantID, api); err != nil {
				return err
			}
		}
		for _, api := range cs.order {
			if cs.saved[api] && !cs.deleted[api] {
				if err := saveObject(ctx, conn, tenantID, cs.objects[api]); err != nil {
					return err
				}
			}
		}
		next = cs.next()
		if s.FillRollup != nil {
			for _, fill := range cs.fills {
				object, field, _ := strings.Cut(fill, ".")
				o := next.Object(object)
				if err := s.FillRollup(ctx, next, o, o.Field(field)); err != nil {
					return err
				}
			}
		}
		if s.Sync != nil {
			if err := s.Sync(ctx, next); err != nil {
				return err
			}
		}
		if s.Audit != nil {
			for _, api := range cs.order {
				if !cs.saved[api] && !cs.deleted[api] {
					continue
				}
				c := Change{Object: api}
				if before := cur.Object(api); before != nil {
					c.Before = before
				}
				if !cs.deleted[api] {
					c.After = cs.objects[api]
				}
				if err := s.Audit(ctx, cur.Tenant.Key, c); err != nil {
					return err
				}
			}
			if cs.tenantBefore != nil {
				if err := s.Audit(ctx, cur.Tenant.Key, Change{Before: cs.tenantBefore, After: cur.Tenant}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if s.onChange != nil && !database.InTransaction(ctx) {
		s.onChange(ctx, next)
	}
	return next, nil
}

// Publish tells the cache about a snapshot committed by an outer
// transaction (tenant provisioning), once it has committed.
func (s *Service) Publish(ctx context.Context, snap *Snapshot) {
	if s.onChange != nil {
		s.onChange(ctx, snap)
	}
}

func ddlError(stmt string, err error) error {
	if database.IsLockTimeout(err) {
		return problem.Busy("the table is busy (a long query holds it); try the change again in a moment")
	}
	// The metadata said the change fits, the database disagrees: its schema
	// was changed outside Tessera. Nothing was applied; say what clashed.
	slog.Warn("metadata DDL refused by the database", "statement", stmt, "err", err)
	return problem.Conflict("schema_conflict", "the database refused the change (%s); nothing was changed", err.Error())
}

func invalid(errs []problem.FieldError) error {
	if len(errs) == 0 {
		return nil
	}
	return problem.Invalid("the definition is not valid", errs...)
}

// CreateObjects adds objects (with their fields) in one change. Objects in
// the batch may look each other up.
func (s *Service) CreateObjects(ctx context.Context, tenantID string, objs []*Object) (*Snapshot, error) {
	return s.apply(ctx, tenantID, func(cs *changeSet) error {
		if len(cs.objects)+len(objs) > MaxObjects {
			return problem.Unprocessable(problem.CodeLimitExceeded, "a tenant has at most %d objects", MaxObjects)
		}
		for _, o := range objs {
			if cs.object(o.APIName) != nil {
				return problem.Conflict(problem.CodeConflict, "object %q already exists", o.APIName).
					WithErrors(problem.FieldError{Field: "api_name", Code: problem.CodeConflict, Message: fmt.Sprintf("object %q already exists", o.APIName)})
			}
			o.CreatedAt, o.UpdatedAt = cs.now, cs.now
			for _, f := range o.Fields {
				f.Active = true
			}
			cs.objects[o.APIName] = o
			cs.order = append(cs.order, o.APIName)
			cs.saved[o.APIName] = true
		}
		snap := cs.next()
		for i, o := range objs {
			errs := normalizeObject(o, snap)
			if len(objs) > 1 {
				for j := range errs {
					errs[j].Field = fmt.Sprintf("objects[%d].%s", i, errs[j].Field)
				}
			}
			if err := invalid(errs); err != nil {
				return err
			}
			prefix := ""
			if len(objs) > 1 {
				prefix = fmt.Sprintf("objects[%d].", i)
			}
			for _, e := range o.Expressions() {
				cs.focus[o.APIName+"."+e.Path] = prefix + e.Path
			}
		}
		for _, o := range objs {
			cs.exec(cs.ddl.CreateTable(o)...)
		}
		for _, o := range objs {
			cs.exec(cs.ddl.ForeignKeys(o)...)
		}
		return nil
	})
}

// CreateObject adds one object.
func (s *Service) CreateObject(ctx context.Context, tenantID string, o *Object) (*Snapshot, error) {
	return s.CreateObjects(ctx, tenantID, []*Object{o})
}

// ObjectPatch is a partial update of an object's presentation.
type ObjectPatch struct {
	Labels       Labels        `json:"labels"`
	PluralLabels Labels        `json:"plural_labels"`
	Description  *string       `json:"description"`
	Icon         *string       `json:"icon"`
	NameField    *string       `json:"name_field"`
	Sharing      *SharingPatch `json:"sharing"`
}

// UpdateObject relabels an object or changes its name field.
func (s *Service) UpdateObject(ctx context.Context, tenantID, api string, p ObjectPatch) (*Snapshot, error) {
	return s.apply(ctx, tenantID, func(cs *changeSet) error {
		o := cs.mutable(api)
		if o == nil {
			return problem.UnknownObject(api)
		}
		for k, v := range p.Labels {
			o.Labels[k] = v
		}
		if p.PluralLabels != nil {
			if o.PluralLabels == nil {
				o.PluralLabels = Labels{}
			}
			for k, v := range p.PluralLabels {
				o.PluralLabels[k] = v
			}
		}
		if p.Description != nil {
			o.Description = *p.Description
		}
		if p.Icon != nil {
			o.Icon = *p.Icon
		}
		if p.NameField != nil {
			o.NameField = *p.NameField
		}
		if p.Sharing != nil {
			if p.Sharing.DefaultAccess != nil {
				o.Sharing.DefaultAccess = *p.Sharing.DefaultAccess
			}
			if p.Sharing.HierarchyAccess != nil {
				o.Sharing.HierarchyAccess = *p.Sharing.HierarchyAccess
			}
		}
		errs := checkLabels(o.Labels, "labels")
		errs = append(errs, checkSharing(o.Sharing)...)
		errs = append(errs, checkNameField(o)...)
		return invalid(errs)
	})
}

// DeleteObject drops a custom object and its table.
func (s *Service) DeleteObject(ctx context.Context, tenantID, api string) (*Snapshot, error) {
	return s.apply(ctx, tenantID, func(cs *changeSet) error {
		o := cs.object(api)
		if o == nil {
			return problem.UnknownObject(api)
		}
		if o.Standard {
			return problem.Conflict(problem.CodeProtected, "%s is a standard object and cannot be deleted", api)
		}
		var refs []string
		for _, r := range cs.cur.Referrers(api) {
			if r.Object.APIName != api {
				refs = append(refs, r.Object.APIName+"."+r.Field.APIName)
			}
		}
		if len(refs) > 0 {
			return problem.Conflict(problem.CodeReferenced, "%s is the target of lookups %s; delete those fields first", api, strings.Join(refs, ", "))
		}
		cs.exec(cs.ddl.DropTable(o)...)
		// The object's rows in the per-record system tables go with it; the
		// audit log keeps its entries (it is append-only).
		for _, table := range []string{TableStageHistory, TableShares, TableFieldHistory} {
			if err := cs.conn.Exec(fmt.Sprintf("DELETE FROM %s WHERE object = ?", cs.ddl.Table(table)), api).Error; err != nil {
				return fmt.Errorf("delete %s of %s: %w", table, api, err)
			}
		}
		delete(cs.objects, api)
		cs.deleted[api] = true
		return nil
	})
}

// AddField adds a field and its column.
func (s *Service) AddField(ctx context.Context, tenantID, object string, f *Field) (*Snapshot, error) {
	return s.apply(ctx, tenantID, func(cs *changeSet) error {
		o := cs.mutable(object)
		if o == nil {
			return problem.UnknownObject(object)
		}
		if o.Field(f.APIName) != nil {
			return problem.Conflict(problem.CodeConflict, "field %q already exists on %s", f.APIName, object).
				WithErrors(problem.FieldError{Field: "api_name", Code: problem.CodeConflict, Message: fmt.Sprintf("field %q already exists", f.APIName)})
		}
		if len(o.Fields) >= MaxFieldsPerObject {
			return problem.Unprocessable(problem.CodeLimitExceeded, "an object has at most %d fields", MaxFieldsPerObject)
		}
		f.Active = true
		f.Standard = false
		cs.focusField(object, f.APIName, "")
		if f.Rollup != nil {
			cs.fills = append(cs.fills, object+"."+f.APIName)
		}
		o.Fields = append(o.Fields, f)
		o.index()
		if err := invalid(normalizeField(f, o, cs.next(), "")); err != nil {
			return err
		}
		cs.exec(cs.ddl.AddColumn(o, f)...)
		return nil
	})
}

// DeleteField drops a custom field and its column.
func (s *Service) DeleteField(ctx context.Context, tenantID, object, field string) (*Snapshot, error) {
	return s.apply(ctx, tenantID, func(cs *changeSet) error {
		o := cs.mutable(object)
		if o == nil {
			return problem.UnknownObject(object)
		}
		f := o.Field(field)
		if f == nil {
			return unknownField(object, field)
		}
		if f.Standard {
			return problem.Conflict(problem.CodeProtected, "%s.%s is a standard field and cannot be deleted; deactivate it instead", object, field)
		}
		if users := fieldUsers(o, field); len(users) > 0 {
			return problem.Conflict(problem.CodeReferenced, "%s.%s is used by %s", object, field, strings.Join(users, ", "))
		}
		cs.exec(cs.ddl.DropColumn(o, f)...)
		if err := cs.conn.Exec(fmt.Sprintf("DELETE FROM %s WHERE object = ? AND field = ?", cs.ddl.Table(TableFieldHistory)), object, field).Error; err != nil {
			return fmt.Errorf("delete field history of %s.%s: %w", object, field, err)
		}
		if f.Pipeline != nil {
			q := fmt.Sprintf("DELETE FROM %s WHERE object = ? AND field = ?", cs.ddl.Table(TableStageHistory))
			if err := cs.conn.Exec(q, object, field).Error; err != nil {
				return fmt.Errorf("delete stage history of %s.%s: %w", object, field, err)
			}
		}
		o.Fields = slices.DeleteFunc(o.Fields, func(x *Field) bool { return x.APIName == field })
		o.index()
		forgetField(o, field)
		if f.Type == TypeLookup {
			forgetRelatedLists(cs, object, field)
		}
		return nil
	})
}

// forgetRelatedLists removes, from every object's layouts, the related
// lists that showed object's records through the deleted lookup field.
func forgetRelatedLists(cs *changeSet, object, field string) {
	for _, api := range cs.order {
		o := cs.object(api)
		if o == nil {
			continue
		}
		uses := false
		for _, l := range o.Layouts {
			for _, rl := range l.RelatedLists {
				uses = uses || (rl.Object == object && rl.Field == field)
			}
		}
		if !uses {
			continue
		}
		o = cs.mutable(api)
		for i := range o.Layouts {
			o.Layouts[i].RelatedLists = slices.DeleteFunc(o.Layouts[i].RelatedLists, func(rl RelatedList) bool {
				return rl.Object == object && rl.Field == field
			})
		}
	}
}

// fieldUsers names the parts of an object's definition that depend on a field.
func fieldUsers(o *Object, field string) []string {
	var users []string
	if o.NameField == field {
		users = append(users, "name_field")
	}
	for _, f := range o.Fields {
		if f.CurrencyField == field {
			users = append(users, f.APIName+".currency_field")
		}
		if f.Pipeline != nil && f.Pipeline.ProbabilityField == field {
			users = append(users, f.APIName+".pipeline.probability_field")
		}
	}
	// A rule whose condition names the field would otherwise stop
	// compiling and silently grant nothing. The match is textual, so a
	// string literal with the field's name also blocks: the message names
	// the rule to look at.
	named := regexp.MustCompile(`(^|[^.\w])` + regexp.QuoteMeta(field) + `($|\W)`)
	for _, r := range o.SharingRules {
		if named.MatchString(r.Condition) {
			users = append(users, "sharing rule "+r.APIName)
		}
	}
	return users
}

func unknownField(object, field string) *problem.Error {
	msg := fmt.Sprintf("%s has no field %q", object, field)
	return &problem.Error{Status: 404, Type: "https://tessera.dev/problems/unknown-field", Title: "Not Found", Code: problem.CodeUnknownField,
		Detail: msg, Errors: []problem.FieldError{{Field: field, Code: problem.CodeUnknownField, Message: msg}}}
}

// fieldPatchKeys are the keys a field update may carry.
var fieldPatchKeys = map[string]bool{
	"label": true, "labels": true, "description": true, "help_text": true, "required": true, "unique": true, "indexed": true,
	"active": true, "default": true, "max_length": true, "min_length": true, "min": true, "max": true, "precision": true,
	"scale": true, "currency_code": true, "currency_field": true, "options": true, "pipeline": true, "on_delete": true,
	"pattern": true, "type": true, "track_history": true, "encrypted": true,
	"formula": true, "formula_stored": true, "default_formula": true, "rollup": true,
}

// UpdateField applies a JSON merge patch to a field: relabel, flags,
// options, limits, and type changes where the data converts.
func (s *Service) UpdateField(ctx context.Context, tenantID, object, field string, patch map[string]json.RawMessage) (*Snapshot, error) {
	return s.apply(ctx, tenantID, func(cs *changeSet) error {
		o := cs.mutable(object)
		if o == nil {
			return problem.UnknownObject(object)
		}
		old := o.Field(field)
		if old == nil {
			return unknownField(object, field)
		}
		for k := range patch {
			if !fieldPatchKeys[k] {
				return problem.Field(k, problem.CodeReadOnly, "%s cannot be changed (changeable: labels, flags, limits, options, type...)", k)
			}
		}
		cs.focusField(object, field, "")
		merged, err := mergeField(old, patch, cs.cur.Tenant.Locale)
		if err != nil {
			return err
		}
		if old.Standard && (merged.Type != old.Type || !merged.Active) {
			return problem.Conflict(problem.CodeProtected, "%s.%s is a standard field: its type cannot change and it cannot be deactivated", object, field)
		}
		if !merged.Active && len(fieldUsers(o, field)) > 0 {
			return problem.Conflict(problem.CodeReferenced, "%s.%s is used by %s", object, field, strings.Join(fieldUsers(o, field), ", "))
		}
		if merged.Rollup != nil && !reflect.DeepEqual(old.Rollup, merged.Rollup) {
			cs.fills = append(cs.fills, object+"."+field)
		}
		i := slices.IndexFunc(o.Fields, func(x *Field) bool { return x.APIName == field })
		o.Fields[i] = merged
		o.index()
		if err := invalid(normalizeField(merged, o, cs.next(), "")); err != nil {
			return err
		}
		return planFieldChange(cs, o, old, merged)
	})
}

// mergeField returns old with the patch applied, decoded strictly.
func mergeField(old *Field, patch map[string]json.RawMessage, locale string) (*Field, error) {
	doc, err := json.Marshal(old)
	if err != nil {
		return nil, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(doc, &m); err != nil {
		return nil, err
	}
	for k, v := range patch {
		if k == "label" {
			var label string
			if err := json.Unmarshal(v, &label); err != nil {
				return nil, problem.Field("label", problem.CodeInvalidType, "label must be a string")
			}
			labels := Labels{}
			for lk, lv := range old.Labels {
				labels[lk] = lv
			}
			labels[locale] = label
			b, _ := json.Marshal(labels)
			m["labels"] = b
			continue
		}
		if k == "labels" {
			var labels Labels
			if err := json.Unmarshal(v, &labels); err != nil {
				return nil, problem.Field("labels", problem.CodeInvalidType, "labels must be an object of locale to text")
			}
			merged := Labels{}
			for lk, lv := range old.Labels {
				merged[lk] = lv
			}
			for lk, lv := range labels {
				merged[lk] = lv
			}
			v, _ = json.Marshal(merged)
		}
		if string(v) == "null" {
			delete(m, k)
			continue
		}
		m[k] = v
	}
	doc, _ = json.Marshal(m)
	var f Field
	if err := json.Unmarshal(doc, &f); err != nil {
		return nil, problem.Invalid("the field change is not valid: " + jsonErrorText(err))
	}
	f.APIName, f.Standard, f.Target = old.APIName, old.Standard, old.Target
	if f.Type != old.Type {
		// Type-specific settings of the old type do not carry over.
		if f.Kind() != nil && f.Kind().Storage(&f) != old.Kind().Storage(old) {
			if _, ok := patch["max_length"]; !ok {
				f.MaxLength = nil
			}
			if _, ok := patch["precision"]; !ok {
				f.Precision, f.Scale = nil, nil
			}
		}
	}
	return &f, nil
}

func jsonErrorText(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("%s must be %s", te.Field, te.Type.String())
	}
	return err.Error()
}
