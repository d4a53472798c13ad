package app

import (
	"github.com/gin-gonic/gin"

	"github.com/tessera-crm/tessera/internal/access"
	"github.com/tessera-crm/tessera/internal/access/accessapi"
	"github.com/tessera-crm/tessera/internal/audit/auditapi"
)

// auditRoutes adds the operation log's search and export: reading it needs
// view_audit, exporting it export as well.
func (a *App) auditRoutes(member *gin.RouterGroup) {
	h := &auditapi.Handlers{DB: a.DB}
	log := member.Group("/audit", accessapi.Require(access.CapViewAudit))
	log.GET("", h.List)
	log.GET("/export", accessapi.Require(access.CapExport), h.Export)
}
