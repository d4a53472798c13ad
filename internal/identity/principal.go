// Package identity holds who is calling: operators of the platform, users of
// a tenant, their passwords and sessions, and the middleware that turns a
// bearer token into a principal. Full RBAC arrives with the permissions step.
package identity

import "context"

// Roles of a tenant member.
const (
	RoleAdmin  = "admin"
	RoleMember = "member"
)

// Principal is the authenticated caller. A user principal is bound to one
// tenant by its session: no request parameter can change that tenant.
type Principal struct {
	Operator  bool   `json:"operator"`
	UserID    string `json:"user_id"`
	TenantID  string `json:"tenant_id,omitempty"`
	TenantKey string `json:"tenant_key,omitempty"`
	Email     string `json:"email"`
	Name      string `json:"name"`
	Role      string `json:"role,omitempty"`
	TokenHash string `json:"-"`
	// APIKeyID is set when the caller authenticated with an API key; its
	// PermissionSets then limit what the caller may do (nil: the user's own).
	APIKeyID       string   `json:"-"`
	APIKeyName     string   `json:"-"`
	PermissionSets []string `json:"-"`
	// Cookie is true for the web app's cookie session, whose writes must
	// carry the session's CSRFToken.
	Cookie    bool   `json:"-"`
	CSRFToken string `json:"-"`
}

// IsAdmin reports whether the principal administers its tenant.
func (p *Principal) IsAdmin() bool { return !p.Operator && p.Role == RoleAdmin }

type principalKey struct{}

// WithPrincipal returns ctx carrying p.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// FromContext returns the principal, or nil.
func FromContext(ctx context.Context) *Principal {
	p, _ := ctx.Value(principalKey{}).(*Principal)
	return p
}
