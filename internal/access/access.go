// Package access decides what a caller may do: permission sets stored as
// casbin policies (object actions, field levels, capabilities), the
// organisation (roles and org units) that record access follows, and the
// SQL predicates that apply record access in the database. Everything a
// request needs is compiled once into a Grant and cached until the tenant's
// policies or organisation change.
package access

import (
	"context"
	"fmt"
	"slices"

	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/metadata"
)

// Object actions.
const (
	ActCreate    = "create"
	ActRead      = "read"
	ActEdit      = "edit"
	ActDelete    = "delete"
	ActViewAll   = "view_all"
	ActModifyAll = "modify_all"
)

// ObjectActions lists the object actions in display order.
var ObjectActions = []string{ActCreate, ActRead, ActEdit, ActDelete, ActViewAll, ActModifyAll}

// Capabilities.
const (
	CapManageMetadata = "manage_metadata"
	CapManageUsers    = "manage_users"
	CapManageSecurity = "manage_security"
	CapViewAudit      = "view_audit"
	CapImport         = "import"
	CapExport         = "export"
	CapAPI            = "api"
	CapUnmask         = "unmask"
	CapTransfer       = "transfer"
)

// Capabilities lists every capability.
var Capabilities = []string{CapManageMetadata, CapManageUsers, CapManageSecurity, CapViewAudit, CapImport, CapExport, CapAPI, CapUnmask, CapTransfer}

// Field levels below editable (the default).
const (
	FieldHidden   = "hidden"
	FieldReadOnly = "read_only"
	FieldEditable = "editable"
)

// ObjectPerms are the actions allowed on one object.
type ObjectPerms struct {
	Create    bool `json:"create"`
	Read      bool `json:"read"`
	Edit      bool `json:"edit"`
	Delete    bool `json:"delete"`
	ViewAll   bool `json:"view_all"`
	ModifyAll bool `json:"modify_all"`
}

// Allows reports whether act is allowed. modify_all implies view_all, and
// each implies the plain action, as in every CRM's permission model.
func (p ObjectPerms) Allows(act string) bool {
	switch act {
	case ActCreate:
		return p.Create
	case ActRead:
		return p.Read || p.ViewAll || p.ModifyAll
	case ActEdit:
		return p.Edit || p.ModifyAll
	case ActDelete:
		return p.Delete || p.ModifyAll
	case ActViewAll:
		return p.ViewAll || p.ModifyAll
	case ActModifyAll:
		return p.ModifyAll
	}
	return false
}

func (p *ObjectPerms) set(act string) {
	switch act {
	case ActCreate:
		p.Create = true
	case ActRead:
		p.Read = true
	case ActEdit:
		p.Edit = true
	case ActDelete:
		p.Delete = true
	case ActViewAll:
		p.ViewAll = true
	case ActModifyAll:
		p.ModifyAll = true
	case "*":
		*p = ObjectPerms{true, true, true, true, true, true}
	}
}

func (p ObjectPerms) or(q ObjectPerms) ObjectPerms {
	return ObjectPerms{p.Create || q.Create, p.Read || q.Read, p.Edit || q.Edit, p.Delete || q.Delete, p.ViewAll || q.ViewAll, p.ModifyAll || q.ModifyAll}
}

// Grant is what one caller may do, compiled from their permission sets and
// their place in the organisation. It is immutable and shared between the
// requests of the caller.
type Grant struct {
	TenantID string
	UserID   string
	// Admin holds every permission and sees every record.
	Admin bool
	// perms is shared by every caller with the same permission sets.
	perms *permissions
	// Record access: the owners whose records the hierarchy opens (the
	// caller and the users in roles below theirs), and the grantee keys
	// that shares and sharing rules may name to reach the caller.
	Subordinates []string
	Grantees     []string
	RoleID       string
	RolePath     string
	// TeamShare is the part of the tenant's users the hierarchy opens to
	// the caller (1 for the top of the tree).
	TeamShare float64
	org       *Org
}

// IsActiveUser reports whether id is an active user of the tenant: only
// they can own records.
func (g *Grant) IsActiveUser(id string) bool {
	if g.org == nil {
		return false
	}
	m := g.org.Members[id]
	return m != nil && m.Status == "active"
}

// MayReassign reports whether the caller may give a record of object owned
// by owner to someone else: its owner, a manager above the owner, holders
// of modify_all or of the transfer capability.
func (g *Grant) MayReassign(object, owner string) bool {
	if g.Admin || g.Has(CapTransfer) || g.Can(object, ActModifyAll) {
		return true
	}
	return slices.Contains(g.Subordinates, owner)
}

// View returns the snapshot as the caller may see it (hidden fields left
// out).
func (g *Grant) View(snap *metadata.Snapshot) *metadata.Snapshot {
	if g == nil || g.Admin || len(g.perms.fields) == 0 {
		return snap
	}
	return snap.View(g.perms.key, func(object, field string) bool { return g.perms.fields[object][field] == FieldHidden })
}

// permissions is the union of a set of permission sets.
type permissions struct {
	key     string // the sorted set names: identical keys share projections
	sets    []string
	all     ObjectPerms // from "*" policies
	objects map[string]ObjectPerms
	caps    map[string]bool
	// fields holds the effective level of restricted fields only.
	fields map[string]map[string]string
}

