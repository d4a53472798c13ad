package identity

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/maypok86/otter/v2"

	"github.com/tessera-crm/tessera/internal/problem"
)

// APIKeyPrefix starts every API key: tsk_<prefix>_<secret>. The prefix
// finds the row; only a SHA-256 of the secret is stored.
const APIKeyPrefix = "tsk_"

const apiKeyTopic = "api_key"

// lastUsedInterval is how stale last_used_at may be: a busy key costs one
// write a minute per instance, not one per request.
const lastUsedInterval = time.Minute

// maxActiveKeys bounds the keys one user can hold.
const maxActiveKeys = 100

// APIKey describes a key; the secret is never kept.
type APIKey struct {
	ID             string     `json:"id"`
	TenantID       string     `json:"-"`
	UserID         string     `json:"user_id"`
	Name           string     `json:"name"`
	Prefix         string     `json:"prefix"`
	PermissionSets []string   `json:"permission_sets"`
	ExpiresAt      *time.Time `json:"expires_at"`
	RevokedAt      *time.Time `json:"revoked_at"`
	LastUsedAt     *time.Time `json:"last_used_at"`
	CreatedBy      string     `json:"created_by"`
	CreatedAt      time.Time  `json:"created_at"`
}

type apiKeyRow struct {
	TenantID       string
	ID             string
	UserID         string
	Name           string
	Prefix         string
	SecretHash     string
	PermissionSets string
	ExpiresAt      *time.Time
	RevokedAt      *time.Time
	LastUsedAt     *time.Time
	CreatedBy      string
	CreatedAt      time.Time
}

const apiKeyColumns = `tenant_id, id, user_id, name, prefix, secret_hash, permission_sets, expires_at, revoked_at, last_used_at, created_by, created_at`

