package identity

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/maypok86/otter/v2"

	"github.com/tessera-crm/tessera/internal/bus"
	"github.com/tessera-crm/tessera/internal/database"
	"github.com/tessera-crm/tessera/internal/problem"
)

// SessionTTL is how long a session token stays valid.
const SessionTTL = 24 * time.Hour

const sessionTopic = "session"

// User is a member of one tenant.
type User struct {
	TenantID     string    `json:"tenant_id"`
	ID           string    `json:"id"`
	Email        string    `json:"email"`
	Name         string    `json:"name"`
	PasswordHash string    `json:"-"`
	Role         string    `json:"role"`
	Status       string    `json:"status"`
	Locale       string    `json:"locale"`
	TimeZone     string    `json:"time_zone"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// Operator runs the platform: creates and manages tenants.
type Operator struct {
	ID           string
	Email        string
	Name         string
	PasswordHash string
	CreatedAt    time.Time
}

type sessionRow struct {
	TokenHash  string
	TenantID   *string
	UserID     *string
	OperatorID *string
	CreatedAt  time.Time
	ExpiresAt  time.Time
	ClientIP   string
	UserAgent  string
}

// Service manages accounts and sessions. Validated sessions are cached in
// process, so that authenticating a request costs no query; logout and
// revocation reach every instance over the bus.
type Service struct {
	db       *database.DB
	bus      bus.Bus
	sessions *otter.Cache[string, *Principal]
	now      func() time.Time
}

// NewService returns the identity service.
func NewService(db *database.DB, b bus.Bus) *Service {
	s := &Service{db: db, bus: b, now: func() time.Time { return time.Now().UTC() }}
	s.sessions = otter.Must(&otter.Options[string, *Principal]{
		MaximumSize:      100000,
		ExpiryCalculator: otter.ExpiryWriting[string, *Principal](5 * time.Minute),
	})
	b.Subscribe(sessionTopic, func(hash string) { s.sessions.Invalidate(hash) })
	b.OnReset(s.sessions.InvalidateAll)
	return s
}

// NormalizeEmail lower-cases and checks an address.
func NormalizeEmail(email string) (string, error) {
	e := strings.ToLower(strings.TrimSpace(email))
	addr, err := mail.ParseAddress(e)
	if err != nil || addr.Address != e || len(e) > 254 {
		return "", errors.New("is not an email address")
	}
	return e, nil
}

// NewUserInput describes a user to create.
type NewUserInput struct {
	Email, Name, Password, Role string
}

// CreateUser adds a user to a tenant. It joins the caller's transaction.
func (s *Service) CreateUser(ctx context.Context, tenantID string, in NewUserInput) (*User, error) {
	email, err := NormalizeEmail(in.Email)
	if err != nil {
		return nil, problem.Field("email", problem.CodeInvalidValue, "email %s", err.Error())
	}
	if err := CheckPasswordPolicy(in.Password); err != nil {
		return nil, problem.Field("password", problem.CodeInvalidValue, "%s", err.Error())
	}
	role := in.Role
	if role == "" {
		role = RoleMember
	}
	if role != RoleAdmin && role != RoleMember {
		return nil, problem.Field("role", problem.CodeInvalidValue, "role must be admin or member")
	}
	hash, err := HashPassword(in.Password)
	if err != nil {
		return nil, err
	}
	now := s.now()
	u := &User{TenantID: tenantID, ID: uuid.Must(uuid.NewV7()).String(), Email: email, Name: strings.TrimSpace(in.Name),
		PasswordHash: hash, Role: role, Status: "active", CreatedAt: now, UpdatedAt: now}
	if u.Name == "" {
		u.Name = email[:strings.IndexByte(email, '@')]
	}
	err = s.db.Conn(ctx).Exec(`INSERT INTO users (tenant_id, id, email, name, password_hash, role, status, locale, time_zone, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, u.TenantID, u.ID, u.Email, u.Name, u.PasswordHash, u.Role, u.Status, u.Locale, u.TimeZone, u.CreatedAt, u.UpdatedAt).Error
	if err != nil {
		if database.IsUniqueViolation(err) {
			return nil, problem.Unique("email")
		}
		return nil, fmt.Errorf("create user: %w", err)
	}
	return u, nil
}

