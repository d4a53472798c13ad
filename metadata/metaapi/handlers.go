// Package metaapi serves /api/v1/meta: the tenant admin's definitions of
// objects, fields and pipelines.
package metaapi

import (
	"encoding/json"
	"hash/fnv"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/tessera-crm/tessera/internal/access"
	"github.com/tessera-crm/tessera/internal/httpx"
	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/metadata"
)

// Handlers serve the metadata routes.
type Handlers struct {
	Meta       *metadata.Service
	CheckQuery QueryChecker
}

// objectView is an object as the API shows it: the stored definition plus
// the label in the tenant's language and its pipelines.
type objectView struct {
	*metadata.Object
	Label       string         `json:"label"`
	PluralLabel string         `json:"plural_label"`
	Pipelines   []pipelineView `json:"pipelines"`
}

type pipelineView struct {
	Field            string            `json:"field"`
	Labels           metadata.Labels   `json:"labels"`
	ProbabilityField string            `json:"probability_field,omitempty"`
	Stages           []metadata.Option `json:"stages"`
}

func view(o *metadata.Object, locale string) objectView {
	v := objectView{Object: o, Label: o.Labels.Pick(locale), PluralLabel: o.PluralLabels.Pick(locale), Pipelines: []pipelineView{}}
	if o.Layouts == nil || o.ListViews == nil || o.ValidationRules == nil || o.Workflows == nil || o.ApprovalProcesses == nil {
		// Clients get arrays, never null; the snapshot is shared, so copy.
		c := *o
		if c.Layouts == nil {
			c.Layouts = []metadata.Layout{}
		}
		if c.ListViews == nil {
			c.ListViews = []metadata.ListView{}
		}
		if c.ValidationRules == nil {
			c.ValidationRules = []metadata.ValidationRule{}
		}
		if c.Workflows == nil {
			c.Workflows = []metadata.Workflow{}
		}
		if c.ApprovalProcesses == nil {
			c.ApprovalProcesses = []metadata.ApprovalProcess{}
		}
		v.Object = &c
	}
	for _, f := range o.Pipelines() {
		labels := f.Pipeline.Labels
		if len(labels) == 0 {
			labels = f.Labels
		}
		v.Pipelines = append(v.Pipelines, pipelineView{Field: f.APIName, Labels: labels, ProbabilityField: f.Pipeline.ProbabilityField, Stages: f.Options})
	}
	return v
}

func locale(c *gin.Context) string {
	return httpx.Snapshot(c).Tenant.Locale
}

// ListObjects returns every object of the tenant.
func (h *Handlers) ListObjects(c *gin.Context) {
	snap := readable(c)
	out := make([]objectView, 0, len(snap.Objects))
	admin := managesMetadata(c)
	for _, o := range snap.Objects {
		out = append(out, readerView(o, snap.Tenant.Locale, admin))
	}
	c.JSON(http.StatusOK, gin.H{"data": out, "version": snap.Version})
}

// GetObject returns one object's full definition.
func (h *Handlers) GetObject(c *gin.Context) {
	snap := readable(c)
	o := snap.Object(c.Param("object"))
	if o == nil {
		problem.Write(c, problem.UnknownObject(c.Param("object")))
		return
	}
	// What the caller sees depends on their field security too.
	admin := managesMetadata(c)
	c.Header("ETag", strings.TrimSuffix(etag(snap.Version), `"`)+"-"+fieldKeyHash(c)+map[bool]string{true: "a", false: "m"}[admin]+`"`)
	c.JSON(http.StatusOK, readerView(o, snap.Tenant.Locale, admin))
}

// readable is the metadata as the caller may read it: whoever manages
// metadata sees every field; everyone else does not learn of the fields
// hidden from them.
func readable(c *gin.Context) *metadata.Snapshot {
	snap := httpx.Snapshot(c)
	if g := access.FromContext(c.Request.Context()); g != nil && !g.Has(access.CapManageMetadata) {
		return g.View(snap)
	}
	return snap
}

