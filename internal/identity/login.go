package identity

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
)

// LoginAttempt is one password login of a tenant member.
type LoginAttempt struct {
	// TenantKey is the tenant as typed; TenantID and TenantNamespace are
	// set when a tenant with that key exists and is active.
	TenantKey       string
	TenantID        string
	TenantNamespace string
	Email           string
	Password        string
	Client          ClientInfo
}

// Login checks a password login under the throttle and opens a session. An
// unknown tenant, an unknown account and a wrong password fail alike, in
// time and in their effect on the throttle, so that neither the answer nor
// a lockout tells whether an account exists. Attempts on a known tenant are
// audited.
func (s *Service) Login(ctx context.Context, a LoginAttempt) (*Session, *User, error) {
	keys := s.Throttle.loginKeys(a.TenantKey, a.Email, a.Client.IP)
	if err := s.Throttle.check(ctx, keys); err != nil {
		return nil, nil, err
	}
	if a.TenantID == "" {
		SpendPasswordCheck(a.Password)
		s.Throttle.fail(ctx, keys)
		return nil, nil, ErrBadCredentials
	}
	u, err := s.checkPassword(ctx, a.TenantID, a.Email, a.Password)
	if errors.Is(err, ErrBadCredentials) {
		s.Throttle.fail(ctx, keys)
		email, _ := NormalizeEmail(a.Email)
		if email == "" {
			email = "an invalid address"
		}
		if aerr := s.audit(ctx, a.TenantNamespace, AuditEntry{Action: "auth.login_failed", Object: "user",
			Summary: fmt.Sprintf("failed login as %s", email)}); aerr != nil {
			slog.WarnContext(ctx, "audit failed login", "err", aerr)
		}
		return nil, nil, err
	}
	if err != nil {
		return nil, nil, err
	}
	var sess *Session
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		if sess, err = s.OpenUserSession(ctx, u, a.Client); err != nil {
			return err
		}
		return s.AuditLogin(ctx, a.TenantNamespace, u, "password")
	})
	if err != nil {
		return nil, nil, err
	}
	s.Throttle.succeed(ctx, keys)
	return sess, u, nil
}

// AuditLogin records a successful login of u, by method, as u.
func (s *Service) AuditLogin(ctx context.Context, tenantNamespace string, u *User, method string) error {
	ctx = WithPrincipal(ctx, &Principal{UserID: u.ID, TenantID: u.TenantID, TenantKey: tenantNamespace, Email: u.Email, Name: u.Name, Role: u.Role})
	return s.audit(ctx, tenantNamespace, AuditEntry{Action: "auth.login", Object: "user", RecordID: u.ID,
		Summary: fmt.Sprintf("%s logged in (%s)", u.Email, method)})
}
