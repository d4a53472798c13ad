package accessapi

import (
	"bytes"
	"encoding/json"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tessera-crm/tessera/engine/filter"
	"github.com/tessera-crm/tessera/internal/access"
	"github.com/tessera-crm/tessera/internal/httpx"
	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/internal/sqldialect"
	"github.com/tessera-crm/tessera/metadata"
)

// Handlers serve /org, /permission-sets and the sharing rules.
type Handlers struct {
	Access  *access.Service
	Meta    *metadata.Service
	Dialect sqldialect.Dialect
}

// optionalID is a JSON id that distinguishes absent, null and a value.
type optionalID struct {
	set   bool
	value *string
}

func (o *optionalID) UnmarshalJSON(b []byte) error {
	o.set = true
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	o.value = &s
	return nil
}

type roleBody struct {
	APIName  *string    `json:"api_name"`
	Name     *string    `json:"name"`
	ParentID optionalID `json:"parent_id"`
}

func (b roleBody) input() access.RoleInput {
	return access.RoleInput{APIName: b.APIName, Name: b.Name, ParentID: b.ParentID.value, ClearParent: b.ParentID.set && b.ParentID.value == nil}
}

func tenantID(c *gin.Context) string { return httpx.Snapshot(c).Tenant.ID }

// ListRoles answers the tenant's roles.
func (h *Handlers) ListRoles(c *gin.Context) {
	out, err := h.Access.ListRoles(c.Request.Context(), tenantID(c))
	respond(c, http.StatusOK, gin.H{"data": out}, err)
}

// CreateRole adds a role.
func (h *Handlers) CreateRole(c *gin.Context) {
	var b roleBody
	if err := httpx.BindJSON(c, &b); err != nil {
		problem.Write(c, err)
		return
	}
	out, err := h.Access.CreateRole(c.Request.Context(), tenantID(c), b.input())
	respond(c, http.StatusCreated, out, err)
}

// UpdateRole renames or moves a role.
func (h *Handlers) UpdateRole(c *gin.Context) {
	var b roleBody
	if err := httpx.BindJSON(c, &b); err != nil {
		problem.Write(c, err)
		return
	}
	out, err := h.Access.UpdateRole(c.Request.Context(), tenantID(c), c.Param("id"), b.input())
	respond(c, http.StatusOK, out, err)
}

// DeleteRole removes a role.
func (h *Handlers) DeleteRole(c *gin.Context) {
	respond(c, http.StatusNoContent, nil, h.Access.DeleteRole(c.Request.Context(), tenantID(c), c.Param("id")))
}

type unitBody struct {
	Name     *string    `json:"name"`
	Kind     *string    `json:"kind"`
	ParentID optionalID `json:"parent_id"`
}

func (b unitBody) input() access.UnitInput {
	return access.UnitInput{Name: b.Name, Kind: b.Kind, ParentID: b.ParentID.value, ClearParent: b.ParentID.set && b.ParentID.value == nil}
}

// ListUnits answers the tenant's org units.
func (h *Handlers) ListUnits(c *gin.Context) {
	out, err := h.Access.ListUnits(c.Request.Context(), tenantID(c))
	respond(c, http.StatusOK, gin.H{"data": out}, err)
}

// CreateUnit adds an org unit.
func (h *Handlers) CreateUnit(c *gin.Context) {
	var b unitBody
	if err := httpx.BindJSON(c, &b); err != nil {
		problem.Write(c, err)
		return
	}
	out, err := h.Access.CreateUnit(c.Request.Context(), tenantID(c), b.input())
	respond(c, http.StatusCreated, out, err)
}

// UpdateUnit renames, re-kinds or moves an org unit.
func (h *Handlers) UpdateUnit(c *gin.Context) {
	var b unitBody
	if err := httpx.BindJSON(c, &b); err != nil {
		problem.Write(c, err)
		return
	}
	out, err := h.Access.UpdateUnit(c.Request.Context(), tenantID(c), c.Param("id"), b.input())
	respond(c, http.StatusOK, out, err)
}

// DeleteUnit removes an org unit.
func (h *Handlers) DeleteUnit(c *gin.Context) {
	respond(c, http.StatusNoContent, nil, h.Access.DeleteUnit(c.Request.Context(), tenantID(c), c.Param("id")))
}

// ListPermissionSets answers the tenant's permission sets.
func (h *Handlers) ListPermissionSets(c *gin.Context) {
	out, err := h.Access.ListPermissionSets(c.Request.Context(), tenantID(c))
	respond(c, http.StatusOK, gin.H{"data": out}, err)
}

// GetPermissionSet answers one set with its rules.
func (h *Handlers) GetPermissionSet(c *gin.Context) {
	out, err := h.Access.GetPermissionSet(c.Request.Context(), tenantID(c), c.Param("name"))
	respond(c, http.StatusOK, out, err)
}

