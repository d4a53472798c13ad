package identityapi

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tessera-crm/tessera/internal/httpx"
	"github.com/tessera-crm/tessera/internal/identity"
	"github.com/tessera-crm/tessera/internal/problem"
)

// ListAPIKeys returns the caller's keys; ?all=true every key of the tenant
// (admins).
func (h *Handlers) ListAPIKeys(c *gin.Context) {
	all := false
	switch v := c.Query("all"); v {
	case "", "false":
	case "true":
		all = true
	default:
		problem.Write(c, problem.Field("all", problem.CodeInvalidValue, "all must be true or false, not %q", v))
		return
	}
	keys, err := h.IDs.ListAPIKeys(c.Request.Context(), identity.FromContext(c.Request.Context()), all)
	if err != nil {
		problem.Write(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"data": keys})
}

// CreateAPIKey makes a key; the answer carries it once, as "key".
func (h *Handlers) CreateAPIKey(c *gin.Context) {
	var in struct {
		Name           string   `json:"name"`
		PermissionSets []string `json:"permission_sets"`
		ExpiresAt      *string  `json:"expires_at"`
	}
	if err := httpx.BindJSON(c, &in); err != nil {
		problem.Write(c, err)
		return
	}
	req := identity.NewAPIKey{Name: in.Name, PermissionSets: in.PermissionSets}
	if in.ExpiresAt != nil && *in.ExpiresAt != "" {
		t, err := time.Parse(time.RFC3339, *in.ExpiresAt)
		if err != nil {
			problem.Write(c, problem.Field("expires_at", problem.CodeInvalidType, "expires_at must be an RFC 3339 date-time such as 2030-01-31T00:00:00Z"))
			return
		}
		req.ExpiresAt = &t
	}
	k, secret, err := h.IDs.CreateAPIKey(c.Request.Context(), identity.FromContext(c.Request.Context()), req)
	if err != nil {
		problem.Write(c, err)
		return
	}
	c.JSON(http.StatusCreated, struct {
		*identity.APIKey
		Key string `json:"key"`
	}{k, secret})
}

// RevokeAPIKey revokes a key.
func (h *Handlers) RevokeAPIKey(c *gin.Context) {
	if err := h.IDs.RevokeAPIKey(c.Request.Context(), identity.FromContext(c.Request.Context()), c.Param("id")); err != nil {
		problem.Write(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
