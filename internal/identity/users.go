package identity

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/tessera-crm/tessera/internal/problem"
)

// User statuses.
const (
	StatusActive   = "active"
	StatusInactive = "inactive"
)

const userColumns = `tenant_id, id, email, name, password_hash, role, status, locale, time_zone, created_at, updated_at`

// ListUsers returns a tenant's users by name.
func (s *Service) ListUsers(ctx context.Context, tenantID string) ([]User, error) {
	var out []User
	if err := s.db.Conn(ctx).Raw(`SELECT `+userColumns+` FROM users WHERE tenant_id = ? ORDER BY name, email`, tenantID).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	if out == nil {
		out = []User{}
	}
	return out, nil
}

// UserPatch changes a user; nil leaves a value alone.
type UserPatch struct {
	Name     *string `json:"name"`
	Role     *string `json:"role"`
	Status   *string `json:"status"`
	Locale   *string `json:"locale"`
	TimeZone *string `json:"time_zone"`
}

func (p UserPatch) validate() error {
	var errs []problem.FieldError
	if p.Name != nil && (strings.TrimSpace(*p.Name) == "" || len([]rune(*p.Name)) > 120) {
		errs = append(errs, problem.FieldError{Field: "name", Code: problem.CodeInvalidValue, Message: "name must be 1 to 120 characters"})
	}
	if p.Role != nil && *p.Role != RoleAdmin && *p.Role != RoleMember {
		errs = append(errs, problem.FieldError{Field: "role", Code: problem.CodeInvalidValue, Message: "role must be admin or member"})
	}
	if p.Status != nil && *p.Status != StatusActive && *p.Status != StatusInactive {
		errs = append(errs, problem.FieldError{Field: "status", Code: problem.CodeInvalidValue, Message: "status must be active or inactive"})
	}
	if p.Locale != nil && *p.Locale != "" && *p.Locale != "zh-CN" && *p.Locale != "en" {
		errs = append(errs, problem.FieldError{Field: "locale", Code: problem.CodeInvalidValue, Message: "locale must be zh-CN, en or empty (the tenant's)"})
	}
	if p.TimeZone != nil && *p.TimeZone != "" {
		if _, err := time.LoadLocation(*p.TimeZone); err != nil || *p.TimeZone == "Local" {
			errs = append(errs, problem.FieldError{Field: "time_zone", Code: problem.CodeInvalidValue, Message: "time_zone must be an IANA zone such as Asia/Shanghai"})
		}
	}
	if len(errs) > 0 {
		return problem.Invalid("the change is not valid", errs...)
	}
	return nil
}

// UpdateUser applies a patch. A user who is deactivated or loses the admin
// role has their sessions revoked so the change takes effect at once. The
// last active admin cannot be demoted or deactivated.
func (s *Service) UpdateUser(ctx context.Context, tenantID, userID string, p UserPatch) (*User, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	var out *User
	revoke := false
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		u, err := s.GetUser(ctx, tenantID, userID)
		if err != nil {
			return err
		}
		losesAdmin := u.Role == RoleAdmin && u.Status == StatusActive &&
			((p.Role != nil && *p.Role != RoleAdmin) || (p.Status != nil && *p.Status != StatusActive))
		if losesAdmin {
			var admins int64
			if err := s.db.Conn(ctx).Raw(`SELECT COUNT(*) FROM users WHERE tenant_id = ? AND role = ? AND status = ?`, tenantID, RoleAdmin, StatusActive).Scan(&admins).Error; err != nil {
				return fmt.Errorf("count admins: %w", err)
			}
			if admins <= 1 {
				return problem.Conflict(problem.CodeProtected, "%s is the last active admin of the tenant", u.Email)
			}
		}
		revoke = losesAdmin || (p.Status != nil && *p.Status != StatusActive)
		if p.Name != nil {
			u.Name = strings.TrimSpace(*p.Name)
		}
		if p.Role != nil {
			u.Role = *p.Role
		}
		if p.Status != nil {
			u.Status = *p.Status
		}
		if p.Locale != nil {
			u.Locale = *p.Locale
		}
		if p.TimeZone != nil {
			u.TimeZone = *p.TimeZone
		}
		u.UpdatedAt = s.now()
		if err := s.db.Conn(ctx).Exec(`UPDATE users SET name = ?, role = ?, status = ?, locale = ?, time_zone = ?, updated_at = ? WHERE tenant_id = ? AND id = ?`,
			u.Name, u.Role, u.Status, u.Locale, u.TimeZone, u.UpdatedAt, tenantID, userID).Error; err != nil {
			return fmt.Errorf("update user: %w", err)
		}
		out = u
		return nil
	})
	if err != nil {
		return nil, err
	}
	if revoke {
		if err := s.RevokeUserSessions(ctx, tenantID, userID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// SetPassword replaces a user's password (an admin's reset) and revokes
// their sessions.
func (s *Service) SetPassword(ctx context.Context, tenantID, userID, password string) error {
	u, err := s.GetUser(ctx, tenantID, userID)
	if err != nil {
		return err
	}
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		if err := s.storePassword(ctx, u, "password", password); err != nil {
			return err
		}
		key := ""
		if p := FromContext(ctx); p != nil {
			key = p.TenantKey
		}
		return s.audit(ctx, key, AuditEntry{Action: "user.password_reset", Object: "user", RecordID: u.ID, Summary: "reset the password of " + u.Email})
	})
	if err != nil {
		return err
	}
	return s.RevokeUserSessions(ctx, tenantID, userID)
}

