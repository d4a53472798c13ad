package app

import (
	"github.com/gin-gonic/gin"

	"github.com/tessera-crm/tessera/internal/audit/auditapi"
	"github.com/tessera-crm/tessera/internal/httpx"
)

// auditRoutes adds the operation log's search and export. Tenant admins only
// for now; the view_audit and export capabilities are to replace the check.
func (a *App) auditRoutes(member *gin.RouterGroup) {
	h := &auditapi.Handlers{DB: a.DB}
	log := member.Group("/audit", httpx.RequireAdmin())
	log.GET("", h.List)
	log.GET("/export", h.Export)
}
