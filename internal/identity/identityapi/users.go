package identityapi

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tessera-crm/tessera/internal/httpx"
	"github.com/tessera-crm/tessera/internal/identity"
	"github.com/tessera-crm/tessera/internal/problem"
)

func userView(u *identity.User) gin.H {
	return gin.H{"id": u.ID, "email": u.Email, "name": u.Name, "role": u.Role, "status": u.Status,
		"locale": u.Locale, "time_zone": u.TimeZone, "created_at": u.CreatedAt, "updated_at": u.UpdatedAt}
}

// ListUsers returns the tenant's users: everything for admins; for members
// the directory they need to show owners (id, name, email, status).
func (h *Handlers) ListUsers(c *gin.Context) {
	users, err := h.IDs.ListUsers(c.Request.Context(), httpx.Snapshot(c).Tenant.ID)
	if err != nil {
		problem.Write(c, err)
		return
	}
	admin := identity.FromContext(c.Request.Context()).IsAdmin()
	out := make([]gin.H, len(users))
	for i := range users {
		if admin {
			out[i] = userView(&users[i])
		} else {
			out[i] = gin.H{"id": users[i].ID, "name": users[i].Name, "email": users[i].Email, "status": users[i].Status}
		}
	}
	if admin && h.Org != nil {
		if err := h.Org.Decorate(c, out); err != nil {
			problem.Write(c, err)
			return
		}
	}
	c.JSON(http.StatusOK, gin.H{"data": out})
}

// CreateUser adds a user; without a password one is generated and returned
// once, for the admin to hand over.
func (h *Handlers) CreateUser(c *gin.Context) {
	var in struct {
		Email    string `json:"email"`
		Name     string `json:"name"`
		Role     string `json:"role"`
		Password string `json:"password"`
	}
	keys, err := h.bindWithOrg(c, &in)
	if err != nil {
		problem.Write(c, err)
		return
	}
	generated := ""
	if in.Password == "" {
		generated = identity.GeneratePasswordFor(in.Email)
		in.Password = generated
	}
	var u *identity.User
	create := func(ctx context.Context) (string, error) {
		var err error
		u, err = h.IDs.CreateUser(ctx, httpx.Snapshot(c).Tenant.ID, identity.NewUserInput{Email: in.Email, Name: in.Name, Password: in.Password, Role: in.Role})
		if err != nil {
			return "", err
		}
		return u.ID, nil
	}
	if err := h.withOrg(c, keys, create); err != nil {
		problem.Write(c, err)
		return
	}
	out := gin.H{"user": h.decorated(c, userView(u))}
	if generated != "" {
		out["password"] = generated
	}
	c.JSON(http.StatusCreated, out)
}

// UpdateUser changes a user's name, role or status (admins).
func (h *Handlers) UpdateUser(c *gin.Context) {
	var p identity.UserPatch
	keys, err := h.bindWithOrg(c, &p)
	if err != nil {
		problem.Write(c, err)
		return
	}
	var u *identity.User
	update := func(ctx context.Context) (string, error) {
		var err error
		u, err = h.IDs.UpdateUser(ctx, httpx.Snapshot(c).Tenant.ID, c.Param("id"), p)
		if err != nil {
			return "", err
		}
		return u.ID, nil
	}
	if err := h.withOrg(c, keys, update); err != nil {
		problem.Write(c, err)
		return
	}
	c.JSON(http.StatusOK, h.decorated(c, userView(u)))
}

// ResetPassword sets a new password (generated unless given) and ends the
// user's sessions.
func (h *Handlers) ResetPassword(c *gin.Context) {
	var in struct {
		Password string `json:"password"`
	}
	if c.Request.ContentLength != 0 {
		if err := httpx.BindJSON(c, &in); err != nil {
			problem.Write(c, err)
			return
		}
	}
	tenantID := httpx.Snapshot(c).Tenant.ID
	generated := in.Password == ""
	if generated {
		u, err := h.IDs.GetUser(c.Request.Context(), tenantID, c.Param("id"))
		if err != nil {
			problem.Write(c, err)
			return
		}
		in.Password = identity.GeneratePasswordFor(u.Email)
	}
	if err := h.IDs.SetPassword(c.Request.Context(), tenantID, c.Param("id"), in.Password); err != nil {
		problem.Write(c, err)
		return
	}
	out := gin.H{"ok": true}
	if generated {
		out["password"] = in.Password
	}
	c.JSON(http.StatusOK, out)
}

// UpdateMe lets a user change their own name, language and time zone.
func (h *Handlers) UpdateMe(c *gin.Context) {
	var in struct {
		Name     *string `json:"name"`
		Locale   *string `json:"locale"`
		TimeZone *string `json:"time_zone"`
	}
	if err := httpx.BindJSON(c, &in); err != nil {
		problem.Write(c, err)
		return
	}
	p := identity.FromContext(c.Request.Context())
	if _, err := h.IDs.UpdateUser(c.Request.Context(), p.TenantID, p.UserID, identity.UserPatch{Name: in.Name, Locale: in.Locale, TimeZone: in.TimeZone}); err != nil {
		problem.Write(c, err)
		return
	}
	h.Me(c)
}

// bindWithOrg decodes a user body strictly into v, except for the
// organisation keys, which it returns for Org.
func (h *Handlers) bindWithOrg(c *gin.Context, v any) (map[string]json.RawMessage, error) {
	body, err := httpx.ReadBody(c)
	if err != nil {
		return nil, err
	}
	keys := map[string]json.RawMessage{}
	if h.Org != nil {
		var all map[string]json.RawMessage
		if json.Unmarshal(body, &all) == nil && all != nil {
			for _, k := range OrgKeys {
				if raw, ok := all[k]; ok {
					keys[k] = raw
					delete(all, k)
				}
			}
			// The user type stays in the body; Org sees it too, because
			// who may grant it is an access decision.
			if raw, ok := all["role"]; ok {
				keys["role"] = raw
			}
			if len(keys) > 0 {
				if body, err = json.Marshal(all); err != nil {
					return nil, err
				}
			}
		}
	}
	return keys, httpx.DecodeStrict(body, v)
}

// withOrg runs write, with the organisation keys applied in its
// transaction when Org is set.
func (h *Handlers) withOrg(c *gin.Context, keys map[string]json.RawMessage, write func(ctx context.Context) (string, error)) error {
	if h.Org == nil {
		_, err := write(c.Request.Context())
		return err
	}
	return h.Org.Place(c, keys, write)
}

// decorated adds the user's place in the organisation when Org is set.
func (h *Handlers) decorated(c *gin.Context, view gin.H) gin.H {
	if h.Org != nil {
		_ = h.Org.Decorate(c, []gin.H{view})
	}
	return view
}
