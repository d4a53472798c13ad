// Package metadata is the model of what a tenant defines (objects, fields,
// pipelines), its validation, its persistence, the DDL that follows from a
// change, and the immutable per-tenant snapshot the engine interprets.
package metadata

import (
	"encoding/json"
	"sync"
	"time"

	"github.com/shopspring/decimal"
)

// Labels maps a locale ("zh-CN", "en") to display text.
type Labels map[string]string

// Pick returns the label for locale, falling back to any other locale.
func (l Labels) Pick(locale string) string {
	if s, ok := l[locale]; ok && s != "" {
		return s
	}
	for _, fallback := range []string{"en", "zh-CN"} {
		if s := l[fallback]; s != "" {
			return s
		}
	}
	for _, s := range l {
		return s
	}
	return ""
}

// Object is one kind of record: a real table in the tenant's namespace.
type Object struct {
	APIName      string     `json:"api_name"`
	Labels       Labels     `json:"labels"`
	PluralLabels Labels     `json:"plural_labels,omitempty"`
	Description  string     `json:"description,omitempty"`
	Icon         string     `json:"icon,omitempty"`
	NameField    string     `json:"name_field"`
	Standard     bool       `json:"standard"`
	Fields       []*Field   `json:"fields"`
	Layouts      []Layout   `json:"layouts"`
	ListViews    []ListView `json:"list_views"`
	// Sharing is who sees and edits records beyond their owner; see
	// docs/security.md.
	Sharing      Sharing       `json:"sharing"`
	SharingRules []SharingRule `json:"sharing_rules,omitempty"`
	// ValidationRules refuse saves whose record meets their condition.
	ValidationRules []ValidationRule `json:"validation_rules"`
	// Workflows automate the object's process (see workflow.go).
	Workflows []Workflow `json:"workflows"`
	// ApprovalProcesses route submitted records to approvers.
	ApprovalProcesses []ApprovalProcess `json:"approval_processes"`
	CreatedAt         time.Time         `json:"created_at"`
	UpdatedAt         time.Time         `json:"updated_at"`

	fieldIndex map[string]*Field
	memo       *sync.Map
}

// Memo returns the value computed for key on this object, computing it the
// first time. Snapshots are immutable, so anything derived from an object
// (query text, compiled programs) can live as long as its snapshot and is
// dropped with it.
func (o *Object) Memo(key any, compute func() any) any {
	if o.memo == nil {
		return compute()
	}
	if v, ok := o.memo.Load(key); ok {
		return v
	}
	v, _ := o.memo.LoadOrStore(key, compute())
	return v
}

// Field returns the field with the given api name, or nil.
func (o *Object) Field(apiName string) *Field {
	if o.fieldIndex != nil {
		return o.fieldIndex[apiName]
	}
	for _, f := range o.Fields {
		if f.APIName == apiName {
			return f
		}
	}
	return nil
}

// index builds the lookup map; snapshots are immutable after this.
func (o *Object) index() {
	o.memo = &sync.Map{}
	o.fieldIndex = make(map[string]*Field, len(o.Fields))
	for _, f := range o.Fields {
		o.fieldIndex[f.APIName] = f
	}
}

// Pipelines returns the object's pipeline fields in field order.
func (o *Object) Pipelines() []*Field {
	var out []*Field
	for _, f := range o.Fields {
		if f.Pipeline != nil {
			out = append(out, f)
		}
	}
	return out
}

// Clone returns a deep copy, for building the next version of an object.
func (o *Object) Clone() *Object {
	b, err := json.Marshal(o)
	if err != nil {
		panic("metadata: clone object: " + err.Error())
	}
	var c Object
	if err := json.Unmarshal(b, &c); err != nil {
		panic("metadata: clone object: " + err.Error())
	}
	c.index()
	return &c
}

// Delete behaviours of a lookup when its target record is deleted.
const (
	OnDeleteRestrict = "restrict"
	OnDeleteSetNull  = "set_null"
	OnDeleteCascade  = "cascade"
)

