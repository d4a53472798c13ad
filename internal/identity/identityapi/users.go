package identityapi

import (
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
	if err := httpx.BindJSON(c, &in); err != nil {
		problem.Write(c, err)
		return
	}
	generated := ""
	if in.Password == "" {
		generated = identity.GeneratePassword()
		in.Password = generated
	}
	u, err := h.IDs.CreateUser(c.Request.Context(), httpx.Snapshot(c).Tenant.ID, identity.NewUserInput{Email: in.Email, Name: in.Name, Password: in.Password, Role: in.Role})
	if err != nil {
		problem.Write(c, err)
		return
	}
	out := gin.H{"user": userView(u)}
	if generated != "" {
		out["password"] = generated
	}
	c.JSON(http.StatusCreated, out)
}

// UpdateUser changes a user's name, role or status (admins).
func (h *Handlers) UpdateUser(c *gin.Context) {
	var p identity.UserPatch
	if err := httpx.BindJSON(c, &p); err != nil {
		problem.Write(c, err)
		return
	}
	u, err := h.IDs.UpdateUser(c.Request.Context(), httpx.Snapshot(c).Tenant.ID, c.Param("id"), p)
	if err != nil {
		problem.Write(c, err)
		return
	}
	c.JSON(http.StatusOK, userView(u))
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
	generated := in.Password == ""
	if generated {
		in.Password = identity.GeneratePassword()
	}
	if err := h.IDs.SetPassword(c.Request.Context(), httpx.Snapshot(c).Tenant.ID, c.Param("id"), in.Password); err != nil {
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
