package app

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/tessera-crm/tessera/internal/access"
	"github.com/tessera-crm/tessera/internal/audit"
	"github.com/tessera-crm/tessera/internal/httpx"
	"github.com/tessera-crm/tessera/internal/identity"
	"github.com/tessera-crm/tessera/internal/problem"
)

// userOrg joins the users API to the organisation and permission sets.
type userOrg struct{ a *App }

// Permissions summarises the caller's permissions over every object.
func (o userOrg) Permissions(c *gin.Context) any {
	snap := httpx.Snapshot(c)
	objects := make([]string, len(snap.Objects))
	for i, obj := range snap.Objects {
		objects[i] = obj.APIName
	}
	return access.FromContext(c.Request.Context()).Summarize(objects)
}

// Decorate adds role, unit, manager and permission sets to user views.
func (o userOrg) Decorate(c *gin.Context, views []gin.H) error {
	tenantID := httpx.Snapshot(c).Tenant.ID
	org, err := o.a.Access.Org(c.Request.Context(), tenantID)
	if err != nil {
		return err
	}
	ids := make([]string, 0, len(views))
	for _, v := range views {
		if id, ok := v["id"].(string); ok {
			ids = append(ids, id)
		}
	}
	sets, err := o.a.Access.UserSets(c.Request.Context(), tenantID, ids)
	if err != nil {
		return err
	}
	for _, v := range views {
		id, _ := v["id"].(string)
		m := org.Members[id]
		if m == nil {
			continue
		}
		v["role_id"], v["unit_id"], v["manager_id"] = m.RoleID, m.UnitID, m.ManagerID
		v["permission_sets"] = sets[id]
		if v["permission_sets"] == nil {
			v["permission_sets"] = []string{}
		}
	}
	return nil
}

// Place applies the organisation keys of a user create or update in the
// same transaction as the write. Granting the admin type or permission sets
// is itself guarded: a user manager cannot make themselves an administrator.
func (o userOrg) Place(c *gin.Context, keys map[string]json.RawMessage, write func(ctx context.Context) (string, error)) error {
	ctx := c.Request.Context()
	caller := identity.FromContext(ctx)
	g := access.FromContext(ctx)
	tenantID := httpx.Snapshot(c).Tenant.ID
	creating := c.Request.Method == http.MethodPost
	p, err := placementOf(keys)
	if err != nil {
		return err
	}
	if !caller.IsAdmin() {
		if raw, ok := keys["role"]; ok && (!creating || !bytes.Equal(bytes.TrimSpace(raw), []byte(`"member"`))) {
			return problem.Forbidden("only administrators change a user's type")
		}
		if !creating {
			target, err := o.a.Identity.GetUser(ctx, tenantID, c.Param("id"))
			if err != nil {
				return err
			}
			if target.Role == identity.RoleAdmin {
				return problem.Forbidden("only administrators change an administrator")
			}
		}
		if p.PermissionSets != nil {
			if !g.Has(access.CapManageSecurity) {
				return problem.Forbidden("assigning permission sets needs the manage_security capability")
			}
			if slices.Contains(*p.PermissionSets, access.SystemAdminSet) {
				return problem.Forbidden("only administrators assign the system_admin permission set")
			}
		}
	}
	if creating && p.PermissionSets == nil {
		sets, err := o.a.Access.DefaultSets(ctx, tenantID)
		if err != nil {
			return err
		}
		p.PermissionSets = &sets
	}
	var before *identity.User
	if !creating {
		if before, err = o.a.Identity.GetUser(ctx, tenantID, c.Param("id")); err != nil {
			return err
		}
	}
	err = o.a.DB.InTx(ctx, func(ctx context.Context) error {
		id, err := write(ctx)
		if err != nil {
			return err
		}
		if !p.Empty() {
			if err := o.a.Access.Place(ctx, tenantID, id, p); err != nil {
				return err
			}
		}
		after, err := o.a.Identity.GetUser(ctx, tenantID, id)
		if err != nil {
			return err
		}
		action := "user.update"
		if creating {
			action = "user.create"
		}
		return audit.Write(ctx, o.a.DB, httpx.Snapshot(c).Tenant.Key, audit.Entry{Action: action, Object: "user", RecordID: id,
			Summary: action[len("user."):] + " user " + after.Email, Before: before, After: after})
	})
	if err != nil {
		return err
	}
	o.a.Access.Changed(ctx, tenantID)
	return nil
}

// placementOf decodes the organisation keys: an id, or null to clear it.
func placementOf(keys map[string]json.RawMessage) (access.Placement, error) {
	var p access.Placement
	id := func(name string, dst **string, clear *bool) error {
		raw, ok := keys[name]
		if !ok {
			return nil
		}
		if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
			*clear = true
			return nil
		}
		var s string
		if err := json.Unmarshal(raw, &s); err != nil || s == "" {
			return problem.Field(name, problem.CodeInvalidType, "%s must be an id or null", name)
		}
		*dst = &s
		return nil
	}
	if err := id("role_id", &p.RoleID, &p.ClearRole); err != nil {
		return p, err
	}
	if err := id("unit_id", &p.UnitID, &p.ClearUnit); err != nil {
		return p, err
	}
	if err := id("manager_id", &p.ManagerID, &p.ClearManager); err != nil {
		return p, err
	}
	if raw, ok := keys["permission_sets"]; ok {
		var sets []string
		if err := json.Unmarshal(raw, &sets); err != nil || sets == nil {
			return p, problem.Field("permission_sets", problem.CodeInvalidType, "permission_sets must be a list of permission set names")
		}
		p.PermissionSets = &sets
	}
	return p, nil
}