type setBody struct {
	APIName      string                        `json:"api_name"`
	Name         string                        `json:"name"`
	Description  string                        `json:"description"`
	Default      bool                          `json:"default"`
	Capabilities []string                      `json:"capabilities"`
	Objects      map[string]access.ObjectPerms `json:"objects"`
	Fields       map[string]map[string]string  `json:"fields"`
	// Read-only attributes a client may send back unchanged.
	System    *bool            `json:"system"`
	UserCount *int             `json:"user_count"`
	CreatedAt *json.RawMessage `json:"created_at"`
	UpdatedAt *json.RawMessage `json:"updated_at"`
}

func (b setBody) set() access.PermissionSet {
	return access.PermissionSet{APIName: b.APIName, Name: b.Name, Description: b.Description, Default: b.Default,
		Capabilities: b.Capabilities, Objects: b.Objects, Fields: b.Fields}
}

// CreatePermissionSet adds a set.
func (h *Handlers) CreatePermissionSet(c *gin.Context) {
	var b setBody
	if err := httpx.BindJSON(c, &b); err != nil {
		problem.Write(c, err)
		return
	}
	out, err := h.Access.PutPermissionSet(c.Request.Context(), httpx.Snapshot(c), b.set(), true)
	respond(c, http.StatusCreated, out, err)
}

// ReplacePermissionSet replaces a set's definition.
func (h *Handlers) ReplacePermissionSet(c *gin.Context) {
	var b setBody
	if err := httpx.BindJSON(c, &b); err != nil {
		problem.Write(c, err)
		return
	}
	if b.APIName != "" && b.APIName != c.Param("name") {
		problem.Write(c, problem.Field("api_name", problem.CodeInvalidValue, "api_name must match the path"))
		return
	}
	b.APIName = c.Param("name")
	out, err := h.Access.PutPermissionSet(c.Request.Context(), httpx.Snapshot(c), b.set(), false)
	respond(c, http.StatusOK, out, err)
}

// DeletePermissionSet removes a set.
func (h *Handlers) DeletePermissionSet(c *gin.Context) {
	respond(c, http.StatusNoContent, nil, h.Access.DeletePermissionSet(c.Request.Context(), tenantID(c), c.Param("name")))
}

// ListSharingRules answers an object's sharing rules.
func (h *Handlers) ListSharingRules(c *gin.Context) {
	obj := httpx.Snapshot(c).Object(c.Param("object"))
	if obj == nil {
		problem.Write(c, problem.UnknownObject(c.Param("object")))
		return
	}
	rules := obj.SharingRules
	if rules == nil {
		rules = []metadata.SharingRule{}
	}
	c.JSON(http.StatusOK, gin.H{"data": rules})
}

// CreateSharingRule adds a sharing rule.
func (h *Handlers) CreateSharingRule(c *gin.Context) { h.putSharingRule(c, true) }

// ReplaceSharingRule replaces a sharing rule.
func (h *Handlers) ReplaceSharingRule(c *gin.Context) { h.putSharingRule(c, false) }

func (h *Handlers) putSharingRule(c *gin.Context, create bool) {
	var r metadata.SharingRule
	if err := httpx.BindJSON(c, &r); err != nil {
		problem.Write(c, err)
		return
	}
	if !create {
		if r.APIName != "" && r.APIName != c.Param("name") {
			problem.Write(c, problem.Field("api_name", problem.CodeInvalidValue, "api_name must match the path"))
			return
		}
		r.APIName = c.Param("name")
	}
	g := Grant(c)
	check := func(next *metadata.Snapshot, r *metadata.SharingRule) error {
		obj := next.Object(c.Param("object"))
		if _, err := filter.Compile(r.Condition, filter.Env{Snapshot: next, Object: obj, DDL: metadata.DDL{D: h.Dialect, Key: next.Tenant.Key}, Alias: "t"}); err != nil {
			if pe, ok := problem.As(err); ok {
				for i := range pe.Errors {
					pe.Errors[i].Field = "condition"
				}
				if len(pe.Errors) == 0 {
					pe.Errors = []problem.FieldError{{Field: "condition", Code: pe.Code, Message: pe.Detail}}
				}
				return pe
			}
			return err
		}
		if _, ok := g.GranteeName(r.Grantee.Type, r.Grantee.ID); !ok {
			return problem.Field("grantee.id", problem.CodeInvalidValue, "there is no %s %q in this tenant", r.Grantee.Type, r.Grantee.ID)
		}
		return nil
	}
	snap, err := h.Meta.PutSharingRule(c.Request.Context(), tenantID(c), c.Param("object"), r, create, check)
	if err != nil {
		problem.Write(c, err)
		return
	}
	status := http.StatusOK
	if create {
		status = http.StatusCreated
	}
	for _, x := range snap.Object(c.Param("object")).SharingRules {
		if x.APIName == r.APIName {
			c.JSON(status, x)
			return
		}
	}
	c.Status(status)
}

// DeleteSharingRule removes a sharing rule.
func (h *Handlers) DeleteSharingRule(c *gin.Context) {
	_, err := h.Meta.DeleteSharingRule(c.Request.Context(), tenantID(c), c.Param("object"), c.Param("name"))
	respond(c, http.StatusNoContent, nil, err)
}

func respond(c *gin.Context, status int, body any, err error) {
	if err != nil {
		problem.Write(c, err)
		return
	}
	if body == nil {
		c.Status(status)
		return
	}
	c.JSON(status, body)
}
