package access

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/tessera-crm/tessera/metadata"
)

// Starter is the organisation and the permission sets a template installs
// with a new tenant.
type Starter struct {
	Roles          []StarterRole   `json:"roles"`
	PermissionSets []PermissionSet `json:"permission_sets"`
	// AdminRole is the role the tenant's first admin gets.
	AdminRole string `json:"admin_role"`
}

// StarterRole is a role of a template; Parent names another role of it
// that comes earlier.
type StarterRole struct {
	APIName string          `json:"api_name"`
	Labels  metadata.Labels `json:"labels"`
	Parent  string          `json:"parent,omitempty"`
}

// Provision installs the built-in administrator set, the starter's roles
// and sets, and places the first admin, inside the caller's transaction (the
// tenant's creation). snap is the tenant's metadata after the template.
func (s *Service) Provision(ctx context.Context, snap *metadata.Snapshot, st *Starter, adminID string) error {
	tenantID := snap.Tenant.ID
	now := s.now()
	conn := s.db.Conn(ctx)
	admin := PermissionSet{APIName: SystemAdminSet, Name: "System administrator", Description: "Everything, on every record.", System: true, Capabilities: []string{"*"}}
	sets := []PermissionSet{admin}
	if st != nil {
		for _, ps := range st.PermissionSets {
			if err := ps.validate(snap); err != nil {
				return fmt.Errorf("template permission set %s: %w", ps.APIName, err)
			}
			sets = append(sets, ps)
		}
	}
	for i := range sets {
		ps := &sets[i]
		if err := conn.Exec(`INSERT INTO permission_sets (tenant_id, api_name, name, description, system, is_default, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			tenantID, ps.APIName, ps.Name, ps.Description, ps.System, ps.Default, now, now).Error; err != nil {
			return fmt.Errorf("insert permission set %s: %w", ps.APIName, err)
		}
		if err := s.writeRules(ctx, tenantID, ps); err != nil {
			return err
		}
	}
	if err := s.assign(ctx, tenantID, userSubject(adminID), []string{SystemAdminSet}); err != nil {
		return err
	}
	if st == nil {
		return nil
	}
	ids := map[string]string{}
	for _, r := range st.Roles {
		id := uuid.Must(uuid.NewV7()).String()
		var parent any
		if r.Parent != "" {
			p, ok := ids[r.Parent]
			if !ok {
				return fmt.Errorf("template role %s: parent %s must come first", r.APIName, r.Parent)
			}
			parent = p
		}
		if err := conn.Exec(`INSERT INTO roles (tenant_id, id, api_name, name, parent_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			tenantID, id, r.APIName, r.Labels.Pick(snap.Tenant.Locale), parent, now, now).Error; err != nil {
			return fmt.Errorf("insert role %s: %w", r.APIName, err)
		}
		ids[r.APIName] = id
	}
	if st.AdminRole != "" {
		id, ok := ids[st.AdminRole]
		if !ok {
			return fmt.Errorf("template admin role %s is not one of its roles", st.AdminRole)
		}
		if err := conn.Exec(`UPDATE users SET role_id = ? WHERE tenant_id = ? AND id = ?`, id, tenantID, adminID).Error; err != nil {
			return fmt.Errorf("place admin: %w", err)
		}
		return s.SyncMembers(ctx, tenantID)
	}
	return nil
}