// CreateOperator adds a platform operator.
func (s *Service) CreateOperator(ctx context.Context, email, name, password string) (*Operator, error) {
	e, err := NormalizeEmail(email)
	if err != nil {
		return nil, problem.Field("email", problem.CodeInvalidValue, "email %s", err.Error())
	}
	if err := CheckPasswordPolicy(password); err != nil {
		return nil, problem.Field("password", problem.CodeInvalidValue, "%s", err.Error())
	}
	hash, err := HashPassword(password)
	if err != nil {
		return nil, err
	}
	op := &Operator{ID: uuid.Must(uuid.NewV7()).String(), Email: e, Name: name, PasswordHash: hash, CreatedAt: s.now()}
	err = s.db.Conn(ctx).Exec(`INSERT INTO operators (id, email, name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)`,
		op.ID, op.Email, op.Name, op.PasswordHash, op.CreatedAt).Error
	if err != nil {
		if database.IsUniqueViolation(err) {
			return nil, problem.Unique("email")
		}
		return nil, fmt.Errorf("create operator: %w", err)
	}
	return op, nil
}

// ErrBadCredentials hides which of tenant, email or password was wrong.
var ErrBadCredentials = problem.Unauthorized("the tenant, email or password is not correct")

// LoginUser checks a tenant member's password and opens a session.
func (s *Service) LoginUser(ctx context.Context, tenantID, email, password string, client ClientInfo) (string, *User, error) {
	e, _ := NormalizeEmail(email)
	var u User
	res := s.db.Conn(ctx).Raw(`SELECT tenant_id, id, email, name, password_hash, role, status, locale, time_zone, created_at, updated_at
		FROM users WHERE tenant_id = ? AND email = ?`, tenantID, e).Scan(&u)
	if res.Error != nil {
		return "", nil, fmt.Errorf("find user: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		SpendPasswordCheck(password)
		return "", nil, ErrBadCredentials
	}
	if !VerifyPassword(u.PasswordHash, password) || u.Status != "active" {
		return "", nil, ErrBadCredentials
	}
	token, err := s.openSession(ctx, sessionRow{TenantID: &u.TenantID, UserID: &u.ID, ClientIP: client.IP, UserAgent: client.UserAgent})
	if err != nil {
		return "", nil, err
	}
	return token, &u, nil
}

// LoginOperator checks an operator's password and opens a session.
func (s *Service) LoginOperator(ctx context.Context, email, password string, client ClientInfo) (string, *Operator, error) {
	e, _ := NormalizeEmail(email)
	var op Operator
	res := s.db.Conn(ctx).Raw(`SELECT id, email, name, password_hash, created_at FROM operators WHERE email = ?`, e).Scan(&op)
	if res.Error != nil {
		return "", nil, fmt.Errorf("find operator: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		SpendPasswordCheck(password)
		return "", nil, problem.Unauthorized("the email or password is not correct")
	}
	if !VerifyPassword(op.PasswordHash, password) {
		return "", nil, problem.Unauthorized("the email or password is not correct")
	}
	token, err := s.openSession(ctx, sessionRow{OperatorID: &op.ID, ClientIP: client.IP, UserAgent: client.UserAgent})
	if err != nil {
		return "", nil, err
	}
	return token, &op, nil
}

// ClientInfo records where a session was opened from.
type ClientInfo struct{ IP, UserAgent string }

func (s *Service) openSession(ctx context.Context, row sessionRow) (string, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("generate token: %w", err)
	}
	token := "tss_" + base64.RawURLEncoding.EncodeToString(raw)
	row.TokenHash = hashToken(token)
	row.CreatedAt = s.now()
	row.ExpiresAt = row.CreatedAt.Add(SessionTTL)
	if len(row.UserAgent) > 512 {
		row.UserAgent = row.UserAgent[:512]
	}
	err := s.db.Conn(ctx).Exec(`INSERT INTO sessions (token_hash, tenant_id, user_id, operator_id, created_at, expires_at, client_ip, user_agent)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, row.TokenHash, row.TenantID, row.UserID, row.OperatorID, row.CreatedAt, row.ExpiresAt, row.ClientIP, row.UserAgent).Error
	if err != nil {
		return "", fmt.Errorf("open session: %w", err)
	}
	return token, nil
}

// Only a hash of the token is stored: a leaked sessions table opens nothing.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Authenticate resolves a bearer token to its principal.
func (s *Service) Authenticate(ctx context.Context, token string) (*Principal, error) {
	if token == "" || len(token) > 200 {
		return nil, problem.Unauthorized("a valid bearer token is required")
	}
	hash := hashToken(token)
	if p, ok := s.sessions.GetIfPresent(hash); ok {
		return p, nil
	}
	p, err := s.sessions.Get(ctx, hash, otter.LoaderFunc[string, *Principal](s.loadSession))
	if err != nil {
		if pe, ok := problem.As(err); ok {
			return nil, pe
		}
		return nil, err
	}
	return p, nil
}

var errNoSession = problem.Unauthorized("the session has expired or was revoked; log in again")

func (s *Service) loadSession(ctx context.Context, hash string) (*Principal, error) {
	type row struct {
		TenantID   *string
		TenantKey  *string
		UserID     *string
		OperatorID *string
		ExpiresAt  time.Time
		Email      *string
		Name       *string
		Role       *string
		Status     *string
		OpEmail    *string
		OpName     *string
		TStatus    *string
	}
	var r row
	res := s.db.Conn(ctx).Raw(`SELECT s.tenant_id, t.key AS tenant_key, s.user_id, s.operator_id, s.expires_at,
			u.email, u.name, u.role, u.status, o.email AS op_email, o.name AS op_name, t.status AS t_status
		FROM sessions s
		LEFT JOIN users u ON u.tenant_id = s.tenant_id AND u.id = s.user_id
		LEFT JOIN tenants t ON t.id = s.tenant_id
		LEFT JOIN operators o ON o.id = s.operator_id
		WHERE s.token_hash = ?`, hash).Scan(&r)
	if res.Error != nil {
		return nil, fmt.Errorf("load session: %w", res.Error)
	}
	if res.RowsAffected == 0 || !r.ExpiresAt.After(s.now()) {
		return nil, errNoSession
	}
	if r.OperatorID != nil {
		if r.OpEmail == nil {
			return nil, errNoSession
		}
		return &Principal{Operator: true, UserID: *r.OperatorID, Email: *r.OpEmail, Name: deref(r.OpName), TokenHash: hash}, nil
	}
	if r.UserID == nil || r.Email == nil || deref(r.Status) != "active" || deref(r.TStatus) != "active" {
		return nil, errNoSession
	}
	return &Principal{UserID: *r.UserID, TenantID: deref(r.TenantID), TenantKey: deref(r.TenantKey), Email: *r.Email,
		Name: deref(r.Name), Role: deref(r.Role), TokenHash: hash}, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// Logout revokes the principal's session on every instance.
func (s *Service) Logout(ctx context.Context, p *Principal) error {
	if err := s.db.Conn(ctx).Exec(`DELETE FROM sessions WHERE token_hash = ?`, p.TokenHash).Error; err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	s.sessions.Invalidate(p.TokenHash)
	return s.bus.Publish(ctx, sessionTopic, p.TokenHash)
}

// GetUser returns one user of a tenant.
func (s *Service) GetUser(ctx context.Context, tenantID, userID string) (*User, error) {
	if _, err := uuid.Parse(userID); err != nil {
		return nil, problem.NotFound("user %s does not exist", userID)
	}
	var u User
	res := s.db.Conn(ctx).Raw(`SELECT tenant_id, id, email, name, password_hash, role, status, locale, time_zone, created_at, updated_at
		FROM users WHERE tenant_id = ? AND id = ?`, tenantID, userID).Scan(&u)
	if res.Error != nil {
		return nil, fmt.Errorf("get user: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return nil, problem.NotFound("user %s does not exist", userID)
	}
	return &u, nil
}

// CountOperators reports how many operators exist.
func (s *Service) CountOperators(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.Conn(ctx).Raw(`SELECT COUNT(*) FROM operators`).Scan(&n).Error
	return n, err
}
