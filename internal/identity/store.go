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

// Service manages accounts, sessions and API keys. Validated sessions and
// keys are cached in process, so that authenticating a request costs no
// query; logout and revocation reach every instance over the bus.
type Service struct {
	db       *database.DB
	bus      bus.Bus
	sessions *otter.Cache[string, *Principal]
	apiKeys  *otter.Cache[string, *apiKeyEntry]
	now      func() time.Time

	// Audit writes operation-log entries (logins, password changes, API
	// keys); the app wires it to package audit. Nil writes nothing.
	Audit AuditFunc
	// Throttle limits failed logins; nil limits nothing.
	Throttle *LoginThrottle
	// ValidateSets checks that the permission sets of a new API key are a
	// subset of its owner's; the access layer wires it. Nil accepts any
	// well-formed names.
	ValidateSets func(ctx context.Context, tenantID, userID string, sets []string) error
}

// AuditEntry is one operation-log entry. Package audit depends on identity
// (an entry names the principal), so identity writes through a hook.
type AuditEntry struct {
	Action   string
	Object   string
	RecordID string
	Summary  string
	Before   any
	After    any
}

// AuditFunc appends e to the log of the tenant whose namespace key is
// tenantKey, in the transaction ctx carries.
type AuditFunc func(ctx context.Context, tenantKey string, e AuditEntry) error

func (s *Service) audit(ctx context.Context, tenantKey string, e AuditEntry) error {
	if s.Audit == nil || tenantKey == "" {
		return nil
	}
	return s.Audit(ctx, tenantKey, e)
}

// NewService returns the identity service.
func NewService(db *database.DB, b bus.Bus) *Service {
	s := &Service{db: db, bus: b, now: func() time.Time { return time.Now().UTC() }}
	s.sessions = otter.Must(&otter.Options[string, *Principal]{
		MaximumSize:      100000,
		ExpiryCalculator: otter.ExpiryWriting[string, *Principal](cacheTTL),
	})
	s.apiKeys = otter.Must(&otter.Options[string, *apiKeyEntry]{
		MaximumSize:      100000,
		ExpiryCalculator: otter.ExpiryWriting[string, *apiKeyEntry](cacheTTL),
	})
	b.Subscribe(sessionTopic, func(hash string) { s.sessions.Invalidate(hash) })
	b.Subscribe(apiKeyTopic, func(prefix string) { s.apiKeys.Invalidate(prefix) })
	b.OnReset(s.sessions.InvalidateAll)
	b.OnReset(s.apiKeys.InvalidateAll)
	return s
}