// Field is one column of an object.
type Field struct {
	APIName     string          `json:"api_name"`
	Type        string          `json:"type"`
	Labels      Labels          `json:"labels"`
	Description string          `json:"description,omitempty"`
	HelpText    Labels          `json:"help_text,omitempty"`
	Required    bool            `json:"required"`
	Unique      bool            `json:"unique"`
	Indexed     bool            `json:"indexed"`
	Active      bool            `json:"active"`
	Standard    bool            `json:"standard"`
	Default     json.RawMessage `json:"default,omitempty"`

	// Text limits (text, long_text, email, phone, url).
	MaxLength *int `json:"max_length,omitempty"`
	MinLength *int `json:"min_length,omitempty"`
	// Numeric limits and shape (integer, number, currency, percent).
	Min       *decimal.Decimal `json:"min,omitempty"`
	Max       *decimal.Decimal `json:"max,omitempty"`
	Precision *int             `json:"precision,omitempty"`
	Scale     *int             `json:"scale,omitempty"`
	// Currency: a fixed code, or the field of the record that holds the code.
	CurrencyCode  string `json:"currency_code,omitempty"`
	CurrencyField string `json:"currency_field,omitempty"`
	// Picklists and pipelines.
	Options  []Option  `json:"options,omitempty"`
	Pipeline *Pipeline `json:"pipeline,omitempty"`
	// Lookups.
	Target   string `json:"target,omitempty"`
	OnDelete string `json:"on_delete,omitempty"`
	// Auto numbers, e.g. QT-{YYYY}-{00000}.
	Pattern string `json:"pattern,omitempty"`
	// TrackHistory keeps every change of the field in the field history.
	TrackHistory bool `json:"track_history,omitempty"`
	// Encrypted stores the value encrypted under the tenant's data key
	// (text-like types only); such fields cannot be filtered or sorted.
	Encrypted bool `json:"encrypted,omitempty"`
	// Formula computes the field from the record and its lookups (see
	// docs/expressions.md); such a field cannot be written. A stored
	// formula is computed when the record is saved and can be filtered and
	// sorted; otherwise it is also recomputed on every read, so that
	// formulas on $today or on looked-up records are never stale.
	Formula       string `json:"formula,omitempty"`
	FormulaStored bool   `json:"formula_stored,omitempty"`
	// DefaultFormula computes the value of the field when a record is
	// created without it.
	DefaultFormula string `json:"default_formula,omitempty"`
	// Rollup summarises the child records that look this record up; the
	// engine keeps the value current as children change.
	Rollup *Rollup `json:"rollup,omitempty"`

	optionIndex map[string]*Option
}

// Option is one value of a picklist; on a pipeline field it is a stage.
type Option struct {
	APIName string `json:"api_name"`
	Labels  Labels `json:"labels"`
	Color   string `json:"color,omitempty"`
	Order   int    `json:"order"`
	Active  bool   `json:"active"`
	// Stage attributes, on pipeline fields only.
	Probability      *int   `json:"probability,omitempty"`
	ForecastCategory string `json:"forecast_category,omitempty"`
}

// Pipeline marks a picklist field as a sales pipeline: its options are the
// stages, changes are recorded in the stage history.
type Pipeline struct {
	Labels Labels `json:"labels,omitempty"`
	// ProbabilityField, when set, names a field that takes the stage's
	// probability whenever the stage changes and the write does not set it.
	ProbabilityField string `json:"probability_field,omitempty"`
}

// Forecast categories of a stage.
var ForecastCategories = []string{"pipeline", "best_case", "commit", "closed_won", "closed_lost"}

// Option returns the option with the given api name, or nil.
func (f *Field) Option(apiName string) *Option {
	if f.optionIndex != nil {
		return f.optionIndex[apiName]
	}
	for i := range f.Options {
		if f.Options[i].APIName == apiName {
			return &f.Options[i]
		}
	}
	return nil
}

func (f *Field) index() {
	if len(f.Options) == 0 {
		return
	}
	f.optionIndex = make(map[string]*Option, len(f.Options))
	for i := range f.Options {
		f.optionIndex[f.Options[i].APIName] = &f.Options[i]
	}
}

// Kind returns the field's type behaviour.
func (f *Field) Kind() FieldType { return fieldTypes[f.Type] }

// Snapshot is a tenant's whole metadata at one version. It is immutable:
// a change builds a new snapshot, and a request holds one for its lifetime.
type Snapshot struct {
	Tenant  Tenant    `json:"tenant"`
	Version int64     `json:"version"`
	Objects []*Object `json:"objects"`

	objectIndex map[string]*Object
	views       *sync.Map // field-security key -> *Snapshot
	loc         *time.Location
}