func fieldKeyHash(c *gin.Context) string {
	h := fnv.New32a()
	if g := access.FromContext(c.Request.Context()); g != nil {
		h.Write([]byte(g.FieldKey()))
	}
	return strconv.FormatUint(uint64(h.Sum32()), 36)
}

func etag(version int64) string {
	b, _ := json.Marshal(version)
	return `W/"meta-` + string(b) + `"`
}

// fieldInput is a field as clients send it: the stored shape, plus "label"
// (and options' "label") in the tenant's language, as api.md shows.
type fieldInput struct {
	metadata.Field
	Label   string        `json:"label"`
	Options []optionInput `json:"options"`
}

type optionInput struct {
	metadata.Option
	Label  string `json:"label"`
	Active *bool  `json:"active"`
}

func (in *fieldInput) toField(locale string) *metadata.Field {
	f := in.Field
	f.Standard = false
	f.Labels = withLabel(f.Labels, locale, in.Label)
	f.Options = nil
	for _, o := range in.Options {
		opt := o.Option
		opt.Labels = withLabel(opt.Labels, locale, o.Label)
		opt.Active = o.Active == nil || *o.Active
		f.Options = append(f.Options, opt)
	}
	return &f
}

type objectInput struct {
	APIName      string          `json:"api_name"`
	Label        string          `json:"label"`
	Labels       metadata.Labels `json:"labels"`
	PluralLabel  string          `json:"plural_label"`
	PluralLabels metadata.Labels `json:"plural_labels"`
	Description  string          `json:"description"`
	Icon         string          `json:"icon"`
	NameField    string          `json:"name_field"`
	Fields       []fieldInput    `json:"fields"`
}

// CreateObject defines a new object and creates its table.
func (h *Handlers) CreateObject(c *gin.Context) {
	var in objectInput
	if err := httpx.BindJSON(c, &in); err != nil {
		problem.Write(c, err)
		return
	}
	loc := locale(c)
	o := &metadata.Object{APIName: in.APIName, Labels: withLabel(in.Labels, loc, in.Label), PluralLabels: withLabel(in.PluralLabels, loc, in.PluralLabel),
		Description: in.Description, Icon: in.Icon, NameField: in.NameField}
	if len(o.PluralLabels) == 0 {
		o.PluralLabels = nil
	}
	for i := range in.Fields {
		o.Fields = append(o.Fields, in.Fields[i].toField(loc))
	}
	snap, err := h.Meta.CreateObject(c.Request.Context(), httpx.Snapshot(c).Tenant.ID, o)
	if err != nil {
		problem.Write(c, err)
		return
	}
	c.Header("ETag", etag(snap.Version))
	c.JSON(http.StatusCreated, view(snap.Object(in.APIName), loc))
}

func withLabel(l metadata.Labels, locale, label string) metadata.Labels {
	out := metadata.Labels{}
	for k, v := range l {
		out[k] = v
	}
	if label != "" {
		if _, ok := out[locale]; !ok {
			out[locale] = label
		}
	}
	return out
}

// UpdateObject relabels an object.
func (h *Handlers) UpdateObject(c *gin.Context) {
	var in struct {
		metadata.ObjectPatch
		Label       string `json:"label"`
		PluralLabel string `json:"plural_label"`
	}
	if err := httpx.BindJSON(c, &in); err != nil {
		problem.Write(c, err)
		return
	}
	// Sharing settings are security, the rest is metadata: each needs its
	// own capability.
	g := access.FromContext(c.Request.Context())
	if in.Sharing != nil {
		if err := g.RequireCapability(access.CapManageSecurity); err != nil {
			problem.Write(c, err)
			return
		}
	}
	if in.Label != "" || in.PluralLabel != "" || in.Labels != nil || in.PluralLabels != nil || in.Description != nil || in.Icon != nil || in.NameField != nil {
		if err := g.RequireCapability(access.CapManageMetadata); err != nil {
			problem.Write(c, err)
			return
		}
	}
	loc := locale(c)
	p := in.ObjectPatch
	if in.Label != "" {
		p.Labels = withLabel(p.Labels, loc, in.Label)
		p.Labels[loc] = in.Label
	}
	if in.PluralLabel != "" {
		p.PluralLabels = withLabel(p.PluralLabels, loc, in.PluralLabel)
		p.PluralLabels[loc] = in.PluralLabel
	}
	snap, err := h.Meta.UpdateObject(c.Request.Context(), httpx.Snapshot(c).Tenant.ID, c.Param("object"), p)
	if err != nil {
		problem.Write(c, err)
		return
	}
	c.Header("ETag", etag(snap.Version))
	c.JSON(http.StatusOK, view(snap.Object(c.Param("object")), loc))
}

