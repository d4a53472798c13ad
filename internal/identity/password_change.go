package identity

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"

	"github.com/tessera-crm/tessera/internal/problem"
)

// maxPasswordMinLength caps a tenant's own minimum, so that a typo in the
// security settings cannot lock everyone out of changing their password.
const maxPasswordMinLength = 64

// PasswordPolicy returns the policy of a tenant: the default, with the
// minimum length raised when tenants.security asks for more.
func (s *Service) PasswordPolicy(ctx context.Context, tenantID string) (PasswordPolicy, error) {
	policy := DefaultPasswordPolicy
	var raw string
	res := s.db.Conn(ctx).Raw(`SELECT security FROM tenants WHERE id = ?`, tenantID).Scan(&raw)
	if res.Error != nil {
		return policy, fmt.Errorf("read tenant security: %w", res.Error)
	}
	if raw == "" {
		return policy, nil
	}
	var sec struct {
		PasswordMinLength int `json:"password_min_length"`
	}
	if err := json.Unmarshal([]byte(raw), &sec); err != nil {
		// A broken setting must not stop logins or password changes; the
		// default still applies.
		slog.WarnContext(ctx, "ignoring unreadable tenants.security", "tenant_id", tenantID, "err", err)
		return policy, nil
	}
	if sec.PasswordMinLength > policy.MinLength {
		policy.MinLength = min(sec.PasswordMinLength, maxPasswordMinLength)
	}
	return policy, nil
}

func policyProblem(field string, err error) error {
	var pe *PolicyError
	if errors.As(err, &pe) {
		return pe.Problem(field)
	}
	return err
}

// ChangePassword lets the caller replace their own password. It ends their
// other sessions (the one in use stays open) on every instance. A wrong
// current password counts as a failed login, so this route cannot be used
// to guess a password the login throttle protects.
func (s *Service) ChangePassword(ctx context.Context, p *Principal, current, next string) error {
	if p.APIKeyID != "" || p.Operator || p.TenantID == "" {
		return problem.Forbidden("only a tenant member's own session can change its password")
	}
	var missing []problem.FieldError
	if current == "" {
		missing = append(missing, problem.FieldError{Field: "current_password", Code: problem.CodeRequired, Message: "current_password is required"})
	}
	if next == "" {
		missing = append(missing, problem.FieldError{Field: "new_password", Code: problem.CodeRequired, Message: "new_password is required"})
	}
	if len(missing) > 0 {
		return problem.Invalid("current_password and new_password are required", missing...)
	}
	keys := s.Throttle.accountKeys(p.TenantKey, p.Email)
	if err := s.Throttle.check(ctx, keys); err != nil {
		return err
	}
	var revoked []string
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		u, err := s.GetUser(ctx, p.TenantID, p.UserID)
		if err != nil {
			return err
		}
		if !VerifyPassword(u.PasswordHash, current) {
			return errWrongCurrentPassword
		}
		if current == next {
			return problem.Field("new_password", problem.CodeInvalidValue, "new_password must differ from the current password")
		}
		if err := s.storePassword(ctx, u, "new_password", next); err != nil {
			return err
		}
		if revoked, err = s.deleteSessions(ctx, p.TenantID, p.UserID, p.TokenHash); err != nil {
			return err
		}
		return s.audit(ctx, p.TenantKey, AuditEntry{Action: "user.password_change", Object: "user", RecordID: u.ID,
			Summary: fmt.Sprintf("%s changed their password; %d other sessions ended", u.Email, len(revoked))})
	})
	if errors.Is(err, errWrongCurrentPassword) {
		s.Throttle.fail(ctx, keys)
		return err
	}
	if err != nil {
		return err
	}
	return s.announceRevocation(ctx, p.TenantID, p.UserID, revoked)
}

var errWrongCurrentPassword = problem.Field("current_password", problem.CodeInvalidValue, "current_password is not correct")
