package access

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/tessera-crm/tessera/internal/database"
	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/metadata"
)

// Role is a position in the visibility hierarchy.
type Role struct {
	ID        string    `json:"id"`
	APIName   string    `json:"api_name"`
	Name      string    `json:"name"`
	ParentID  *string   `json:"parent_id"`
	UserCount int       `json:"user_count"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Unit is a department or team.
type Unit struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Kind      string    `json:"kind"`
	ParentID  *string   `json:"parent_id"`
	UserCount int       `json:"user_count"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Member is a user's place in the organisation.
type Member struct {
	ID        string
	Name      string
	Status    string
	RoleID    *string
	UnitID    *string
	ManagerID *string
}

// Org is a tenant's organisation as loaded for access decisions.
type Org struct {
	Roles   map[string]*Role
	Units   map[string]*Unit
	Members map[string]*Member
	// children lists each role's direct child roles; usersByRole its users.
	children    map[string][]string
	usersByRole map[string][]string
}

func loadOrg(ctx context.Context, db *database.DB, tenantID string) (*Org, error) {
	conn := db.Gorm.WithContext(ctx)
	var roles []*Role
	if err := conn.Raw(`SELECT id, api_name, name, parent_id, created_at, updated_at FROM roles WHERE tenant_id = ?`, tenantID).Scan(&roles).Error; err != nil {
		return nil, fmt.Errorf("load roles: %w", err)
	}
	var units []*Unit
	if err := conn.Raw(`SELECT id, name, kind, parent_id, created_at, updated_at FROM org_units WHERE tenant_id = ?`, tenantID).Scan(&units).Error; err != nil {
		return nil, fmt.Errorf("load org units: %w", err)
	}
	var members []*Member
	if err := conn.Raw(`SELECT id, name, status, role_id, unit_id, manager_id FROM users WHERE tenant_id = ?`, tenantID).Scan(&members).Error; err != nil {
		return nil, fmt.Errorf("load members: %w", err)
	}
	o := &Org{Roles: map[string]*Role{}, Units: map[string]*Unit{}, Members: map[string]*Member{}, children: map[string][]string{}, usersByRole: map[string][]string{}}
	for _, r := range roles {
		o.Roles[r.ID] = r
		if r.ParentID != nil {
			o.children[*r.ParentID] = append(o.children[*r.ParentID], r.ID)
		}
	}
	for _, u := range units {
		o.Units[u.ID] = u
	}
	for _, m := range members {
		o.Members[m.ID] = m
		if m.RoleID != nil {
			o.usersByRole[*m.RoleID] = append(o.usersByRole[*m.RoleID], m.ID)
			if r := o.Roles[*m.RoleID]; r != nil {
				r.UserCount++
			}
		}
		if m.UnitID != nil {
			if u := o.Units[*m.UnitID]; u != nil {
				u.UserCount++
			}
		}
	}
	return o, nil
}

// reach returns what record access needs about a user: their role, the
// owners whose records the hierarchy opens to them (themselves and every
// user in a role below theirs) and the grantee keys that reach them.
func (o *Org) reach(userID string) (roleID string, owners, grantees []string) {
	owners = []string{userID}
	grantees = []string{GranteeKey(metadata.GranteeUser, userID)}
	m := o.Members[userID]
	if m == nil {
		return "", owners, grantees
	}
	if m.RoleID != nil && o.Roles[*m.RoleID] != nil {
		roleID = *m.RoleID
		grantees = append(grantees, GranteeKey(metadata.GranteeRole, roleID))
		for _, id := range o.roleAncestry(roleID) {
			grantees = append(grantees, GranteeKey(metadata.GranteeRoleAndSubordinates, id))
		}
		for _, below := range o.descendantRoles(roleID) {
			owners = append(owners, o.usersByRole[below]...)
		}
	}
	if m.UnitID != nil {
		for _, id := range o.unitAncestry(*m.UnitID) {
			grantees = append(grantees, GranteeKey(metadata.GranteeUnit, id))
		}
	}
	slices.Sort(owners[1:])
	return roleID, owners, grantees
}

// GranteeKey is how shares store their grantee: a short type tag and id.
func GranteeKey(typ, id string) string {
	switch typ {
	case metadata.GranteeUser:
		return "u:" + id
	case metadata.GranteeUnit:
		return "g:" + id
	case metadata.GranteeRole:
		return "r:" + id
	case metadata.GranteeRoleAndSubordinates:
		return "rs:" + id
	}
	return ""
}

// ParseGranteeKey reverses GranteeKey.
func ParseGranteeKey(key string) metadata.Grantee {
	tag, id, _ := strings.Cut(key, ":")
	switch tag {
	case "u":
		return metadata.Grantee{Type: metadata.GranteeUser, ID: id}
	case "g":
		return metadata.Grantee{Type: metadata.GranteeUnit, ID: id}
	case "r":
		return metadata.Grantee{Type: metadata.GranteeRole, ID: id}
	case "rs":
		return metadata.Grantee{Type: metadata.GranteeRoleAndSubordinates, ID: id}
	}
	return metadata.Grantee{}
}

// RolePath is the role's place in the tree as the ids from the top role
// down to it, each followed by a slash: "/ceo-id/vp-id/". A path is a
// prefix of the paths of every role below it.
func (o *Org) RolePath(id string) string {
	up := o.roleAncestry(id)
	if len(up) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteByte('/')
	for i := len(up) - 1; i >= 0; i-- {
		b.WriteString(up[i])
		b.WriteByte('/')
	}
	return b.String()
}

// SyncMembers rewrites the tenant's _members table from the organisation
// as it is inside ctx's transaction. Organisation changes are rare and
// small (a thousand users is a thousand short rows), so the whole mirror is
// rewritten rather than patched.
func (s *Service) SyncMembers(ctx context.Context, tenantID string) error {
	if s.db.Dialect.SupportsForUpdate() {
		// Two organisation changes at once would each rewrite the mirror
		// from what they saw; the tenant row serialises them, and each
		// statement after the lock sees the other's committed change. NO
		// KEY UPDATE, because the users rows the change already wrote hold
		// KEY SHARE on the tenant row (their foreign key): FOR UPDATE would
		// deadlock two such changes.
		if err := s.db.Conn(ctx).Exec(`SELECT id FROM tenants WHERE id = ? FOR NO KEY UPDATE`, tenantID).Error; err != nil {
			return fmt.Errorf("lock tenant: %w", err)
		}
	}
	org, err := loadOrg(ctx, s.dbIn(ctx), tenantID)
	if err != nil {
		return err
	}
	key, err := s.tenantKey(ctx, tenantID)
	if err != nil {
		return err
	}
	table := s.db.Dialect.Table(key, metadata.TableMembers)
	conn := s.db.Conn(ctx)
	if err := conn.Exec(`DELETE FROM ` + table).Error; err != nil {
		return fmt.Errorf("clear members: %w", err)
	}
	var rows []string
	var args []any
	flush := func() error {
		if len(rows) == 0 {
			return nil
		}
		err := conn.Exec(`INSERT INTO `+table+` (user_id, role_path) VALUES `+strings.Join(rows, ", "), args...).Error
		rows, args = rows[:0], args[:0]
		if err != nil {
			return fmt.Errorf("write members: %w", err)
		}
		return nil
	}
	for id, m := range org.Members {
		if m.RoleID == nil {
			continue
		}
		path := org.RolePath(*m.RoleID)
		if path == "" {
			continue
		}
		rows = append(rows, "(?, ?)")
		args = append(args, id, path)
		if len(rows) == 400 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// roleAncestry is the role and every role above it, nearest first. The
// walk is bounded so that a cycle (which writes refuse) cannot hang it.
func (o *Org) roleAncestry(id string) []string {
	var out []string
	for i := 0; id != "" && i < 64; i++ {
		r := o.Roles[id]
		if r == nil {
			break
		}
		out = append(out, id)
		if r.ParentID == nil {
			break
		}
		id = *r.ParentID
	}
	return out
}

func (o *Org) unitAncestry(id string) []string {
	var out []string
	for i := 0; id != "" && i < 64; i++ {
		u := o.Units[id]
		if u == nil {
			break
		}
		out = append(out, id)
		if u.ParentID == nil {
			break
		}
		id = *u.ParentID
	}
	return out
}

// descendantRoles are the roles strictly below id.
func (o *Org) descendantRoles(id string) []string {
	var out []string
	queue := slices.Clone(o.children[id])
	seen := map[string]bool{id: true}
	for len(queue) > 0 {
		r := queue[0]
		queue = queue[1:]
		if seen[r] {
			continue
		}
		seen[r] = true
		out = append(out, r)
		queue = append(queue, o.children[r]...)
	}
	return out
}

// Org returns the tenant's organisation (shared; do not modify).
func (s *Service) Org(ctx context.Context, tenantID string) (*Org, error) {
	b, err := s.bundle(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	return b.org, nil
}

// ------------------------------------------------------------ roles

// RoleInput creates or changes a role; nil leaves a value alone on change.
type RoleInput struct {
	APIName  *string `json:"api_name"`
	Name     *string `json:"name"`
	ParentID *string `json:"parent_id"`
	// ClearParent moves the role to the top (JSON "parent_id": null is
	// indistinguishable from absent in Go; the handler sets this).
	ClearParent bool `json:"-"`
}

// ListRoles returns the tenant's roles by name.
func (s *Service) ListRoles(ctx context.Context, tenantID string) ([]*Role, error) {
	org, err := s.Org(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	out := make([]*Role, 0, len(org.Roles))
	for _, r := range org.Roles {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b *Role) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

func checkName(name *string, errs []problem.FieldError) []problem.FieldError {
	if name != nil {
		*name = strings.TrimSpace(*name)
		if *name == "" || len([]rune(*name)) > 120 {
			errs = append(errs, problem.FieldError{Field: "name", Code: problem.CodeInvalidValue, Message: "name must be 1 to 120 characters"})
		}
	}
	return errs
}

// CreateRole adds a role.
func (s *Service) CreateRole(ctx context.Context, tenantID string, in RoleInput) (*Role, error) {
	var errs []problem.FieldError
	if in.APIName == nil {
		errs = append(errs, problem.FieldError{Field: "api_name", Code: problem.CodeRequired, Message: "api_name is required"})
	} else if why := metadata.ValidateAPIName(*in.APIName); why != "" {
		errs = append(errs, problem.FieldError{Field: "api_name", Code: problem.CodeInvalidValue, Message: "api_name " + why})
	}
	if in.Name == nil {
		errs = append(errs, problem.FieldError{Field: "name", Code: problem.CodeRequired, Message: "name is required"})
	}
	errs = checkName(in.Name, errs)
	if len(errs) > 0 {
		return nil, problem.Invalid("the role is not valid", errs...)
	}
	now := s.now()
	r := &Role{ID: uuid.Must(uuid.NewV7()).String(), APIName: *in.APIName, Name: *in.Name, CreatedAt: now, UpdatedAt: now}
	err := s.changeOrg(ctx, tenantID, func(ctx context.Context, org *Org) error {
		if in.ParentID != nil {
			if org.Roles[*in.ParentID] == nil {
				return problem.Field("parent_id", problem.CodeInvalidValue, "parent_id is not a role of this tenant")
			}
			r.ParentID = in.ParentID
		}
		err := s.db.Conn(ctx).Exec(`INSERT INTO roles (tenant_id, id, api_name, name, parent_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			tenantID, r.ID, r.APIName, r.Name, r.ParentID, r.CreatedAt, r.UpdatedAt).Error
		if database.IsUniqueViolation(err) {
			return problem.Unique("api_name")
		}
		if err != nil {
			return fmt.Errorf("insert role: %w", err)
		}
		return s.audit(ctx, tenantID, "role.create", "role", r.ID, "created role "+r.Name, nil, r)
	})
	return r, err
}

// UpdateRole renames or moves a role; a move under itself is refused.
func (s *Service) UpdateRole(ctx context.Context, tenantID, id string, in RoleInput) (*Role, error) {
	errs := checkName(in.Name, nil)
	if in.APIName != nil {
		errs = append(errs, problem.FieldError{Field: "api_name", Code: problem.CodeReadOnly, Message: "api_name cannot change"})
	}
	if len(errs) > 0 {
		return nil, problem.Invalid("the role is not valid", errs...)
	}
	var out *Role
	err := s.changeOrg(ctx, tenantID, func(ctx context.Context, org *Org) error {
		cur := org.Roles[id]
		if cur == nil {
			return problem.NotFound("role %s does not exist", id)
		}
		before := *cur
		r := *cur
		if in.Name != nil {
			r.Name = *in.Name
		}
		if in.ClearParent {
			r.ParentID = nil
		} else if in.ParentID != nil {
			if org.Roles[*in.ParentID] == nil {
				return problem.Field("parent_id", problem.CodeInvalidValue, "parent_id is not a role of this tenant")
			}
			if slices.Contains(org.roleAncestry(*in.ParentID), id) {
				return problem.Field("parent_id", problem.CodeInvalidValue, "a role cannot be moved under itself or a role below it")
			}
			r.ParentID = in.ParentID
		}
		r.UpdatedAt = s.now()
		if err := s.db.Conn(ctx).Exec(`UPDATE roles SET name = ?, parent_id = ?, updated_at = ? WHERE tenant_id = ? AND id = ?`,
			r.Name, r.ParentID, r.UpdatedAt, tenantID, id).Error; err != nil {
			return fmt.Errorf("update role: %w", err)
		}
		out = &r
		return s.audit(ctx, tenantID, "role.update", "role", id, "changed role "+r.Name, before, r)
	})
	return out, err
}

// DeleteRole removes a role without users or child roles.
func (s *Service) DeleteRole(ctx context.Context, tenantID, id string) error {
	return s.changeOrg(ctx, tenantID, func(ctx context.Context, org *Org) error {
		r := org.Roles[id]
		if r == nil {
			return problem.NotFound("role %s does not exist", id)
		}
		if n := len(org.usersByRole[id]); n > 0 {
			return problem.Conflict(problem.CodeReferenced, "%d user(s) have role %s; give them another role first", n, r.Name)
		}
		if n := len(org.children[id]); n > 0 {
			return problem.Conflict(problem.CodeReferenced, "role %s has %d role(s) below it; move or delete them first", r.Name, n)
		}
		if err := s.db.Conn(ctx).Exec(`DELETE FROM roles WHERE tenant_id = ? AND id = ?`, tenantID, id).Error; err != nil {
			return fmt.Errorf("delete role: %w", err)
		}
		return s.audit(ctx, tenantID, "role.delete", "role", id, "deleted role "+r.Name, r, nil)
	})
}

// ------------------------------------------------------------ units

// Unit kinds.
const (
	UnitDepartment = "department"
	UnitTeam       = "team"
)

// UnitInput creates or changes an org unit.
type UnitInput struct {
	Name        *string `json:"name"`
	Kind        *string `json:"kind"`
	ParentID    *string `json:"parent_id"`
	ClearParent bool    `json:"-"`
}

// ListUnits returns the tenant's org units by name.
func (s *Service) ListUnits(ctx context.Context, tenantID string) ([]*Unit, error) {
	org, err := s.Org(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	out := make([]*Unit, 0, len(org.Units))
	for _, u := range org.Units {
		out = append(out, u)
	}
	slices.SortFunc(out, func(a, b *Unit) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

func checkKind(kind *string, errs []problem.FieldError) []problem.FieldError {
	if kind != nil && *kind != UnitDepartment && *kind != UnitTeam {
		errs = append(errs, problem.FieldError{Field: "kind", Code: problem.CodeInvalidValue, Message: "kind must be department or team"})
	}
	return errs
}

// CreateUnit adds an org unit.
func (s *Service) CreateUnit(ctx context.Context, tenantID string, in UnitInput) (*Unit, error) {
	var errs []problem.FieldError
	if in.Name == nil {
		errs = append(errs, problem.FieldError{Field: "name", Code: problem.CodeRequired, Message: "name is required"})
	}
	errs = checkKind(in.Kind, checkName(in.Name, errs))
	if len(errs) > 0 {
		return nil, problem.Invalid("the unit is not valid", errs...)
	}
	now := s.now()
	u := &Unit{ID: uuid.Must(uuid.NewV7()).String(), Name: *in.Name, Kind: UnitDepartment, CreatedAt: now, UpdatedAt: now}
	if in.Kind != nil {
		u.Kind = *in.Kind
	}
	err := s.changeOrg(ctx, tenantID, func(ctx context.Context, org *Org) error {
		if in.ParentID != nil {
			if org.Units[*in.ParentID] == nil {
				return problem.Field("parent_id", problem.CodeInvalidValue, "parent_id is not an org unit of this tenant")
			}
			u.ParentID = in.ParentID
		}
		if err := s.db.Conn(ctx).Exec(`INSERT INTO org_units (tenant_id, id, name, kind, parent_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			tenantID, u.ID, u.Name, u.Kind, u.ParentID, u.CreatedAt, u.UpdatedAt).Error; err != nil {
			return fmt.Errorf("insert org unit: %w", err)
		}
		return s.audit(ctx, tenantID, "unit.create", "unit", u.ID, "created "+u.Kind+" "+u.Name, nil, u)
	})
	return u, err
}

// UpdateUnit renames, re-kinds or moves an org unit.
func (s *Service) UpdateUnit(ctx context.Context, tenantID, id string, in UnitInput) (*Unit, error) {
	if errs := checkKind(in.Kind, checkName(in.Name, nil)); len(errs) > 0 {
		return nil, problem.Invalid("the unit is not valid", errs...)
	}
	var out *Unit
	err := s.changeOrg(ctx, tenantID, func(ctx context.Context, org *Org) error {
		cur := org.Units[id]
		if cur == nil {
			return problem.NotFound("org unit %s does not exist", id)
		}
		before := *cur
		u := *cur
		if in.Name != nil {
			u.Name = *in.Name
		}
		if in.Kind != nil {
			u.Kind = *in.Kind
		}
		if in.ClearParent {
			u.ParentID = nil
		} else if in.ParentID != nil {
			if org.Units[*in.ParentID] == nil {
				return problem.Field("parent_id", problem.CodeInvalidValue, "parent_id is not an org unit of this tenant")
			}
			if slices.Contains(org.unitAncestry(*in.ParentID), id) {
				return problem.Field("parent_id", problem.CodeInvalidValue, "a unit cannot be moved under itself or a unit below it")
			}
			u.ParentID = in.ParentID
		}
		u.UpdatedAt = s.now()
		if err := s.db.Conn(ctx).Exec(`UPDATE org_units SET name = ?, kind = ?, parent_id = ?, updated_at = ? WHERE tenant_id = ? AND id = ?`,
			u.Name, u.Kind, u.ParentID, u.UpdatedAt, tenantID, id).Error; err != nil {
			return fmt.Errorf("update org unit: %w", err)
		}
		out = &u
		return s.audit(ctx, tenantID, "unit.update", "unit", id, "changed "+u.Kind+" "+u.Name, before, u)
	})
	return out, err
}

// DeleteUnit removes an org unit without users or child units.
func (s *Service) DeleteUnit(ctx context.Context, tenantID, id string) error {
	return s.changeOrg(ctx, tenantID, func(ctx context.Context, org *Org) error {
		u := org.Units[id]
		if u == nil {
			return problem.NotFound("org unit %s does not exist", id)
		}
		if u.UserCount > 0 {
			return problem.Conflict(problem.CodeReferenced, "%d user(s) belong to %s; move them first", u.UserCount, u.Name)
		}
		for _, other := range org.Units {
			if other.ParentID != nil && *other.ParentID == id {
				return problem.Conflict(problem.CodeReferenced, "%s has units below it; move or delete them first", u.Name)
			}
		}
		if err := s.db.Conn(ctx).Exec(`DELETE FROM org_units WHERE tenant_id = ? AND id = ?`, tenantID, id).Error; err != nil {
			return fmt.Errorf("delete org unit: %w", err)
		}
		return s.audit(ctx, tenantID, "unit.delete", "unit", id, "deleted "+u.Kind+" "+u.Name, u, nil)
	})
}

// ------------------------------------------------------------ members

// Placement changes a user's place in the organisation and their
// permission sets; nil leaves a value alone, Clear* empties it.
type Placement struct {
	RoleID         *string   `json:"role_id"`
	UnitID         *string   `json:"unit_id"`
	ManagerID      *string   `json:"manager_id"`
	PermissionSets *[]string `json:"permission_sets"`
	ClearRole      bool      `json:"-"`
	ClearUnit      bool      `json:"-"`
	ClearManager   bool      `json:"-"`
}

// Empty reports whether the placement changes nothing.
func (p Placement) Empty() bool {
	return p.RoleID == nil && p.UnitID == nil && p.ManagerID == nil && p.PermissionSets == nil && !p.ClearRole && !p.ClearUnit && !p.ClearManager
}

// Place applies a placement to a user inside the caller's transaction (the
// user may have been created in it). Call Changed after the commit.
func (s *Service) Place(ctx context.Context, tenantID, userID string, p Placement) error {
	org, err := loadOrg(ctx, s.dbIn(ctx), tenantID)
	if err != nil {
		return err
	}
	var errs []problem.FieldError
	conn := s.db.Conn(ctx)
	if p.RoleID != nil && org.Roles[*p.RoleID] == nil {
		errs = append(errs, problem.FieldError{Field: "role_id", Code: problem.CodeInvalidValue, Message: "role_id is not a role of this tenant"})
	}
	if p.UnitID != nil && org.Units[*p.UnitID] == nil {
		errs = append(errs, problem.FieldError{Field: "unit_id", Code: problem.CodeInvalidValue, Message: "unit_id is not an org unit of this tenant"})
	}
	if p.ManagerID != nil {
		if org.Members[*p.ManagerID] == nil {
			errs = append(errs, problem.FieldError{Field: "manager_id", Code: problem.CodeInvalidValue, Message: "manager_id is not a user of this tenant"})
		} else if managerCycle(org, userID, *p.ManagerID) {
			errs = append(errs, problem.FieldError{Field: "manager_id", Code: problem.CodeInvalidValue, Message: "a user cannot report to themselves or to someone who reports to them"})
		}
	}
	if p.PermissionSets != nil {
		if fe := s.checkSets(ctx, tenantID, *p.PermissionSets, "permission_sets"); fe != nil {
			errs = append(errs, *fe)
		}
	}
	if len(errs) > 0 {
		return problem.Invalid("the user's placement is not valid", errs...)
	}
	set := func(col string, v *string, clear bool) error {
		if v == nil && !clear {
			return nil
		}
		var val any
		if v != nil && !clear {
			val = *v
		}
		if err := conn.Exec(`UPDATE users SET `+col+` = ? WHERE tenant_id = ? AND id = ?`, val, tenantID, userID).Error; err != nil {
			return fmt.Errorf("set %s: %w", col, err)
		}
		return nil
	}
	if err := set("role_id", p.RoleID, p.ClearRole); err != nil {
		return err
	}
	if err := set("unit_id", p.UnitID, p.ClearUnit); err != nil {
		return err
	}
	if err := set("manager_id", p.ManagerID, p.ClearManager); err != nil {
		return err
	}
	if p.PermissionSets != nil {
		if err := s.assign(ctx, tenantID, userSubject(userID), *p.PermissionSets); err != nil {
			return err
		}
	}
	if p.RoleID != nil || p.ClearRole {
		if err := s.SyncMembers(ctx, tenantID); err != nil {
			return err
		}
	}
	return s.audit(ctx, tenantID, "user.placement", "user", userID, "changed the organisation or permission sets of a user", nil, p)
}

func managerCycle(org *Org, userID, managerID string) bool {
	id := managerID
	for i := 0; i < 256 && id != ""; i++ {
		if id == userID {
			return true
		}
		m := org.Members[id]
		if m == nil || m.ManagerID == nil {
			return false
		}
		id = *m.ManagerID
	}
	return true
}

// changeOrg runs fn in a transaction with the tenant's organisation as it
// is inside it, and drops the caches after the commit.
func (s *Service) changeOrg(ctx context.Context, tenantID string, fn func(ctx context.Context, org *Org) error) error {
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		org, err := loadOrg(ctx, s.dbIn(ctx), tenantID)
		if err != nil {
			return err
		}
		if err := fn(ctx, org); err != nil {
			return err
		}
		return s.SyncMembers(ctx, tenantID)
	})
	if err != nil {
		return err
	}
	s.Changed(ctx, tenantID)
	return nil
}

// dbIn returns a view of the database whose Gorm handle is ctx's
// transaction, for loaders that must see uncommitted changes.
func (s *Service) dbIn(ctx context.Context) *database.DB {
	return &database.DB{Gorm: s.db.Conn(ctx), Dialect: s.db.Dialect, URL: s.db.URL}
}