// DeleteObject drops a custom object.
func (h *Handlers) DeleteObject(c *gin.Context) {
	if _, err := h.Meta.DeleteObject(c.Request.Context(), httpx.Snapshot(c).Tenant.ID, c.Param("object")); err != nil {
		problem.Write(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// AddField adds a field to an object.
func (h *Handlers) AddField(c *gin.Context) {
	var in fieldInput
	if err := httpx.BindJSON(c, &in); err != nil {
		problem.Write(c, err)
		return
	}
	loc := locale(c)
	f := in.toField(loc)
	snap, err := h.Meta.AddField(c.Request.Context(), httpx.Snapshot(c).Tenant.ID, c.Param("object"), f)
	if err != nil {
		problem.Write(c, err)
		return
	}
	c.Header("ETag", etag(snap.Version))
	c.JSON(http.StatusCreated, snap.Object(c.Param("object")).Field(f.APIName))
}

// UpdateField changes a field with a JSON merge patch.
func (h *Handlers) UpdateField(c *gin.Context) {
	body, err := httpx.ReadBody(c)
	if err != nil {
		problem.Write(c, err)
		return
	}
	var patch map[string]json.RawMessage
	if err := httpx.DecodeStrict(body, &patch); err != nil {
		problem.Write(c, err)
		return
	}
	snap, err := h.Meta.UpdateField(c.Request.Context(), httpx.Snapshot(c).Tenant.ID, c.Param("object"), c.Param("field"), patch)
	if err != nil {
		problem.Write(c, err)
		return
	}
	c.Header("ETag", etag(snap.Version))
	c.JSON(http.StatusOK, snap.Object(c.Param("object")).Field(c.Param("field")))
}

// DeleteField drops a custom field and its column.
func (h *Handlers) DeleteField(c *gin.Context) {
	if _, err := h.Meta.DeleteField(c.Request.Context(), httpx.Snapshot(c).Tenant.ID, c.Param("object"), c.Param("field")); err != nil {
		problem.Write(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// FieldTypes lists the field types an admin can choose from.
func (h *Handlers) FieldTypes(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"data": metadata.FieldTypeNames()})
}

// QueryChecker validates a filter and sort against an object (the engine
// owns the filter language; metadata does not import it).
type QueryChecker func(snap *metadata.Snapshot, object, filter, sort string) error

type layoutInput struct {
	metadata.Layout
	Label string `json:"label"`
}

// CreateLayout adds a layout to an object.
func (h *Handlers) CreateLayout(c *gin.Context) { h.putLayout(c, true) }

// ReplaceLayout replaces a layout.
func (h *Handlers) ReplaceLayout(c *gin.Context) { h.putLayout(c, false) }

func (h *Handlers) putLayout(c *gin.Context, create bool) {
	var in layoutInput
	if err := httpx.BindJSON(c, &in); err != nil {
		problem.Write(c, err)
		return
	}
	l := in.Layout
	if !create {
		l.APIName = c.Param("name")
	}
	l.Labels = withLabel(l.Labels, locale(c), in.Label)
	snap, err := h.Meta.PutLayout(c.Request.Context(), httpx.Snapshot(c).Tenant.ID, c.Param("object"), l, create)
	if err != nil {
		problem.Write(c, err)
		return
	}
	for _, x := range snap.Object(c.Param("object")).Layouts {
		if x.APIName == l.APIName {
			c.JSON(putStatus(create), x)
			return
		}
	}
}

func putStatus(create bool) int {
	if create {
		return http.StatusCreated
	}
	return http.StatusOK
}

// DeleteLayout removes a layout.
func (h *Handlers) DeleteLayout(c *gin.Context) {
	if _, err := h.Meta.DeleteLayout(c.Request.Context(), httpx.Snapshot(c).Tenant.ID, c.Param("object"), c.Param("name")); err != nil {
		problem.Write(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

type listViewInput struct {
	metadata.ListView
	Label string `json:"label"`
}

// CreateListView adds an admin-defined list view.
func (h *Handlers) CreateListView(c *gin.Context) { h.putListView(c, true) }

// ReplaceListView replaces a list view.
func (h *Handlers) ReplaceListView(c *gin.Context) { h.putListView(c, false) }

func (h *Handlers) putListView(c *gin.Context, create bool) {
	var in listViewInput
	if err := httpx.BindJSON(c, &in); err != nil {
		problem.Write(c, err)
		return
	}
	v := in.ListView
	if !create {
		v.APIName = c.Param("name")
	}
	v.Labels = withLabel(v.Labels, locale(c), in.Label)
	if h.CheckQuery != nil {
		if err := h.CheckQuery(httpx.Snapshot(c), c.Param("object"), v.Filter, v.Sort); err != nil {
			problem.Write(c, err)
			return
		}
	}
	snap, err := h.Meta.PutListView(c.Request.Context(), httpx.Snapshot(c).Tenant.ID, c.Param("object"), v, create)
	if err != nil {
		problem.Write(c, err)
		return
	}
	for _, x := range snap.Object(c.Param("object")).ListViews {
		if x.APIName == v.APIName {
			c.JSON(putStatus(create), x)
			return
		}
	}
}

// DeleteListView removes a list view.
func (h *Handlers) DeleteListView(c *gin.Context) {
	if _, err := h.Meta.DeleteListView(c.Request.Context(), httpx.Snapshot(c).Tenant.ID, c.Param("object"), c.Param("name")); err != nil {
		problem.Write(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// GetTenant returns the tenant's settings.
func (h *Handlers) GetTenant(c *gin.Context) {
	snap := httpx.Snapshot(c)
	c.JSON(http.StatusOK, snap.TenantInfo())
}

// UpdateTenant changes the tenant's name, logo, language or time zone.
func (h *Handlers) UpdateTenant(c *gin.Context) {
	var in metadata.TenantSettings
	if err := httpx.BindJSON(c, &in); err != nil {
		problem.Write(c, err)
		return
	}
	snap, err := h.Meta.UpdateTenant(c.Request.Context(), httpx.Snapshot(c).Tenant.ID, in)
	if err != nil {
		problem.Write(c, err)
		return
	}
	c.JSON(http.StatusOK, snap.TenantInfo())
}

func managesMetadata(c *gin.Context) bool {
	g := access.FromContext(c.Request.Context())
	return g == nil || g.Has(access.CapManageMetadata)
}

// readerView is an object as a member who does not manage metadata sees
// it: the automation's workings (conditions, webhook addresses,
// recipients, validation rules) stay with the admins; members learn only
// what they can act on, the active manual workflows and approval
// processes by name.
func readerView(o *metadata.Object, locale string, admin bool) objectView {
	v := view(o, locale)
	if admin {
		return v
	}
	c := *v.Object
	c.ValidationRules = []metadata.ValidationRule{}
	c.Workflows = []metadata.Workflow{}
	for _, w := range o.Workflows {
		if w.Active && w.Trigger.Type == metadata.TriggerManual {
			c.Workflows = append(c.Workflows, metadata.Workflow{APIName: w.APIName, Labels: w.Labels, Active: true, Order: w.Order,
				Trigger: metadata.Trigger{Type: metadata.TriggerManual}, Actions: []metadata.Action{}})
		}
	}
	c.ApprovalProcesses = []metadata.ApprovalProcess{}
	for _, p := range o.ApprovalProcesses {
		if p.Active {
			c.ApprovalProcesses = append(c.ApprovalProcesses, metadata.ApprovalProcess{APIName: p.APIName, Labels: p.Labels, Description: p.Description, Active: true, Steps: []metadata.ApprovalStep{}})
		}
	}
	v.Object = &c
	return v
}
