package identityapi

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/tessera-crm/tessera/internal/httpx"
	"github.com/tessera-crm/tessera/internal/identity"
	"github.com/tessera-crm/tessera/internal/identity/sso"
	"github.com/tessera-crm/tessera/internal/problem"
)

// SSOHandlers serve single sign-on: the public hand-off with the provider
// and the admins' settings.
type SSOHandlers struct {
	SSO     *sso.Service
	Cookies *httpx.Cookies
	// PublicURL, when set, is where users reach the server; otherwise the
	// redirect URI is derived from the request.
	PublicURL string
}

const callbackPath = "/api/v1/auth/sso/callback"

// redirectURI is the callback address to register with the provider.
func (h *SSOHandlers) redirectURI(c *gin.Context) string {
	if h.PublicURL != "" {
		return strings.TrimRight(h.PublicURL, "/") + callbackPath
	}
	return h.Cookies.BaseURL(c.Request) + callbackPath
}

// Info tells the login page whether a tenant offers single sign-on.
func (h *SSOHandlers) Info(c *gin.Context) {
	key := c.Query("tenant")
	if key == "" || len(key) > 100 {
		problem.Write(c, problem.Field("tenant", problem.CodeRequired, "tenant is required"))
		return
	}
	enabled, label, err := h.SSO.PublicInfo(c.Request.Context(), key)
	if err != nil {
		problem.Write(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"enabled": enabled, "label": label})
}

// Start sends the browser to the tenant's provider.
func (h *SSOHandlers) Start(c *gin.Context) {
	target, err := h.SSO.Start(c.Request.Context(), c.Param("tenant"), h.redirectURI(c))
	if err != nil {
		h.failed(c, err)
		return
	}
	c.Redirect(http.StatusFound, target)
}

// Callback completes the sign-on: the session cookie is set and the
// browser goes to the app.
func (h *SSOHandlers) Callback(c *gin.Context) {
	sess, err := h.SSO.Callback(c.Request.Context(), sso.CallbackInput{State: c.Query("state"), Code: c.Query("code"), Error: c.Query("error"),
		RedirectURI: h.redirectURI(c), Client: clientInfo(c)})
	if err != nil {
		h.failed(c, err)
		return
	}
	h.Cookies.SetSession(c, sess)
	c.Redirect(http.StatusFound, "/")
}

// failed sends the browser back to the login page with a code it can
// explain; the cause goes to the log only.
func (h *SSOHandlers) failed(c *gin.Context, err error) {
	code := sso.ErrInternalError
	var f *sso.Failure
	if errors.As(err, &f) {
		code = f.Code
	}
	level := slog.LevelInfo
	if code == sso.ErrInternalError || code == sso.ErrProvider {
		level = slog.LevelWarn
	}
	slog.Log(c.Request.Context(), level, "single sign-on failed", "code", code, "err", err, "request_id", c.GetString(problem.RequestIDKey))
	c.Redirect(http.StatusFound, "/login?sso_error="+url.QueryEscape(code))
}

// GetConfig answers the tenant's settings and the redirect URI to register.
func (h *SSOHandlers) GetConfig(c *gin.Context) {
	cfg, err := h.SSO.GetConfig(c.Request.Context(), identity.FromContext(c.Request.Context()).TenantID)
	if err != nil {
		problem.Write(c, err)
		return
	}
	c.JSON(http.StatusOK, h.configView(c, cfg))
}

// PutConfig replaces the tenant's settings; the secret is write-only.
func (h *SSOHandlers) PutConfig(c *gin.Context) {
	var in sso.ConfigInput
	if err := httpx.BindJSON(c, &in); err != nil {
		problem.Write(c, err)
		return
	}
	cfg, err := h.SSO.PutConfig(c.Request.Context(), identity.FromContext(c.Request.Context()), in)
	if err != nil {
		problem.Write(c, err)
		return
	}
	c.JSON(http.StatusOK, h.configView(c, cfg))
}

func (h *SSOHandlers) configView(c *gin.Context, cfg *sso.Config) any {
	return struct {
		*sso.Config
		RedirectURI string `json:"redirect_uri"`
	}{cfg, h.redirectURI(c)}
}