// Location is the tenant's time zone (UTC when unset or unknown), loaded
// once per snapshot: loading a zone reads the zone database.
func (s *Snapshot) Location() *time.Location {
	if s.loc == nil {
		return loadLocation(s.Tenant.TimeZone)
	}
	return s.loc
}

func loadLocation(tz string) *time.Location {
	if tz == "" || tz == "Local" {
		return time.UTC
	}
	if loc, err := time.LoadLocation(tz); err == nil {
		return loc
	}
	return time.UTC
}

// Tenant is what the engine needs to know about the tenant itself.
type Tenant struct {
	ID       string `json:"id"`
	Key      string `json:"key"`
	Name     string `json:"name"`
	Status   string `json:"status"`
	Locale   string `json:"locale"`
	TimeZone string `json:"time_zone"`
	Currency string `json:"currency"`
	LogoURL  string `json:"logo_url"`
}

// TenantInfo is the tenant as clients see it: its settings and the version
// of the metadata they were read with.
type TenantInfo struct {
	Tenant
	MetadataVersion int64 `json:"metadata_version"`
}

// TenantInfo returns the snapshot's tenant for clients.
func (s *Snapshot) TenantInfo() TenantInfo {
	return TenantInfo{Tenant: s.Tenant, MetadataVersion: s.Version}
}

// NewSnapshot indexes objects and fields and returns the snapshot.
func NewSnapshot(t Tenant, version int64, objects []*Object) *Snapshot {
	s := &Snapshot{Tenant: t, Version: version, Objects: objects}
	s.index()
	return s
}

func (s *Snapshot) index() {
	s.views = &sync.Map{}
	s.loc = loadLocation(s.Tenant.TimeZone)
	s.objectIndex = make(map[string]*Object, len(s.Objects))
	for _, o := range s.Objects {
		o.index()
		for _, f := range o.Fields {
			f.index()
		}
		s.objectIndex[o.APIName] = o
	}
}

// Object returns the object with the given api name, or nil.
func (s *Snapshot) Object(apiName string) *Object { return s.objectIndex[apiName] }

// Referrers returns the lookup fields in any object that target object.
func (s *Snapshot) Referrers(object string) []FieldRef {
	var out []FieldRef
	for _, o := range s.Objects {
		for _, f := range o.Fields {
			if f.Type == TypeLookup && f.Target == object {
				out = append(out, FieldRef{Object: o, Field: f})
			}
		}
	}
	return out
}

// FieldRef is a field together with its object.
type FieldRef struct {
	Object *Object
	Field  *Field
}

// MarshalSnapshot and UnmarshalSnapshot move a snapshot through the L2 cache.
func MarshalSnapshot(s *Snapshot) ([]byte, error) { return json.Marshal(s) }

// UnmarshalSnapshot decodes and indexes a snapshot.
func UnmarshalSnapshot(b []byte) (*Snapshot, error) {
	var s Snapshot
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, err
	}
	s.index()
	return &s, nil
}

// View returns the snapshot as seen by callers whose field-level security
// is key: the fields hidden reports are left out of every object, so that
// reads, filters, sorts, search and expand cannot reach them. Views are
// built once per key and snapshot and share everything else with it.
func (s *Snapshot) View(key string, hidden func(object, field string) bool) *Snapshot {
	if s.views == nil {
		s.index()
	}
	if v, ok := s.views.Load(key); ok {
		return v.(*Snapshot)
	}
	v := &Snapshot{Tenant: s.Tenant, Version: s.Version, Objects: make([]*Object, len(s.Objects)), objectIndex: make(map[string]*Object, len(s.Objects)), views: &sync.Map{}, loc: s.loc}
	for i, o := range s.Objects {
		c := *o
		c.Fields = make([]*Field, 0, len(o.Fields))
		for _, f := range o.Fields {
			if !hidden(o.APIName, f.APIName) {
				c.Fields = append(c.Fields, f)
			}
		}
		c.index()
		v.Objects[i] = &c
		v.objectIndex[c.APIName] = &c
	}
	actual, _ := s.views.LoadOrStore(key, v)
	return actual.(*Snapshot)
}
