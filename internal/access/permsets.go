package access

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	gormadapter "github.com/casbin/gorm-adapter/v3"

	"github.com/tessera-crm/tessera/internal/audit"
	"github.com/tessera-crm/tessera/internal/database"
	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/metadata"
)

// SystemAdminSet is the built-in set that allows everything.
const SystemAdminSet = "system_admin"

// PermissionSet is a named bundle of permissions.
type PermissionSet struct {
	APIName      string                       `json:"api_name"`
	Name         string                       `json:"name"`
	Description  string                       `json:"description"`
	System       bool                         `json:"system"`
	Default      bool                         `json:"default"`
	UserCount    int                          `json:"user_count"`
	Capabilities []string                     `json:"capabilities"`
	Objects      map[string]ObjectPerms       `json:"objects"`
	Fields       map[string]map[string]string `json:"fields"`
	CreatedAt    time.Time                    `json:"created_at"`
	UpdatedAt    time.Time                    `json:"updated_at"`
}

type setRow struct {
	APIName     string
	Name        string
	Description string
	System      bool
	IsDefault   bool
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// ListPermissionSets returns the tenant's sets (without their rules).
func (s *Service) ListPermissionSets(ctx context.Context, tenantID string) ([]PermissionSet, error) {
	var rows []setRow
	if err := s.db.Conn(ctx).Raw(`SELECT api_name, name, description, system, is_default, created_at, updated_at FROM permission_sets WHERE tenant_id = ? ORDER BY name`, tenantID).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("list permission sets: %w", err)
	}
	b, err := s.bundle(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	out := make([]PermissionSet, 0, len(rows))
	for _, r := range rows {
		users, _ := b.enforcer.GetUsersForRole(setPrefix+r.APIName, tenantID)
		n := 0
		for _, u := range users {
			if strings.HasPrefix(u, userPrefix) {
				n++
			}
		}
		out = append(out, PermissionSet{APIName: r.APIName, Name: r.Name, Description: r.Description, System: r.System, Default: r.IsDefault, UserCount: n, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt})
	}
	return out, nil
}

// GetPermissionSet returns one set with its rules.
func (s *Service) GetPermissionSet(ctx context.Context, tenantID, name string) (*PermissionSet, error) {
	var rows []setRow
	if err := s.db.Conn(ctx).Raw(`SELECT api_name, name, description, system, is_default, created_at, updated_at FROM permission_sets WHERE tenant_id = ? AND api_name = ?`, tenantID, name).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("get permission set: %w", err)
	}
	if len(rows) == 0 {
		return nil, problem.NotFound("permission set %q does not exist", name)
	}
	b, err := s.bundle(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	r := rows[0]
	ps := &PermissionSet{APIName: r.APIName, Name: r.Name, Description: r.Description, System: r.System, Default: r.IsDefault, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
		Capabilities: []string{}, Objects: map[string]ObjectPerms{}, Fields: map[string]map[string]string{}}
	rules, _ := b.enforcer.GetFilteredPolicy(0, setPrefix+name, tenantID)
	for _, rule := range rules {
		ps.apply(rule[2], rule[3])
	}
	slices.Sort(ps.Capabilities)
	return ps, nil
}

func (ps *PermissionSet) apply(obj, act string) {
	switch {
	case obj == "*":
		ps.Capabilities = append(ps.Capabilities, "*")
	case strings.HasPrefix(obj, objectPrefix):
		o := ps.Objects[obj[len(objectPrefix):]]
		o.set(act)
		ps.Objects[obj[len(objectPrefix):]] = o
	case strings.HasPrefix(obj, fieldPrefix):
		object, field, _ := strings.Cut(obj[len(fieldPrefix):], ".")
		if ps.Fields[object] == nil {
			ps.Fields[object] = map[string]string{}
		}
		ps.Fields[object][field] = act
	case strings.HasPrefix(obj, capPrefix):
		ps.Capabilities = append(ps.Capabilities, obj[len(capPrefix):])
	}
}

// rules returns the casbin policies of the set.
func (ps *PermissionSet) rules(tenantID string) [][]string {
	sub := setPrefix + ps.APIName
	var out [][]string
	for _, c := range ps.Capabilities {
		if c == "*" {
			out = append(out, []string{sub, tenantID, "*", "*"})
			continue
		}
		out = append(out, []string{sub, tenantID, capPrefix + c, "allow"})
	}
	objects := make([]string, 0, len(ps.Objects))
	for o := range ps.Objects {
		objects = append(objects, o)
	}
	slices.Sort(objects)
	for _, o := range objects {
		p := ps.Objects[o]
		for _, act := range ObjectActions {
			if p.Allows(act) && p.has(act) {
				out = append(out, []string{sub, tenantID, objectPrefix + o, act})
			}
		}
	}
	for o, fs := range ps.Fields {
		for f, level := range fs {
			if level == FieldHidden || level == FieldReadOnly {
				out = append(out, []string{sub, tenantID, fieldPrefix + o + "." + f, level})
			}
		}
	}
	return out
}

// has reports whether act itself is set (not only implied).
func (p ObjectPerms) has(act string) bool {
	switch act {
	case ActCreate:
		return p.Create
	case ActRead:
		return p.Read
	case ActEdit:
		return p.Edit
	case ActDelete:
		return p.Delete
	case ActViewAll:
		return p.ViewAll
	case ActModifyAll:
		return p.ModifyAll
	}
	return false
}

// validate checks a set against the tenant's metadata.
func (ps *PermissionSet) validate(snap *metadata.Snapshot) error {
	var errs []problem.FieldError
	add := func(field, code, format string, args ...any) {
		errs = append(errs, problem.FieldError{Field: field, Code: code, Message: fmt.Sprintf(format, args...)})
	}
	if why := metadata.ValidateAPIName(ps.APIName); why != "" {
		add("api_name", problem.CodeInvalidValue, "api_name %s", why)
	}
	ps.Name = strings.TrimSpace(ps.Name)
	if ps.Name == "" || len([]rune(ps.Name)) > 120 {
		add("name", problem.CodeInvalidValue, "name must be 1 to 120 characters")
	}
	if len(ps.Description) > 2000 {
		add("description", problem.CodeTooLong, "description is at most 2000 characters")
	}
	for i, c := range ps.Capabilities {
		if !slices.Contains(Capabilities, c) {
			add(fmt.Sprintf("capabilities[%d]", i), problem.CodeInvalidValue, "%q is not a capability; one of %s", c, strings.Join(Capabilities, ", "))
		}
	}
	slices.Sort(ps.Capabilities)
	ps.Capabilities = slices.Compact(ps.Capabilities)
	for o := range ps.Objects {
		if snap.Object(o) == nil {
			add("objects."+o, problem.CodeUnknownObject, "there is no object %q", o)
		}
	}
	for o, fs := range ps.Fields {
		obj := snap.Object(o)
		if obj == nil {
			add("fields."+o, problem.CodeUnknownObject, "there is no object %q", o)
			continue
		}
		for f, level := range fs {
			field := obj.Field(f)
			switch {
			case field == nil:
				add("fields."+o+"."+f, problem.CodeUnknownField, "%s has no field %q", o, f)
			case level != FieldHidden && level != FieldReadOnly && level != FieldEditable:
				add("fields."+o+"."+f, problem.CodeInvalidValue, "the level must be hidden, read_only or editable")
			case level == FieldHidden && (field.Required || obj.NameField == f):
				add("fields."+o+"."+f, problem.CodeInvalidValue, "%s cannot be hidden: it is required or the object's name", f)
			}
		}
	}
	if len(errs) > 0 {
		return problem.Invalid("the permission set is not valid", errs...)
	}
	return nil
}

// PutPermissionSet creates (create) or replaces a set and its rules.
func (s *Service) PutPermissionSet(ctx context.Context, snap *metadata.Snapshot, ps PermissionSet, create bool) (*PermissionSet, error) {
	tenantID := snap.Tenant.ID
	if ps.Objects == nil {
		ps.Objects = map[string]ObjectPerms{}
	}
	if ps.Fields == nil {
		ps.Fields = map[string]map[string]string{}
	}
	if ps.Capabilities == nil {
		ps.Capabilities = []string{}
	}
	if err := ps.validate(snap); err != nil {
		return nil, err
	}
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		var before *PermissionSet
		now := s.now()
		conn := s.db.Conn(ctx)
		if create {
			err := conn.Exec(`INSERT INTO permission_sets (tenant_id, api_name, name, description, system, is_default, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
				tenantID, ps.APIName, ps.Name, ps.Description, false, ps.Default, now, now).Error
			if database.IsUniqueViolation(err) {
				return problem.Unique("api_name")
			}
			if err != nil {
				return fmt.Errorf("insert permission set: %w", err)
			}
		} else {
			cur, err := s.GetPermissionSet(ctx, tenantID, ps.APIName)
			if err != nil {
				return err
			}
			if cur.System {
				return problem.Conflict(problem.CodeProtected, "%s is a built-in permission set and cannot be changed", ps.APIName)
			}
			before = cur
			if err := conn.Exec(`UPDATE permission_sets SET name = ?, description = ?, is_default = ?, updated_at = ? WHERE tenant_id = ? AND api_name = ?`,
				ps.Name, ps.Description, ps.Default, now, tenantID, ps.APIName).Error; err != nil {
				return fmt.Errorf("update permission set: %w", err)
			}
		}
		if err := s.writeRules(ctx, tenantID, &ps); err != nil {
			return err
		}
		action := "permission_set.update"
		if create {
			action = "permission_set.create"
		}
		return s.audit(ctx, tenantID, action, "permission_set", ps.APIName, "saved permission set "+ps.Name, before, ps)
	})
	if err != nil {
		return nil, err
	}
	s.Changed(ctx, tenantID)
	return s.GetPermissionSet(ctx, tenantID, ps.APIName)
}

// writeRules replaces the set's policies inside ctx's transaction.
func (s *Service) writeRules(ctx context.Context, tenantID string, ps *PermissionSet) error {
	ad, err := s.adapter(ctx)
	if err != nil {
		return err
	}
	if err := ad.RemoveFilteredPolicyCtx(ctx, "p", "p", 0, setPrefix+ps.APIName, tenantID); err != nil {
		return fmt.Errorf("remove rules of %s: %w", ps.APIName, err)
	}
	if rules := ps.rules(tenantID); len(rules) > 0 {
		if err := ad.AddPolicies("p", "p", rules); err != nil {
			return fmt.Errorf("add rules of %s: %w", ps.APIName, err)
		}
	}
	return nil
}

// DeletePermissionSet removes a set, unassigning it from everyone.
func (s *Service) DeletePermissionSet(ctx context.Context, tenantID, name string) error {
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		cur, err := s.GetPermissionSet(ctx, tenantID, name)
		if err != nil {
			return err
		}
		if cur.System {
			return problem.Conflict(problem.CodeProtected, "%s is a built-in permission set and cannot be deleted", name)
		}
		ad, err := s.adapter(ctx)
		if err != nil {
			return err
		}
		if err := ad.RemoveFilteredPolicyCtx(ctx, "p", "p", 0, setPrefix+name, tenantID); err != nil {
			return fmt.Errorf("remove rules of %s: %w", name, err)
		}
		if err := ad.RemoveFilteredPolicyCtx(ctx, "g", "g", 1, setPrefix+name, tenantID); err != nil {
			return fmt.Errorf("unassign %s: %w", name, err)
		}
		if err := s.db.Conn(ctx).Exec(`DELETE FROM permission_sets WHERE tenant_id = ? AND api_name = ?`, tenantID, name).Error; err != nil {
			return fmt.Errorf("delete permission set: %w", err)
		}
		return s.audit(ctx, tenantID, "permission_set.delete", "permission_set", name, "deleted permission set "+cur.Name, cur, nil)
	})
	if err != nil {
		return err
	}
	s.Changed(ctx, tenantID)
	return nil
}

// adapter is a casbin adapter writing through ctx's transaction.
func (s *Service) adapter(ctx context.Context) (*gormadapter.Adapter, error) {
	ad, err := gormadapter.NewFilteredAdapterByDB(s.db.Conn(ctx), "", casbinTable)
	if err != nil {
		return nil, fmt.Errorf("casbin adapter: %w", err)
	}
	return ad, nil
}

// assign replaces the sets of a subject (a user or an API key).
func (s *Service) assign(ctx context.Context, tenantID, subject string, sets []string) error {
	ad, err := s.adapter(ctx)
	if err != nil {
		return err
	}
	if err := ad.RemoveFilteredPolicyCtx(ctx, "g", "g", 0, subject, "", tenantID); err != nil {
		return fmt.Errorf("unassign %s: %w", subject, err)
	}
	sets = slices.Compact(slices.Sorted(slices.Values(sets)))
	if len(sets) == 0 {
		return nil
	}
	rules := make([][]string, len(sets))
	for i, set := range sets {
		rules[i] = []string{subject, setPrefix + set, tenantID}
	}
	if err := ad.AddPolicies("g", "g", rules); err != nil {
		return fmt.Errorf("assign %s: %w", subject, err)
	}
	return nil
}

// AssignSets gives a user exactly the named sets, inside the caller's
// transaction. Call Changed after the commit.
func (s *Service) AssignSets(ctx context.Context, tenantID, userID string, sets []string) error {
	if fe := s.checkSets(ctx, tenantID, sets, "permission_sets"); fe != nil {
		return problem.Invalid("the permission sets are not valid", *fe)
	}
	return s.assign(ctx, tenantID, userSubject(userID), sets)
}

// checkSets reports the first name that is not a set of the tenant.
func (s *Service) checkSets(ctx context.Context, tenantID string, sets []string, field string) *problem.FieldError {
	if len(sets) == 0 {
		return nil
	}
	var known []string
	if err := s.db.Conn(ctx).Raw(`SELECT api_name FROM permission_sets WHERE tenant_id = ?`, tenantID).Scan(&known).Error; err != nil {
		return &problem.FieldError{Field: field, Code: problem.CodeInvalidValue, Message: "the permission sets could not be checked"}
	}
	for i, set := range sets {
		if !slices.Contains(known, set) {
			return &problem.FieldError{Field: fmt.Sprintf("%s[%d]", field, i), Code: problem.CodeInvalidValue, Message: fmt.Sprintf("%q is not a permission set", set)}
		}
	}
	return nil
}

// ValidateKeySets checks that an API key's sets are sets the user holds
// (an admin may choose any set).
func (s *Service) ValidateKeySets(ctx context.Context, tenantID, userID string, admin bool, sets []string) error {
	if fe := s.checkSets(ctx, tenantID, sets, "permission_sets"); fe != nil {
		return problem.Invalid("the permission sets are not valid", *fe)
	}
	if admin {
		return nil
	}
	b, err := s.bundle(ctx, tenantID)
	if err != nil {
		return err
	}
	held := b.setsOf(tenantID, userID)
	for i, set := range sets {
		if !slices.Contains(held, set) {
			return problem.Invalid("the permission sets are not valid", problem.FieldError{Field: fmt.Sprintf("permission_sets[%d]", i),
				Code: problem.CodeInvalidValue, Message: fmt.Sprintf("you do not hold %q, so a key of yours cannot", set)})
		}
	}
	return nil
}

// UserSets returns the sets assigned to each of the given users.
func (s *Service) UserSets(ctx context.Context, tenantID string, userIDs []string) (map[string][]string, error) {
	b, err := s.bundle(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	out := make(map[string][]string, len(userIDs))
	for _, id := range userIDs {
		out[id] = b.setsOf(tenantID, id)
	}
	return out, nil
}

// audit writes an entry for a change of the tenant's access settings.
func (s *Service) audit(ctx context.Context, tenantID, action, object, id, summary string, before, after any) error {
	key, err := s.tenantKey(ctx, tenantID)
	if err != nil {
		return err
	}
	return audit.Write(ctx, s.db, key, audit.Entry{Action: action, Object: object, RecordID: id, Summary: summary, Before: before, After: after})
}

func (s *Service) tenantKey(ctx context.Context, tenantID string) (string, error) {
	if k, ok := s.keys.Load(tenantID); ok {
		return k.(string), nil
	}
	var key string
	if err := s.db.Conn(ctx).Raw(`SELECT key FROM tenants WHERE id = ?`, tenantID).Scan(&key).Error; err != nil || key == "" {
		return "", fmt.Errorf("find tenant %s: %v", tenantID, err)
	}
	s.keys.Store(tenantID, key)
	return key, nil
}

// DefaultSets returns the sets new members get when none are chosen.
func (s *Service) DefaultSets(ctx context.Context, tenantID string) ([]string, error) {
	var out []string
	if err := s.db.Conn(ctx).Raw(`SELECT api_name FROM permission_sets WHERE tenant_id = ? AND is_default ORDER BY api_name`, tenantID).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("default permission sets: %w", err)
	}
	return out, nil
}
