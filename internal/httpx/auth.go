package httpx

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/tessera-crm/tessera/internal/identity"
	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/metadata"
)

// Snapshots returns a tenant's current metadata snapshot.
type Snapshots interface {
	Get(ctx context.Context, tenantID string) (*metadata.Snapshot, error)
}

const snapshotKey = "snapshot"

func bearer(c *gin.Context) string {
	h := c.GetHeader("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

// Authenticate resolves the caller to a principal and puts it in the
// request context; it refuses requests without valid credentials. The
// credentials are an Authorization: Bearer header (a session token or an API
// key) or, without that header, the session cookie; a header always wins, so
// a script's token is never mixed up with a browser's cookie. Writes
// authenticated by the cookie must carry the session's CSRF token.
func Authenticate(ids *identity.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, err := authenticate(c, ids)
		if err != nil {
			if pe, ok := problem.As(err); ok && pe.Status == http.StatusUnauthorized {
				c.Header("WWW-Authenticate", `Bearer realm="tessera"`)
			}
			problem.Write(c, err)
			return
		}
		c.Request = c.Request.WithContext(identity.WithPrincipal(c.Request.Context(), p))
		c.Next()
	}
}

func authenticate(c *gin.Context, ids *identity.Service) (*identity.Principal, error) {
	ctx := c.Request.Context()
	if c.GetHeader("Authorization") != "" {
		return ids.Authenticate(ctx, bearer(c))
	}
	token, err := c.Cookie(SessionCookie)
	if err != nil || token == "" {
		return nil, problem.Unauthorized("a session cookie or a bearer token is required")
	}
	cached, err := ids.AuthenticateSession(ctx, token)
	if err != nil {
		return nil, err
	}
	// The cached principal is shared by concurrent requests: mark a copy.
	p := *cached
	p.Cookie = true
	if err := checkCSRF(c, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// RequireTenantUser admits tenant members and pins the tenant's metadata
// snapshot for the whole request. The tenant comes from the session, never
// from the request.
func RequireTenantUser(snaps Snapshots) gin.HandlerFunc {
	return func(c *gin.Context) {
		p := identity.FromContext(c.Request.Context())
		if p == nil || p.Operator || p.TenantID == "" {
			problem.Write(c, problem.Forbidden("this route is for members of a tenant"))
			return
		}
		snap, err := snaps.Get(c.Request.Context(), p.TenantID)
		if err != nil {
			problem.Write(c, err)
			return
		}
		c.Set(snapshotKey, snap)
		// Clients compare this with the metadata they hold and reload it
		// when an admin changed something.
		c.Header("X-Metadata-Version", strconv.FormatInt(snap.Version, 10))
		c.Next()
	}
}

// RequireAdmin admits tenant admins only.
func RequireAdmin() gin.HandlerFunc {
	return func(c *gin.Context) {
		if p := identity.FromContext(c.Request.Context()); p == nil || !p.IsAdmin() {
			problem.Write(c, problem.Forbidden("this action needs the tenant admin role"))
			return
		}
		c.Next()
	}
}

// RequireOperator admits platform operators only.
func RequireOperator() gin.HandlerFunc {
	return func(c *gin.Context) {
		if p := identity.FromContext(c.Request.Context()); p == nil || !p.Operator {
			problem.Write(c, problem.Forbidden("this route is for platform operators"))
			return
		}
		c.Next()
	}
}

// Snapshot returns the snapshot RequireTenantUser pinned.
func Snapshot(c *gin.Context) *metadata.Snapshot {
	s, _ := c.Get(snapshotKey)
	snap, _ := s.(*metadata.Snapshot)
	return snap
}