// Object returns the actions allowed on object.
func (g *Grant) Object(object string) ObjectPerms {
	if g.Admin {
		return ObjectPerms{true, true, true, true, true, true}
	}
	return g.perms.all.or(g.perms.objects[object])
}

// Can reports whether act is allowed on object.
func (g *Grant) Can(object, act string) bool { return g.Object(object).Allows(act) }

// Has reports whether the caller holds a capability.
func (g *Grant) Has(capability string) bool {
	return g.Admin || g.perms.caps["*"] || g.perms.caps[capability]
}

// FieldLevel returns hidden, read_only or editable.
func (g *Grant) FieldLevel(object, field string) string {
	if g.Admin {
		return FieldEditable
	}
	if l, ok := g.perms.fields[object][field]; ok {
		return l
	}
	return FieldEditable
}

// RestrictedFields returns an object's hidden and read-only fields.
func (g *Grant) RestrictedFields(object string) map[string]string {
	if g.Admin {
		return nil
	}
	return g.perms.fields[object]
}

// FieldKey identifies the caller's field-level security: callers with the
// same key see the same fields.
func (g *Grant) FieldKey() string {
	if g.Admin {
		return "admin"
	}
	return g.perms.key
}

// PermissionSets returns the names of the caller's permission sets.
func (g *Grant) PermissionSets() []string {
	if g.perms == nil {
		return nil
	}
	return slices.Clone(g.perms.sets)
}

// Summary is the caller's permissions as the web app needs them.
type Summary struct {
	Admin        bool                         `json:"admin"`
	Capabilities []string                     `json:"capabilities"`
	Objects      map[string]ObjectPerms       `json:"objects"`
	Fields       map[string]map[string]string `json:"fields"`
}

// Summarize lists the caller's permissions on the given objects.
func (g *Grant) Summarize(objects []string) Summary {
	s := Summary{Admin: g.Admin, Capabilities: []string{}, Objects: map[string]ObjectPerms{}, Fields: map[string]map[string]string{}}
	for _, c := range Capabilities {
		if g.Has(c) {
			s.Capabilities = append(s.Capabilities, c)
		}
	}
	for _, o := range objects {
		p := g.Object(o)
		s.Objects[o] = ObjectPerms{p.Allows(ActCreate), p.Allows(ActRead), p.Allows(ActEdit), p.Allows(ActDelete), p.Allows(ActViewAll), p.Allows(ActModifyAll)}
		if f := g.RestrictedFields(o); len(f) > 0 {
			s.Fields[o] = f
		}
	}
	return s
}

// Require returns a 403 problem unless the caller may act on object.
func (g *Grant) Require(object, act string) error {
	if g.Can(object, act) {
		return nil
	}
	return problem.Forbidden(fmt.Sprintf("your permission sets do not allow %s on %s", act, object))
}

// RequireCapability returns a 403 problem unless the caller holds it.
func (g *Grant) RequireCapability(capability string) error {
	if g.Has(capability) {
		return nil
	}
	return problem.Forbidden(fmt.Sprintf("this action needs the %s capability", capability))
}

type grantKey struct{}

// WithGrant returns ctx carrying g.
func WithGrant(ctx context.Context, g *Grant) context.Context {
	return context.WithValue(ctx, grantKey{}, g)
}

// FromContext returns the caller's grant, or nil for work no user started.
func FromContext(ctx context.Context) *Grant {
	g, _ := ctx.Value(grantKey{}).(*Grant)
	return g
}

// MayShare reports whether the caller may share a record of object owned
// by owner: its owner, a manager above the owner, or a modify_all holder.
func (g *Grant) MayShare(object, owner string) bool {
	return g.Admin || g.Can(object, ActModifyAll) || slices.Contains(g.Subordinates, owner)
}

// GranteeName returns the display name of a grantee, and whether it
// exists in the tenant.
func (g *Grant) GranteeName(typ, id string) (string, bool) {
	if g.org == nil {
		return "", false
	}
	switch typ {
	case metadata.GranteeUser:
		if m := g.org.Members[id]; m != nil {
			return m.Name, true
		}
	case metadata.GranteeUnit:
		if u := g.org.Units[id]; u != nil {
			return u.Name, true
		}
	case metadata.GranteeRole, metadata.GranteeRoleAndSubordinates:
		if r := g.org.Roles[id]; r != nil {
			return r.Name, true
		}
	}
	return "", false
}

// UserName returns a user's name, or "".
func (g *Grant) UserName(id string) string {
	if g.org == nil || g.org.Members[id] == nil {
		return ""
	}
	return g.org.Members[id].Name
}

// Profile is the caller's place in the organisation, as expressions see
// it in $user: the role's api name, the unit's name and the manager's id.
func (g *Grant) Profile() (role, unit, manager string) {
	if g == nil || g.org == nil {
		return "", "", ""
	}
	m := g.org.Members[g.UserID]
	if m == nil {
		return "", "", ""
	}
	if m.RoleID != nil {
		if r := g.org.Roles[*m.RoleID]; r != nil {
			role = r.APIName
		}
	}
	if m.UnitID != nil {
		if u := g.org.Units[*m.UnitID]; u != nil {
			unit = u.Name
		}
	}
	if m.ManagerID != nil {
		manager = *m.ManagerID
	}
	return role, unit, manager
}