// cacheTTL bounds how long a cached session or key outlives a change that
// did not reach this instance (a lost bus message).
const cacheTTL = 5 * time.Minute

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
	policy, err := s.PasswordPolicy(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	if err := policy.Check(in.Password, email); err != nil {
		return nil, policyProblem("password", err)
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
	if err := CheckPasswordPolicy(password, e); err != nil {
		return nil, policyProblem("password", err)
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

// LoginUser checks a tenant member's password and opens a session, without
// throttling or audit: for tools (seeding, benchmarks). Requests go through
// Login.
func (s *Service) LoginUser(ctx context.Context, tenantID, email, password string, client ClientInfo) (string, *User, error) {
	u, err := s.checkPassword(ctx, tenantID, email, password)
	if err != nil {
		return "", nil, err
	}
	sess, err := s.OpenUserSession(ctx, u, client)
	if err != nil {
		return "", nil, err
	}
	return sess.Token, u, nil
}

// checkPassword returns the active user whose email and password these are.
func (s *Service) checkPassword(ctx context.Context, tenantID, email, password string) (*User, error) {
	e, _ := NormalizeEmail(email)
	var u User
	res := s.db.Conn(ctx).Raw(`SELECT `+userColumns+` FROM users WHERE tenant_id = ? AND email = ?`, tenantID, e).Scan(&u)
	if res.Error != nil {
		return nil, fmt.Errorf("find user: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		SpendPasswordCheck(password)
		return nil, ErrBadCredentials
	}
	if !VerifyPassword(u.PasswordHash, password) || u.Status != StatusActive {
		return nil, ErrBadCredentials
	}
	return &u, nil
}

// OpenUserSession opens a session for a user whose identity the caller has
// established (a password, a single sign-on).
func (s *Service) OpenUserSession(ctx context.Context, u *User, client ClientInfo) (*Session, error) {
	return s.openSession(ctx, sessionRow{TenantID: &u.TenantID, UserID: &u.ID, ClientIP: client.IP, UserAgent: client.UserAgent})
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
	sess, err := s.openSession(ctx, sessionRow{OperatorID: &op.ID, ClientIP: client.IP, UserAgent: client.UserAgent})
	if err != nil {
		return "", nil, err
	}
	return sess.Token, &op, nil
}

// ClientInfo records where a session was opened from.
type ClientInfo struct{ IP, UserAgent string }

// Session is an opened session: the token (for the bearer header or the
// session cookie) and the CSRF token cookie-authenticated writes must echo.
type Session struct {
	Token     string
	CSRFToken string
	ExpiresAt time.Time
}

func randomToken(prefix string) (string, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("generate token: %w", err)
	}
	return prefix + base64.RawURLEncoding.EncodeToString(raw), nil
}

func (s *Service) openSession(ctx context.Context, row sessionRow) (*Session, error) {
	token, err := randomToken("tss_")
	if err != nil {
		return nil, err
	}
	// Every session gets a CSRF token, bearer ones too: a bearer token that
	// ends up in the cookie must not make the CSRF check compare "" to "".
	csrf, err := randomToken("")
	if err != nil {
		return nil, err
	}
	row.TokenHash = hashToken(token)
	row.CreatedAt = s.now()
	row.ExpiresAt = row.CreatedAt.Add(SessionTTL)
	if len(row.UserAgent) > 512 {
		row.UserAgent = row.UserAgent[:512]
	}
	err = s.db.Conn(ctx).Exec(`INSERT INTO sessions (token_hash, tenant_id, user_id, operator_id, created_at, expires_at, client_ip, user_agent, csrf_token)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, row.TokenHash, row.TenantID, row.UserID, row.OperatorID, row.CreatedAt, row.ExpiresAt, row.ClientIP, row.UserAgent, csrf).Error
	if err != nil {
		return nil, fmt.Errorf("open session: %w", err)
	}
	return &Session{Token: token, CSRFToken: csrf, ExpiresAt: row.ExpiresAt}, nil
}

// Only a hash of the token is stored: a leaked sessions table opens nothing.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Authenticate resolves a bearer token (a session token or an API key) to
// its principal. The principal may be shared with other requests: callers
// copy it before changing it.
func (s *Service) Authenticate(ctx context.Context, token string) (*Principal, error) {
	if strings.HasPrefix(token, APIKeyPrefix) {
		return s.authenticateAPIKey(ctx, token)
	}
	return s.AuthenticateSession(ctx, token)
}

// AuthenticateSession resolves a session token (never an API key: the
// session cookie carries only sessions) to its principal.
func (s *Service) AuthenticateSession(ctx context.Context, token string) (*Principal, error) {
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
		CSRFToken  string
	}
	var r row
	res := s.db.Conn(ctx).Raw(`SELECT s.tenant_id, t.key AS tenant_key, s.user_id, s.operator_id, s.expires_at,
			u.email, u.name, u.role, u.status, o.email AS op_email, o.name AS op_name, t.status AS t_status, s.csrf_token
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
		return &Principal{Operator: true, UserID: *r.OperatorID, Email: *r.OpEmail, Name: deref(r.OpName), TokenHash: hash, CSRFToken: r.CSRFToken}, nil
	}
	if r.UserID == nil || r.Email == nil || deref(r.Status) != "active" || deref(r.TStatus) != "active" {
		return nil, errNoSession
	}
	return &Principal{UserID: *r.UserID, TenantID: deref(r.TenantID), TenantKey: deref(r.TenantKey), Email: *r.Email,
		Name: deref(r.Name), Role: deref(r.Role), TokenHash: hash, CSRFToken: r.CSRFToken}, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// Logout revokes the principal's session on every instance.
func (s *Service) Logout(ctx context.Context, p *Principal) error {
	if p.APIKeyID != "" {
		return problem.Field("authorization", problem.CodeInvalidValue, "an API key has no session to end; revoke it with DELETE /api-keys/{id}")
	}
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
