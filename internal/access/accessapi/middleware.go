// Package accessapi serves the organisation, permission sets and sharing
// rules, and holds the middleware that attaches a caller's access grant to
// every tenant request and checks capabilities on admin routes.
package accessapi

import (
	"github.com/gin-gonic/gin"

	"github.com/tessera-crm/tessera/internal/access"
	"github.com/tessera-crm/tessera/internal/identity"
	"github.com/tessera-crm/tessera/internal/problem"
)

// Attach compiles (or fetches) the caller's grant and puts it in the
// request context, where the engine finds it. It runs after the tenant
// member check. API keys need the api capability.
func Attach(svc *access.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		p := identity.FromContext(c.Request.Context())
		if p == nil || p.Operator || p.TenantID == "" {
			problem.Write(c, problem.Forbidden("this route is for members of a tenant"))
			return
		}
		g, err := svc.Grant(c.Request.Context(), p)
		if err != nil {
			problem.Write(c, err)
			return
		}
		if p.APIKeyID != "" && !g.Has(access.CapAPI) {
			problem.Write(c, problem.Forbidden("this API key's permission sets do not include the api capability"))
			return
		}
		c.Request = c.Request.WithContext(access.WithGrant(c.Request.Context(), g))
		c.Next()
	}
}

// Require admits callers holding any of the capabilities.
func Require(capabilities ...string) gin.HandlerFunc {
	return func(c *gin.Context) {
		g := access.FromContext(c.Request.Context())
		if g == nil {
			problem.Write(c, problem.Forbidden("this route is for members of a tenant"))
			return
		}
		for _, cp := range capabilities {
			if g.Has(cp) {
				c.Next()
				return
			}
		}
		problem.Write(c, g.RequireCapability(capabilities[0]))
	}
}

// Grant returns the grant Attach put in the request.
func Grant(c *gin.Context) *access.Grant { return access.FromContext(c.Request.Context()) }
