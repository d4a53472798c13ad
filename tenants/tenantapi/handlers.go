// Package tenantapi serves the platform routes operators use to provision
// and list tenants.
package tenantapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tessera-crm/tessera/internal/httpx"
	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/tenants"
)

// Handlers serve /api/v1/platform/tenants.
type Handlers struct {
	Tenants *tenants.Service
}

// Create provisions a tenant with its first admin.
func (h *Handlers) Create(c *gin.Context) {
	var in tenants.CreateInput
	if err := httpx.BindJSON(c, &in); err != nil {
		problem.Write(c, err)
		return
	}
	t, admin, err := h.Tenants.Create(c.Request.Context(), in)
	if err != nil {
		problem.Write(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"tenant": t, "admin": gin.H{"id": admin.ID, "email": admin.Email, "name": admin.Name, "role": admin.Role}})
}

// List returns every tenant.
func (h *Handlers) List(c *gin.Context) {
	ts, err := h.Tenants.List(c.Request.Context())
	if err != nil {
		problem.Write(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"data": ts})
}
