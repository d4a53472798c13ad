package app

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tessera-crm/tessera/engine/expressionapi"
	"github.com/tessera-crm/tessera/engine/openapi"
	"github.com/tessera-crm/tessera/engine/recordapi"
	"github.com/tessera-crm/tessera/engine/savedview"
	"github.com/tessera-crm/tessera/engine/workflow"
	"github.com/tessera-crm/tessera/frontend"
	"github.com/tessera-crm/tessera/internal/access"
	"github.com/tessera-crm/tessera/internal/access/accessapi"
	"github.com/tessera-crm/tessera/internal/httpx"
	"github.com/tessera-crm/tessera/internal/identity/identityapi"
	"github.com/tessera-crm/tessera/metadata/metaapi"
	"github.com/tessera-crm/tessera/tenants"
	"github.com/tessera-crm/tessera/tenants/tenantapi"
)

func (a *App) routes() *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.HandleMethodNotAllowed = true
	r.ContextWithFallback = true
	if err := r.SetTrustedProxies(a.Config.TrustedProxies); err != nil {
		a.Log.Warn("ignoring TESSERA_TRUSTED_PROXIES", "err", err)
		_ = r.SetTrustedProxies(nil)
	}
	r.Use(httpx.RequestID(), httpx.Recovery(a.Log), httpx.Logger(a.Log), httpx.BodyLimit(a.Config.BodyLimit))
	app := frontend.Handler()
	r.NoRoute(func(c *gin.Context) {
		// Unknown API paths are API errors; everything else is the web app.
		if strings.HasPrefix(c.Request.URL.Path, "/api/") {
			httpx.NoRoute(c)
			return
		}
		// NoRoute preset 404; the app's pages are found.
		c.Status(http.StatusOK)
		app.ServeHTTP(c.Writer, c.Request)
	})
	r.NoMethod(httpx.NoMethod)

	r.GET("/healthz", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) })
	r.GET("/readyz", a.ready)

	auth := &identityapi.Handlers{IDs: a.Identity, Lookup: a.lookupTenant, Cookies: httpx.NewCookies(a.Config.PublicURL, a.Config.TrustedProxies), Org: userOrg{a}}
	meta := &metaapi.Handlers{Meta: a.Meta, CheckQuery: a.Records.CheckQuery}
	recs := &recordapi.Handlers{Records: a.Records}
	plat := &tenantapi.Handlers{Tenants: a.Tenants}

	v1 := r.Group("/api/v1")
	v1.POST("/auth/login", auth.Login)
	v1.POST("/platform/auth/login", auth.OperatorLogin)

	authed := v1.Group("", httpx.Authenticate(a.Identity))
	authed.POST("/auth/logout", auth.Logout)

	platform := authed.Group("/platform", httpx.RequireOperator())
	platform.POST("/tenants", plat.Create)
	platform.GET("/tenants", plat.List)

	// Every tenant route runs with the caller's access grant: the engine
	// applies record access and field security from it.
	member := authed.Group("", httpx.RequireTenantUser(a.Snapshots), accessapi.Attach(a.Access))
	can := accessapi.Require
	member.GET("/auth/me", auth.Me)
	member.PATCH("/auth/me", auth.UpdateMe)
	member.GET("/meta/objects", meta.ListObjects)
	member.GET("/meta/objects/:object", meta.GetObject)
	member.GET("/meta/field-types", meta.FieldTypes)
	member.GET("/tenant", meta.GetTenant)
	member.PATCH("/tenant", can(access.CapManageMetadata), meta.UpdateTenant)
	member.GET("/openapi.json", func(c *gin.Context) {
		// The document describes the fields the caller may see.
		snap := access.FromContext(c.Request.Context()).View(httpx.Snapshot(c))
		c.JSON(http.StatusOK, openapi.Build(snap, snap.Tenant.Locale))
	})

	// PATCH of an object checks its own capabilities: sharing settings are
	// security, the rest metadata.
	member.PATCH("/meta/objects/:object", can(access.CapManageMetadata, access.CapManageSecurity), meta.UpdateObject)
	admin := member.Group("/meta", can(access.CapManageMetadata))
	admin.POST("/objects", meta.CreateObject)
	admin.DELETE("/objects/:object", meta.DeleteObject)
	admin.POST("/objects/:object/fields", meta.AddField)
	admin.PATCH("/objects/:object/fields/:field", meta.UpdateField)
	admin.DELETE("/objects/:object/fields/:field", meta.DeleteField)
	admin.POST("/objects/:object/layouts", meta.CreateLayout)
	admin.PUT("/objects/:object/layouts/:name", meta.ReplaceLayout)
	admin.DELETE("/objects/:object/layouts/:name", meta.DeleteLayout)
	admin.POST("/objects/:object/list-views", meta.CreateListView)
	admin.PUT("/objects/:object/list-views/:name", meta.ReplaceListView)
	admin.DELETE("/objects/:object/list-views/:name", meta.DeleteListView)
	admin.POST("/objects/:object/validation-rules", meta.CreateValidationRule)
	admin.PUT("/objects/:object/validation-rules/:name", meta.ReplaceValidationRule)
	admin.DELETE("/objects/:object/validation-rules/:name", meta.DeleteValidationRule)
	admin.POST("/objects/:object/workflows", meta.CreateWorkflow)
	admin.PUT("/objects/:object/workflows/:name", meta.ReplaceWorkflow)
	admin.DELETE("/objects/:object/workflows/:name", meta.DeleteWorkflow)
	admin.POST("/objects/:object/approval-processes", meta.CreateApprovalProcess)
	admin.PUT("/objects/:object/approval-processes/:name", meta.ReplaceApprovalProcess)
	admin.DELETE("/objects/:object/approval-processes/:name", meta.DeleteApprovalProcess)
	member.GET("/workflow-runs", can(access.CapManageMetadata), a.Workflows.ListRuns)
	member.POST("/records/:object/:id/workflows/:name", a.Workflows.RunManual)
	member.GET("/notifications", a.Workflows.ListNotifications)
	member.POST("/records/:object/:id/approvals", a.Workflows.Submit)
	member.GET("/records/:object/:id/approvals", a.Workflows.RecordApprovals)
	member.GET("/approvals/inbox", a.Workflows.Inbox)
	member.POST("/approvals/:id/approve", a.Workflows.Decide(workflow.DecideApprove))
	member.POST("/approvals/:id/reject", a.Workflows.Decide(workflow.DecideReject))
	member.POST("/approvals/:id/recall", a.Workflows.Decide("recall"))
	member.POST("/approvals/:id/reassign", a.Workflows.Decide("reassign"))
	member.POST("/notifications/read", a.Workflows.MarkRead)
	exprs := &expressionapi.Handlers{Records: a.Records}
	admin.GET("/objects/:object/expressions/vocabulary", exprs.Vocabulary)
	admin.POST("/objects/:object/expressions/check", exprs.Check)
	admin.POST("/objects/:object/expressions/evaluate", exprs.Evaluate)

	views := &savedview.Handlers{Views: savedview.NewService(a.DB, a.Records.CheckQuery)}
	member.GET("/views/:object", views.List)
	member.POST("/views/:object", views.Create)
	member.PUT("/views/:object/:id", views.Update)
	member.DELETE("/views/:object/:id", views.Delete)

	acc := &accessapi.Handlers{Access: a.Access, Meta: a.Meta, Dialect: a.DB.Dialect}
	member.GET("/meta/objects/:object/sharing-rules", acc.ListSharingRules)
	security := member.Group("", can(access.CapManageSecurity))
	security.POST("/meta/objects/:object/sharing-rules", acc.CreateSharingRule)
	security.PUT("/meta/objects/:object/sharing-rules/:name", acc.ReplaceSharingRule)
	security.DELETE("/meta/objects/:object/sharing-rules/:name", acc.DeleteSharingRule)
	security.POST("/permission-sets", acc.CreatePermissionSet)
	security.PUT("/permission-sets/:name", acc.ReplacePermissionSet)
	security.DELETE("/permission-sets/:name", acc.DeletePermissionSet)
	sets := member.Group("/permission-sets", can(access.CapManageSecurity, access.CapManageUsers))
	sets.GET("", acc.ListPermissionSets)
	sets.GET("/:name", acc.GetPermissionSet)
	member.GET("/org/roles", acc.ListRoles)
	member.GET("/org/units", acc.ListUnits)
	org := member.Group("/org", can(access.CapManageUsers))
	org.POST("/roles", acc.CreateRole)
	org.PATCH("/roles/:id", acc.UpdateRole)
	org.DELETE("/roles/:id", acc.DeleteRole)
	org.POST("/units", acc.CreateUnit)
	org.PATCH("/units/:id", acc.UpdateUnit)
	org.DELETE("/units/:id", acc.DeleteUnit)

	member.GET("/users", auth.ListUsers)
	users := member.Group("/users", can(access.CapManageUsers))
	users.POST("", auth.CreateUser)
	users.PATCH("/:id", auth.UpdateUser)
	users.POST("/:id/reset-password", auth.ResetPassword)
	a.authRoutes(v1, member, auth)
	a.auditRoutes(member)

	records := member.Group("/records/:object")
	records.GET("", recs.List)
	records.POST("", recs.Create)
	records.POST("/bulk", recs.Bulk)
	records.GET("/aggregate", recs.Aggregate)
	records.GET("/export", can(access.CapExport), recs.Export)
	records.POST("/transfer", recs.Transfer)
	records.POST("/form-state", recs.FormState)
	records.GET("/:id", recs.Get)
	records.PATCH("/:id", recs.Update)
	records.DELETE("/:id", recs.Delete)
	records.POST("/:id/restore", recs.Restore)
	records.POST("/:id/purge", recs.Purge)
	records.GET("/:id/stage-history", recs.StageHistory)
	records.GET("/:id/history", recs.FieldHistory)
	records.GET("/:id/access", recs.Access)
	records.GET("/:id/shares", recs.Shares)
	records.POST("/:id/shares", recs.AddShare)
	records.DELETE("/:id/shares/:share", recs.DeleteShare)
	return r
}

func (a *App) lookupTenant(ctx context.Context, key string) (identityapi.TenantRef, bool, error) {
	t, err := a.Tenants.ByKey(ctx, key)
	if err == tenants.ErrNotFound {
		return identityapi.TenantRef{}, false, nil
	}
	if err != nil {
		return identityapi.TenantRef{}, false, err
	}
	return identityapi.TenantRef{ID: t.ID, Key: t.Key, Name: t.Name, Status: t.Status}, true, nil
}

// ready reports whether the database answers; Redis being down degrades the
// instance (caches fall back to the database) but does not take it out.
func (a *App) ready(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	out := gin.H{"status": "ready", "database": "ok"}
	if err := a.DB.Ping(ctx); err != nil {
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable", "database": err.Error()})
		return
	}
	if a.Redis != nil {
		if err := a.Redis.Ping(ctx).Err(); err != nil {
			out["redis"] = "degraded: " + err.Error()
			out["status"] = "degraded"
		} else {
			out["redis"] = "ok"
		}
	}
	c.JSON(http.StatusOK, out)
}
