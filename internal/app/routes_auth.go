package app

import (
	"context"

	"github.com/gin-gonic/gin"

	"github.com/tessera-crm/tessera/internal/access"
	"github.com/tessera-crm/tessera/internal/access/accessapi"
	"github.com/tessera-crm/tessera/internal/audit"
	"github.com/tessera-crm/tessera/internal/identity"
	"github.com/tessera-crm/tessera/internal/identity/identityapi"
	"github.com/tessera-crm/tessera/internal/identity/sso"
)

// wireIdentity connects the identity service to the operation log and the
// login throttle: counters in Redis when there is one (shared by every
// instance), in process otherwise.
func (a *App) wireIdentity() {
	a.Identity.Audit = func(ctx context.Context, tenantKey string, e identity.AuditEntry) error {
		return audit.Write(ctx, a.DB, tenantKey, audit.Entry{Action: e.Action, Object: e.Object, RecordID: e.RecordID,
			Summary: e.Summary, Before: e.Before, After: e.After})
	}
	var limiter identity.Limiter = identity.NewMemoryLimiter()
	if a.Redis != nil {
		limiter = identity.NewRedisLimiter(a.Redis, identity.LoginKeyPrefix)
	}
	a.Identity.Throttle = identity.NewLoginThrottle(limiter)
	// An API key may hold only sets its owner holds (an admin's, any set).
	a.Identity.ValidateSets = func(ctx context.Context, tenantID, userID string, sets []string) error {
		u, err := a.Identity.GetUser(ctx, tenantID, userID)
		if err != nil {
			return err
		}
		return a.Access.ValidateKeySets(ctx, tenantID, userID, u.Role == identity.RoleAdmin, sets)
	}
	// Client secrets are sealed with the tenant's data key.
	a.SSO = sso.NewService(a.DB, a.Identity)
	a.SSO.Secrets = a.Keys
}

// authRoutes adds the routes of sessions, passwords, API keys and single
// sign-on; login and logout are in routes.
func (a *App) authRoutes(v1, member *gin.RouterGroup, auth *identityapi.Handlers) {
	can := accessapi.Require
	member.POST("/auth/me/password", auth.ChangePassword)
	member.GET("/auth/password-policy", auth.PasswordPolicy)
	member.GET("/api-keys", auth.ListAPIKeys)
	member.POST("/api-keys", can(access.CapAPI), auth.CreateAPIKey)
	member.DELETE("/api-keys/:id", auth.RevokeAPIKey)

	ssoh := &identityapi.SSOHandlers{SSO: a.SSO, Cookies: auth.Cookies, PublicURL: a.Config.PublicURL}
	v1.GET("/auth/sso", ssoh.Info)
	v1.GET("/auth/sso/:tenant/start", ssoh.Start)
	v1.GET("/auth/sso/callback", ssoh.Callback)
	member.GET("/admin/sso", can(access.CapManageSecurity), ssoh.GetConfig)
	member.PUT("/admin/sso", can(access.CapManageSecurity), ssoh.PutConfig)
}
