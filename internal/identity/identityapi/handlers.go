// Package identityapi serves login, logout and the caller's identity.
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

// TenantRef is what login needs to know of a tenant.
type TenantRef struct {
	ID, Key, Name, Status string
}

// LookupTenant finds a tenant by key; ok is false when there is none.
type LookupTenant func(ctx context.Context, key string) (ref TenantRef, ok bool, err error)

// Org connects users to the organisation and their permissions, which
// live in the access package.
type Org interface {
	// Permissions summarises the caller's permissions for /auth/me.
	Permissions(c *gin.Context) any
	// Decorate adds each user's place in the organisation to their view.
	Decorate(c *gin.Context, views []gin.H) error
	// Place applies the organisation keys of a create or update body
	// (role_id, unit_id, manager_id, permission_sets) in one transaction
	// with write, which creates or changes the user and returns its id.
	Place(c *gin.Context, keys map[string]json.RawMessage, write func(ctx context.Context) (string, error)) error
}

// OrgKeys are the user attributes Org handles.
var OrgKeys = []string{"role_id", "unit_id", "manager_id", "permission_sets"}

// Handlers serve the auth routes.
type Handlers struct {
	IDs     *identity.Service
	Lookup  LookupTenant
	Cookies *httpx.Cookies
	// Org, when set, joins users to the organisation and permissions.
	Org Org
}

type loginRequest struct {
	Tenant   string `json:"tenant"`
	Email    string `json:"email"`
	Password string `json:"password"`
	Mode     string `json:"mode"`
}

// Login modes: the web app's cookie session, or a bearer token for scripts.
const (
	modeCookie = "cookie"
	modeToken  = "token"
)

// Login opens a session for a tenant member. In cookie mode (the default)
// the token goes only into the HttpOnly cookie, out of reach of scripts on
// the page; the answer carries the CSRF token instead.
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
	if req.Mode == "" {
		req.Mode = modeCookie
	}
	if req.Mode != modeCookie && req.Mode != modeToken {
		problem.Write(c, problem.Field("mode", problem.CodeInvalidValue, "mode must be cookie or token"))
		return
	}
	ctx := c.Request.Context()
	ref, ok, err := h.Lookup(ctx, req.Tenant)
	if err != nil {
		problem.Write(c, err)
		return
	}
	attempt := identity.LoginAttempt{TenantKey: req.Tenant, Email: req.Email, Password: req.Password, Client: clientInfo(c)}
	if ok && ref.Status == "active" {
		attempt.TenantID, attempt.TenantNamespace = ref.ID, ref.Key
	}
	sess, u, err := h.IDs.Login(ctx, attempt)
	if err != nil {
		problem.Write(c, err)
		return
	}
	out := gin.H{
		"expires_in": int(identity.SessionTTL.Seconds()),
		"user":       userView(u),
		"tenant":     gin.H{"id": ref.ID, "key": ref.Key, "name": ref.Name},
	}
	if req.Mode == modeToken {
		out["token"] = sess.Token
	} else {
		h.Cookies.SetSession(c, sess)
		out["csrf_token"] = sess.CSRFToken
	}
	c.JSON(http.StatusOK, out)
}

func clientInfo(c *gin.Context) identity.ClientInfo {
	return identity.ClientInfo{IP: c.ClientIP(), UserAgent: c.Request.UserAgent()}
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
	token, op, err := h.IDs.LoginOperator(c.Request.Context(), req.Email, req.Password, clientInfo(c))
	if err != nil {
		problem.Write(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"token": token, "expires_in": int(identity.SessionTTL.Seconds()),
		"operator": gin.H{"id": op.ID, "email": op.Email, "name": op.Name}})
}

// Logout revokes the current session and clears the session cookies.
func (h *Handlers) Logout(c *gin.Context) {
	if err := h.IDs.Logout(c.Request.Context(), identity.FromContext(c.Request.Context())); err != nil {
		problem.Write(c, err)
		return
	}
	h.Cookies.Clear(c)
	c.Status(http.StatusNoContent)
}

// ChangePassword lets the caller replace their own password; their other
// sessions end.
func (h *Handlers) ChangePassword(c *gin.Context) {
	var in struct {
		CurrentPassword string `json:"current_password"`
		NewPassword     string `json:"new_password"`
	}
	if err := httpx.BindJSON(c, &in); err != nil {
		problem.Write(c, err)
		return
	}
	if err := h.IDs.ChangePassword(c.Request.Context(), identity.FromContext(c.Request.Context()), in.CurrentPassword, in.NewPassword); err != nil {
		problem.Write(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// PasswordPolicy describes what a new password must satisfy in the
// caller's tenant, for forms to explain it before the server refuses.
func (h *Handlers) PasswordPolicy(c *gin.Context) {
	policy, err := h.IDs.PasswordPolicy(c.Request.Context(), identity.FromContext(c.Request.Context()).TenantID)
	if err != nil {
		problem.Write(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"min_length": policy.MinLength, "max_length": identity.MaxPasswordLength, "classes": policy.Classes,
		"class_kinds": []string{"lower", "upper", "digit", "symbol"}, "no_email_name": true})
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
	if h.Org != nil {
		if err := h.Org.Decorate(c, []gin.H{out["user"].(gin.H)}); err != nil {
			problem.Write(c, err)
			return
		}
		out["permissions"] = h.Org.Permissions(c)
	}
	c.JSON(http.StatusOK, out)
}