// storePassword checks password against the tenant's policy (naming field
// when it fails) and stores its hash.
func (s *Service) storePassword(ctx context.Context, u *User, field, password string) error {
	policy, err := s.PasswordPolicy(ctx, u.TenantID)
	if err != nil {
		return err
	}
	if err := policy.Check(password, u.Email); err != nil {
		return policyProblem(field, err)
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	now := s.now()
	res := s.db.Conn(ctx).Exec(`UPDATE users SET password_hash = ?, password_changed_at = ?, updated_at = ? WHERE tenant_id = ? AND id = ?`,
		hash, now, now, u.TenantID, u.ID)
	if res.Error != nil {
		return fmt.Errorf("set password: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return problem.NotFound("user %s does not exist", u.ID)
	}
	return nil
}

// RevokeUserSessions ends every session of a user on every instance, and
// makes every instance reload the user's API keys, so that a deactivated
// user's keys stop working at once.
func (s *Service) RevokeUserSessions(ctx context.Context, tenantID, userID string) error {
	hashes, err := s.deleteSessions(ctx, tenantID, userID, "")
	if err != nil {
		return err
	}
	return s.announceRevocation(ctx, tenantID, userID, hashes)
}

// deleteSessions deletes a user's sessions but the one whose hash is keep,
// and returns the hashes it deleted.
func (s *Service) deleteSessions(ctx context.Context, tenantID, userID, keep string) ([]string, error) {
	var hashes []string
	if err := s.db.Conn(ctx).Raw(`SELECT token_hash FROM sessions WHERE tenant_id = ? AND user_id = ? AND token_hash <> ?`, tenantID, userID, keep).Scan(&hashes).Error; err != nil {
		return nil, fmt.Errorf("find sessions: %w", err)
	}
	if err := s.db.Conn(ctx).Exec(`DELETE FROM sessions WHERE tenant_id = ? AND user_id = ? AND token_hash <> ?`, tenantID, userID, keep).Error; err != nil {
		return nil, fmt.Errorf("revoke sessions: %w", err)
	}
	return hashes, nil
}

// announceRevocation drops the sessions and the user's keys from every
// instance's cache. Call it after the deleting transaction committed: an
// instance reloading earlier would cache the old rows again.
func (s *Service) announceRevocation(ctx context.Context, tenantID, userID string, hashes []string) error {
	for _, h := range hashes {
		s.sessions.Invalidate(h)
		if err := s.bus.Publish(ctx, sessionTopic, h); err != nil {
			return fmt.Errorf("announce revocation: %w", err)
		}
	}
	return s.invalidateUserKeys(ctx, tenantID, userID)
}

// UserByEmail returns the user of a tenant with that (normalized) address,
// or nil when there is none.
func (s *Service) UserByEmail(ctx context.Context, tenantID, email string) (*User, error) {
	var u User
	res := s.db.Conn(ctx).Raw(`SELECT `+userColumns+` FROM users WHERE tenant_id = ? AND email = ?`, tenantID, email).Scan(&u)
	if res.Error != nil {
		return nil, fmt.Errorf("find user: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return nil, nil
	}
	return &u, nil
}