func (r *apiKeyRow) key() APIKey {
	k := APIKey{ID: r.ID, TenantID: r.TenantID, UserID: r.UserID, Name: r.Name, Prefix: r.Prefix, PermissionSets: []string{},
		ExpiresAt: utc(r.ExpiresAt), RevokedAt: utc(r.RevokedAt), LastUsedAt: utc(r.LastUsedAt), CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC()}
	if err := json.Unmarshal([]byte(r.PermissionSets), &k.PermissionSets); err != nil || k.PermissionSets == nil {
		k.PermissionSets = []string{}
	}
	return k
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// NewAPIKey is what a caller asks for.
type NewAPIKey struct {
	Name           string
	PermissionSets []string
	ExpiresAt      *time.Time
}

var setNamePattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,47}$`)

func (s *Service) validateNewKey(in *NewAPIKey) error {
	var errs []problem.FieldError
	in.Name = strings.TrimSpace(in.Name)
	switch {
	case in.Name == "":
		errs = append(errs, problem.FieldError{Field: "name", Code: problem.CodeRequired, Message: "name is required"})
	case utf8.RuneCountInString(in.Name) > 100:
		errs = append(errs, problem.FieldError{Field: "name", Code: problem.CodeTooLong, Message: "name must be at most 100 characters"})
	}
	seen := map[string]bool{}
	sets := []string{}
	for i, set := range in.PermissionSets {
		if !setNamePattern.MatchString(set) {
			errs = append(errs, problem.FieldError{Field: fmt.Sprintf("permission_sets[%d]", i), Code: problem.CodeInvalidValue,
				Message: fmt.Sprintf("%q is not a permission set api name", set)})
			continue
		}
		if !seen[set] {
			seen[set] = true
			sets = append(sets, set)
		}
	}
	in.PermissionSets = sets
	if in.ExpiresAt != nil {
		if !in.ExpiresAt.After(s.now()) {
			errs = append(errs, problem.FieldError{Field: "expires_at", Code: problem.CodeOutOfRange, Message: "expires_at must be in the future"})
		}
		t := in.ExpiresAt.UTC()
		in.ExpiresAt = &t
	}
	if len(errs) > 0 {
		return problem.Invalid("the API key is not valid", errs...)
	}
	return nil
}

// CreateAPIKey makes a key acting as p, limited to the given permission
// sets. It returns the key's description and the key itself, which is not
// stored and cannot be shown again.
func (s *Service) CreateAPIKey(ctx context.Context, p *Principal, in NewAPIKey) (*APIKey, string, error) {
	if p.APIKeyID != "" || p.Operator || p.TenantID == "" {
		// A leaked key must not be able to mint keys that outlive it.
		return nil, "", problem.Forbidden("API keys are created from a signed-in session")
	}
	if err := s.validateNewKey(&in); err != nil {
		return nil, "", err
	}
	if s.ValidateSets != nil {
		if err := s.ValidateSets(ctx, p.TenantID, p.UserID, in.PermissionSets); err != nil {
			return nil, "", err
		}
	}
	prefix, secret, err := newKeyParts()
	if err != nil {
		return nil, "", err
	}
	sets, _ := json.Marshal(in.PermissionSets)
	row := apiKeyRow{TenantID: p.TenantID, ID: uuid.Must(uuid.NewV7()).String(), UserID: p.UserID, Name: in.Name, Prefix: prefix,
		SecretHash: hashSecret(secret), PermissionSets: string(sets), ExpiresAt: in.ExpiresAt, CreatedBy: p.UserID, CreatedAt: s.now()}
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		var active int64
		if err := s.db.Conn(ctx).Raw(`SELECT COUNT(*) FROM api_keys WHERE tenant_id = ? AND user_id = ? AND revoked_at IS NULL`, p.TenantID, p.UserID).Scan(&active).Error; err != nil {
			return fmt.Errorf("count api keys: %w", err)
		}
		if active >= maxActiveKeys {
			return problem.Unprocessable(problem.CodeLimitExceeded, "you hold %d API keys, the most allowed; revoke one first", active)
		}
		if err := s.db.Conn(ctx).Exec(`INSERT INTO api_keys (`+apiKeyColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			row.TenantID, row.ID, row.UserID, row.Name, row.Prefix, row.SecretHash, row.PermissionSets, row.ExpiresAt, nil, nil, row.CreatedBy, row.CreatedAt).Error; err != nil {
			return fmt.Errorf("create api key: %w", err)
		}
		k := row.key()
		return s.audit(ctx, p.TenantKey, AuditEntry{Action: "api_key.create", Object: "api_key", RecordID: row.ID,
			Summary: fmt.Sprintf("API key %q created for %s", row.Name, p.Email),
			After:   map[string]any{"name": k.Name, "prefix": k.Prefix, "user_id": k.UserID, "permission_sets": k.PermissionSets, "expires_at": k.ExpiresAt}})
	})
	if err != nil {
		return nil, "", err
	}
	k := row.key()
	return &k, APIKeyPrefix + prefix + "_" + secret, nil
}

// newKeyParts draws a key's prefix and secret, both hex, so that the
// underscore separating them can appear nowhere else.
func newKeyParts() (prefix, secret string, err error) {
	b := make([]byte, 8+32)
	if _, err := rand.Read(b); err != nil {
		return "", "", fmt.Errorf("generate api key: %w", err)
	}
	return hex.EncodeToString(b[:8]), hex.EncodeToString(b[8:]), nil
}

func hashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// ListAPIKeys returns the caller's keys, or with all every key of the
// tenant (admins only), newest first.
func (s *Service) ListAPIKeys(ctx context.Context, p *Principal, all bool) ([]APIKey, error) {
	q := `SELECT ` + apiKeyColumns + ` FROM api_keys WHERE tenant_id = ?`
	args := []any{p.TenantID}
	if all {
		if !p.IsAdmin() {
			return nil, problem.Forbidden("listing every user's API keys needs the tenant admin role")
		}
	} else {
		q += ` AND user_id = ?`
		args = append(args, p.UserID)
	}
	var rows []apiKeyRow
	if err := s.db.Conn(ctx).Raw(q+` ORDER BY created_at DESC, id DESC`, args...).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("list api keys: %w", err)
	}
	out := make([]APIKey, len(rows))
	for i := range rows {
		out[i] = rows[i].key()
	}
	return out, nil
}

// RevokeAPIKey revokes a key at once on every instance. Users revoke their
// own keys, admins any key of the tenant; to others a key they may not
// touch does not exist. Revoking a revoked key changes nothing.
func (s *Service) RevokeAPIKey(ctx context.Context, p *Principal, id string) error {
	notFound := problem.NotFound("API key %s does not exist", id)
	if _, err := uuid.Parse(id); err != nil {
		return notFound
	}
	var prefix string
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		var row apiKeyRow
		res := s.db.Conn(ctx).Raw(`SELECT `+apiKeyColumns+` FROM api_keys WHERE tenant_id = ? AND id = ?`, p.TenantID, id).Scan(&row)
		if res.Error != nil {
			return fmt.Errorf("find api key: %w", res.Error)
		}
		if res.RowsAffected == 0 || (row.UserID != p.UserID && !p.IsAdmin()) {
			return notFound
		}
		if row.RevokedAt != nil {
			return nil
		}
		prefix = row.Prefix
		if err := s.db.Conn(ctx).Exec(`UPDATE api_keys SET revoked_at = ? WHERE tenant_id = ? AND id = ?`, s.now(), p.TenantID, id).Error; err != nil {
			return fmt.Errorf("revoke api key: %w", err)
		}
		return s.audit(ctx, p.TenantKey, AuditEntry{Action: "api_key.revoke", Object: "api_key", RecordID: id,
			Summary: fmt.Sprintf("API key %q revoked", row.Name), Before: map[string]any{"name": row.Name, "prefix": row.Prefix, "user_id": row.UserID}})
	})
	if err != nil || prefix == "" {
		return err
	}
	return s.announceKey(ctx, prefix)
}

func (s *Service) announceKey(ctx context.Context, prefix string) error {
	s.apiKeys.Invalidate(prefix)
	if err := s.bus.Publish(ctx, apiKeyTopic, prefix); err != nil {
		return fmt.Errorf("announce api key change: %w", err)
	}
	return nil
}

// invalidateUserKeys makes every instance reload a user's keys, so that a
// change of the user (deactivation, a new role) reaches them at once.
func (s *Service) invalidateUserKeys(ctx context.Context, tenantID, userID string) error {
	var prefixes []string
	if err := s.db.Conn(ctx).Raw(`SELECT prefix FROM api_keys WHERE tenant_id = ? AND user_id = ? AND revoked_at IS NULL`, tenantID, userID).Scan(&prefixes).Error; err != nil {
		return fmt.Errorf("find api keys: %w", err)
	}
	for _, p := range prefixes {
		if err := s.announceKey(ctx, p); err != nil {
			return err
		}
	}
	return nil
}

// apiKeyEntry is a validated key in the cache: the principal it acts as and
// what each request must still check.
type apiKeyEntry struct {
	principal  *Principal
	secretHash string
	expiresAt  *time.Time
	// lastUsed is when this instance last wrote last_used_at (unix seconds).
	lastUsed atomic.Int64
}

var errBadAPIKey = problem.Unauthorized("the API key is not valid, has expired or was revoked")

func (s *Service) authenticateAPIKey(ctx context.Context, token string) (*Principal, error) {
	prefix, secret, ok := strings.Cut(strings.TrimPrefix(token, APIKeyPrefix), "_")
	if !ok || len(prefix) != 16 || len(secret) != 64 {
		return nil, errBadAPIKey
	}
	e, err := s.apiKeys.Get(ctx, prefix, otter.LoaderFunc[string, *apiKeyEntry](s.loadAPIKey))
	if err != nil {
		if pe, ok := problem.As(err); ok {
			return nil, pe
		}
		return nil, err
	}
	if subtle.ConstantTimeCompare([]byte(hashSecret(secret)), []byte(e.secretHash)) != 1 {
		return nil, errBadAPIKey
	}
	now := s.now()
	if e.expiresAt != nil && !e.expiresAt.After(now) {
		return nil, errBadAPIKey
	}
	s.touchAPIKey(ctx, e, now)
	return e.principal, nil
}

// touchAPIKey records use at most once per lastUsedInterval per instance. A
// failed write is logged, not fatal: the request is authentic either way.
func (s *Service) touchAPIKey(ctx context.Context, e *apiKeyEntry, now time.Time) {
	last := e.lastUsed.Load()
	if now.Unix()-last < int64(lastUsedInterval.Seconds()) || !e.lastUsed.CompareAndSwap(last, now.Unix()) {
		return
	}
	p := e.principal
	if err := s.db.Conn(ctx).Exec(`UPDATE api_keys SET last_used_at = ? WHERE tenant_id = ? AND id = ?`, now, p.TenantID, p.APIKeyID).Error; err != nil {
		slog.WarnContext(ctx, "record api key use", "api_key", p.APIKeyID, "err", err)
	}
}

// loadAPIKey reads a key with its owner and tenant; a revoked key, or one
// whose owner or tenant is no longer active, does not load.
func (s *Service) loadAPIKey(ctx context.Context, prefix string) (*apiKeyEntry, error) {
	// Flat: gorm's Scan does not fill an embedded struct from raw SQL.
	var r struct {
		TenantID, ID, UserID, Name, Prefix, SecretHash, PermissionSets string
		ExpiresAt, RevokedAt, LastUsedAt                               *time.Time
		TenantKey, Email, UserName, Role, Status, TStatus              string
	}
	res := s.db.Conn(ctx).Raw(`SELECT k.tenant_id, k.id, k.user_id, k.name, k.prefix, k.secret_hash, k.permission_sets, k.expires_at, k.revoked_at, k.last_used_at,
			t.key AS tenant_key, u.email, u.name AS user_name, u.role, u.status, t.status AS t_status
		FROM api_keys k
		JOIN users u ON u.tenant_id = k.tenant_id AND u.id = k.user_id
		JOIN tenants t ON t.id = k.tenant_id
		WHERE k.prefix = ?`, prefix).Scan(&r)
	if res.Error != nil {
		return nil, fmt.Errorf("load api key: %w", res.Error)
	}
	if res.RowsAffected == 0 || r.RevokedAt != nil || r.Status != StatusActive || r.TStatus != "active" {
		return nil, errBadAPIKey
	}
	row := apiKeyRow{TenantID: r.TenantID, ID: r.ID, UserID: r.UserID, Name: r.Name, Prefix: r.Prefix, PermissionSets: r.PermissionSets, ExpiresAt: r.ExpiresAt}
	k := row.key()
	// A key created without permission sets acts with its owner's own
	// (Principal.PermissionSets nil); one with sets is limited to them.
	var sets []string
	if len(k.PermissionSets) > 0 {
		sets = k.PermissionSets
	}
	e := &apiKeyEntry{
		principal: &Principal{UserID: r.UserID, TenantID: r.TenantID, TenantKey: r.TenantKey, Email: r.Email, Name: r.UserName, Role: r.Role,
			APIKeyID: r.ID, APIKeyName: r.Name, PermissionSets: sets},
		secretHash: r.SecretHash,
		expiresAt:  k.ExpiresAt,
	}
	if r.LastUsedAt != nil {
		e.lastUsed.Store(r.LastUsedAt.Unix())
	}
	return e, nil
}
