// Package identityapi serves login, logout and the caller's identity.
package identityapi

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tessera-crm/tessera/internal/httpx"
	"github.com/tessera-crm/tessera/internal/identity"
	"github.com/tessera-crm/tessera/internal/problem"
)

// TenantRef is what login needs to know of a tenant.
type TenantRef struct {
	ID, Key, Name, Status string
}

// LookupTenant finds a tenant by key; ok is false when there is none.
type LookupTenant func(ctx context.Context, key string) (ref TenantRef, ok bool, err error)

// Handlers serve the auth routes.
type Handlers struct {
	IDs    *identity.Service
	Lookup LookupTenant
}

type loginRequest struct {
	Tenant   string `json:"tenant"`
	Email    string `json:"email"`
	Password string `json:"password"`
}

// Login opens a session for a tenant member.
func (h *Handlers) Login(c *gin.Context) {
	var req loginRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		problem.Write(c, err)
		return
	}
	if req.Tenant == "" || req.Email == "" || req.Password == "" {
		problem.Write(c, problem.Invalid("tenant, email and password are required", missing(req)...))
		return
	}
	ref, ok, err := h.Lookup(c.Request.Context(), req.Tenant)
	if err != nil {
		problem.Write(c, err)
		return
	}
	if !ok || ref.Status != "active" {
		identity.SpendPasswordCheck(req.Password)
		problem.Write(c, identity.ErrBadCredentials)
		return
	}
	token, u, err := h.IDs.LoginUser(c.Request.Context(), ref.ID, req.Email, req.Password, identity.ClientInfo{IP: c.ClientIP(), UserAgent: c.Request.UserAgent()})
	if err != nil {
		problem.Write(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{
		"token":      token,
		"expires_in": int(identity.SessionTTL.Seconds()),
		"user":       userView(u),
		"tenant":     gin.H{"id": ref.ID, "key": ref.Key, "name": ref.Name},
	})
}

func missing(r loginRequest) []problem.FieldError {
	var out []problem.FieldError
	for name, v := range map[string]string{"tenant": r.Tenant, "email": r.Email, "password": r.Password} {
		if v == "" {
			out = append(out, problem.FieldError{Field: name, Code: problem.CodeRequired, Message: name + " is required"})
		}
	}
	return out
}

// OperatorLogin opens a session for a platform operator.
func (h *Handlers) OperatorLogin(c *gin.Context) {
	var req struct {
		Email    string `json:"email"`
		Password string `json:"password"`
	}
	if err := httpx.BindJSON(c, &req); err != nil {
		problem.Write(c, err)
		return
	}
	token, op, err := h.IDs.LoginOperator(c.Request.Context(), req.Email, req.Password, identity.ClientInfo{IP: c.ClientIP(), UserAgent: c.Request.UserAgent()})
	if err != nil {
		problem.Write(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"token": token, "expires_in": int(identity.SessionTTL.Seconds()),
		"operator": gin.H{"id": op.ID, "email": op.Email, "name": op.Name}})
}

// Logout revokes the current session.
func (h *Handlers) Logout(c *gin.Context) {
	if err := h.IDs.Logout(c.Request.Context(), identity.FromContext(c.Request.Context())); err != nil {
		problem.Write(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// Me returns the caller, with their language and time zone preferences.
func (h *Handlers) Me(c *gin.Context) {
	p := identity.FromContext(c.Request.Context())
	u, err := h.IDs.GetUser(c.Request.Context(), p.TenantID, p.UserID)
	if err != nil {
		problem.Write(c, err)
		return
	}
	out := gin.H{"user": userView(u), "operator": false}
	if snap := httpx.Snapshot(c); snap != nil {
		out["tenant"] = snap.TenantInfo()
	}
	c.JSON(http.StatusOK, out)
}
