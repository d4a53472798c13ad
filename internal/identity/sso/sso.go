// Package sso signs tenant members in through their organisation's OpenID
// Connect provider. Each tenant configures its own provider; a user is
// matched by verified email and must already exist and be active: single
// sign-on never creates accounts.
package sso

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/maypok86/otter/v2"
	"golang.org/x/oauth2"

	"github.com/tessera-crm/tessera/internal/audit"
	"github.com/tessera-crm/tessera/internal/database"
	"github.com/tessera-crm/tessera/internal/identity"
	"github.com/tessera-crm/tessera/internal/problem"
)

// SecretBox seals the client secrets at rest with a key of the tenant; the
// app wires the key ring (crypto.Keyring). aad binds a sealed value to its
// place, so that it cannot be moved elsewhere and opened.
type SecretBox interface {
	Seal(ctx context.Context, tenantID, aad, plaintext string) (string, error)
	Open(ctx context.Context, tenantID, aad, sealed string) (string, error)
}

// secretAAD names where client secrets live.
const secretAAD = "tenant_sso.client_secret"

// loginTTL is how long a sign-on may take between start and callback.
const loginTTL = 10 * time.Minute

// Codes of failed sign-ons, passed to the login page as ?sso_error=.
const (
	ErrDisabled      = "sso_disabled"
	ErrInvalidState  = "invalid_state"
	ErrExpired       = "expired"
	ErrProvider      = "provider_error"
	ErrInvalidToken  = "invalid_token"
	ErrUnverified    = "email_not_verified"
	ErrDomain        = "domain_not_allowed"
	ErrUnknownUser   = "unknown_user"
	ErrInactiveUser  = "user_inactive"
	ErrInternalError = "internal"
)

// Failure is a sign-on that did not succeed; Code goes to the login page,
// Err (when set) to the log.
type Failure struct {
	Code string
	Err  error
}

func (f *Failure) Error() string {
	if f.Err != nil {
		return f.Code + ": " + f.Err.Error()
	}
	return f.Code
}

func (f *Failure) Unwrap() error { return f.Err }

func fail(code string, err error) *Failure { return &Failure{Code: code, Err: err} }

// Service runs sign-ons and keeps the tenants' provider settings.
type Service struct {
	db  *database.DB
	ids *identity.Service
	// Secrets seals client secrets; nil refuses to store one.
	Secrets SecretBox
	// HTTPClient talks to the providers.
	HTTPClient *http.Client
	providers  *otter.Cache[string, *oidc.Provider]
	now        func() time.Time
}

// NewService returns the single sign-on service.
func NewService(db *database.DB, ids *identity.Service) *Service {
	return &Service{
		db: db, ids: ids,
		HTTPClient: &http.Client{Timeout: 10 * time.Second},
		// Discovery documents change rarely; keys rotate, and go-oidc's key
		// set refetches on an unknown key id by itself.
		providers: otter.Must(&otter.Options[string, *oidc.Provider]{
			MaximumSize:      10000,
			ExpiryCalculator: otter.ExpiryWriting[string, *oidc.Provider](15 * time.Minute),
		}),
		now: func() time.Time { return time.Now().UTC() },
	}
}

// Config is a tenant's provider, as admins see it: the secret is write-only.
type Config struct {
	Enabled         bool       `json:"enabled"`
	Label           string     `json:"label"`
	Issuer          string     `json:"issuer"`
	ClientID        string     `json:"client_id"`
	ClientSecretSet bool       `json:"client_secret_set"`
	AllowedDomains  []string   `json:"allowed_domains"`
	UpdatedAt       *time.Time `json:"updated_at"`
}

type configRow struct {
	Enabled         bool
	Label           string
	Issuer          string
	ClientID        string
	ClientSecretEnc string
	AllowedDomains  string
	UpdatedAt       time.Time
}

func (r *configRow) config() *Config {
	c := &Config{Enabled: r.Enabled, Label: r.Label, Issuer: r.Issuer, ClientID: r.ClientID, ClientSecretSet: r.ClientSecretEnc != "", AllowedDomains: []string{}}
	if err := json.Unmarshal([]byte(r.AllowedDomains), &c.AllowedDomains); err != nil || c.AllowedDomains == nil {
		c.AllowedDomains = []string{}
	}
	if !r.UpdatedAt.IsZero() {
		t := r.UpdatedAt.UTC()
		c.UpdatedAt = &t
	}
	return c
}

func (s *Service) row(ctx context.Context, tenantID string) (*configRow, error) {
	var r configRow
	res := s.db.Conn(ctx).Raw(`SELECT enabled, label, issuer, client_id, client_secret_enc, allowed_domains, updated_at FROM tenant_sso WHERE tenant_id = ?`, tenantID).Scan(&r)
	if res.Error != nil {
		return nil, fmt.Errorf("read sso settings: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return &configRow{AllowedDomains: "[]"}, nil
	}
	return &r, nil
}

// GetConfig returns a tenant's settings (disabled and empty when none).
func (s *Service) GetConfig(ctx context.Context, tenantID string) (*Config, error) {
	r, err := s.row(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	return r.config(), nil
}

// ConfigInput replaces a tenant's settings. A nil or empty ClientSecret
// keeps the stored one.
type ConfigInput struct {
	Enabled        bool     `json:"enabled"`
	Label          string   `json:"label"`
	Issuer         string   `json:"issuer"`
	ClientID       string   `json:"client_id"`
	ClientSecret   *string  `json:"client_secret"`
	AllowedDomains []string `json:"allowed_domains"`
}

var domainPattern = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)

func (in *ConfigInput) validate(hasSecret bool) error {
	var errs []problem.FieldError
	add := func(field, code, msg string) {
		errs = append(errs, problem.FieldError{Field: field, Code: code, Message: msg})
	}
	in.Label = strings.TrimSpace(in.Label)
	in.Issuer = strings.TrimRight(strings.TrimSpace(in.Issuer), "/")
	in.ClientID = strings.TrimSpace(in.ClientID)
	if utf8.RuneCountInString(in.Label) > 60 {
		add("label", problem.CodeTooLong, "label must be at most 60 characters")
	}
	if in.Issuer != "" {
		if err := checkIssuer(in.Issuer); err != nil {
			add("issuer", problem.CodeInvalidValue, "issuer "+err.Error())
		}
	} else if in.Enabled {
		add("issuer", problem.CodeRequired, "issuer is required to enable single sign-on")
	}
	if len(in.ClientID) > 255 {
		add("client_id", problem.CodeTooLong, "client_id must be at most 255 characters")
	} else if in.ClientID == "" && in.Enabled {
		add("client_id", problem.CodeRequired, "client_id is required to enable single sign-on")
	}
	newSecret := in.ClientSecret != nil && *in.ClientSecret != ""
	if newSecret && len(*in.ClientSecret) > 1024 {
		add("client_secret", problem.CodeTooLong, "client_secret must be at most 1024 characters")
	} else if !newSecret && !hasSecret && in.Enabled {
		add("client_secret", problem.CodeRequired, "client_secret is required to enable single sign-on")
	}
	domains := []string{}
	if len(in.AllowedDomains) > 50 {
		add("allowed_domains", problem.CodeTooLong, "allowed_domains holds at most 50 domains")
	}
	for i, d := range in.AllowedDomains {
		d = strings.ToLower(strings.TrimSpace(d))
		if !domainPattern.MatchString(d) {
			add(fmt.Sprintf("allowed_domains[%d]", i), problem.CodeInvalidValue, fmt.Sprintf("%q is not a domain such as example.com", in.AllowedDomains[i]))
			continue
		}
		domains = append(domains, d)
	}
	in.AllowedDomains = domains
	if len(errs) > 0 {
		return problem.Invalid("the single sign-on settings are not valid", errs...)
	}
	return nil
}

// checkIssuer accepts https URLs, and http for the local host only (a
// provider under development).
func checkIssuer(issuer string) error {
	u, err := url.Parse(issuer)
	if err != nil || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return errors.New("must be a URL such as https://login.example.com")
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		host := u.Hostname()
		if ip := net.ParseIP(host); host == "localhost" || (ip != nil && ip.IsLoopback()) {
			return nil
		}
	}
	return errors.New("must use https")
}

// PutConfig replaces a tenant's settings. Enabling checks that the issuer
// answers with its OpenID configuration, so that a typo shows now rather
// than at the first sign-on.
func (s *Service) PutConfig(ctx context.Context, p *identity.Principal, in ConfigInput) (*Config, error) {
	old, err := s.row(ctx, p.TenantID)
	if err != nil {
		return nil, err
	}
	if err := in.validate(old.ClientSecretEnc != ""); err != nil {
		return nil, err
	}
	sealed := old.ClientSecretEnc
	if in.ClientSecret != nil && *in.ClientSecret != "" {
		if s.Secrets == nil {
			return nil, problem.Busy("client secrets cannot be stored: the key ring is not configured")
		}
		if sealed, err = s.Secrets.Seal(ctx, p.TenantID, secretAAD, *in.ClientSecret); err != nil {
			return nil, fmt.Errorf("seal client secret: %w", err)
		}
	}
	if in.Enabled {
		if _, err := s.provider(ctx, in.Issuer); err != nil {
			return nil, problem.Field("issuer", problem.CodeInvalidValue, "the OpenID configuration of %s could not be read: %s", in.Issuer, err.Error())
		}
	}
	domains, _ := json.Marshal(in.AllowedDomains)
	row := configRow{Enabled: in.Enabled, Label: in.Label, Issuer: in.Issuer, ClientID: in.ClientID, ClientSecretEnc: sealed, AllowedDomains: string(domains), UpdatedAt: s.now()}
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		conn := s.db.Conn(ctx)
		if err := conn.Exec(`DELETE FROM tenant_sso WHERE tenant_id = ?`, p.TenantID).Error; err != nil {
			return fmt.Errorf("replace sso settings: %w", err)
		}
		if err := conn.Exec(`INSERT INTO tenant_sso (tenant_id, enabled, label, issuer, client_id, client_secret_enc, allowed_domains, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			p.TenantID, row.Enabled, row.Label, row.Issuer, row.ClientID, row.ClientSecretEnc, row.AllowedDomains, row.UpdatedAt).Error; err != nil {
			return fmt.Errorf("store sso settings: %w", err)
		}
		summary := "single sign-on settings changed"
		if sealed != old.ClientSecretEnc {
			summary += " (new client secret)"
		}
		return audit.Write(ctx, s.db, p.TenantKey, audit.Entry{Action: "sso.update", Object: "tenant_sso", Summary: summary,
			Before: old.config(), After: row.config()})
	})
	if err != nil {
		return nil, err
	}
	return row.config(), nil
}

// PublicInfo says whether the tenant with key offers single sign-on, and
// its button's label. An unknown tenant looks like one without it.
func (s *Service) PublicInfo(ctx context.Context, tenantKey string) (enabled bool, label string, err error) {
	t, ok, err := s.tenant(ctx, "key", tenantKey)
	if err != nil || !ok {
		return false, "", err
	}
	r, err := s.row(ctx, t.ID)
	if err != nil {
		return false, "", err
	}
	return r.Enabled, r.Label, nil
}

type tenantRow struct{ ID, Key, Status string }

// tenant reads a tenant by id or key; only active tenants are found.
func (s *Service) tenant(ctx context.Context, by, v string) (tenantRow, bool, error) {
	var t tenantRow
	res := s.db.Conn(ctx).Raw(`SELECT id, key, status FROM tenants WHERE `+by+` = ?`, v).Scan(&t)
	if res.Error != nil {
		return t, false, fmt.Errorf("find tenant: %w", res.Error)
	}
	return t, res.RowsAffected > 0 && t.Status == "active", nil
}

func (s *Service) provider(ctx context.Context, issuer string) (*oidc.Provider, error) {
	if p, ok := s.providers.GetIfPresent(issuer); ok {
		return p, nil
	}
	dctx, cancel := context.WithTimeout(oidc.ClientContext(ctx, s.HTTPClient), 10*time.Second)
	defer cancel()
	p, err := oidc.NewProvider(dctx, issuer)
	if err != nil {
		return nil, err
	}
	s.providers.Set(issuer, p)
	return p, nil
}

func (s *Service) oauth(p *oidc.Provider, r *configRow, secret, redirectURI string) *oauth2.Config {
	return &oauth2.Config{ClientID: r.ClientID, ClientSecret: secret, Endpoint: p.Endpoint(), RedirectURL: redirectURI,
		Scopes: []string{oidc.ScopeOpenID, "email", "profile"}}
}

func randomString() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("generate sign-on state: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// Start begins a sign-on for the tenant with key: it records state, nonce
// and PKCE verifier, and returns the provider's authorization URL.
func (s *Service) Start(ctx context.Context, tenantKey, redirectURI string) (string, error) {
	t, ok, err := s.tenant(ctx, "key", tenantKey)
	if err != nil {
		return "", fail(ErrInternalError, err)
	}
	if !ok {
		return "", fail(ErrDisabled, nil)
	}
	r, err := s.row(ctx, t.ID)
	if err != nil {
		return "", fail(ErrInternalError, err)
	}
	if !r.Enabled {
		return "", fail(ErrDisabled, nil)
	}
	p, err := s.provider(ctx, r.Issuer)
	if err != nil {
		return "", fail(ErrProvider, err)
	}
	state, err := randomString()
	if err != nil {
		return "", fail(ErrInternalError, err)
	}
	nonce, err := randomString()
	if err != nil {
		return "", fail(ErrInternalError, err)
	}
	verifier := oauth2.GenerateVerifier()
	now := s.now()
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		// Abandoned sign-ons are cleaned here, where new ones are made.
		if err := s.db.Conn(ctx).Exec(`DELETE FROM oidc_logins WHERE created_at < ?`, now.Add(-loginTTL)).Error; err != nil {
			return fmt.Errorf("clean sign-ons: %w", err)
		}
		if err := s.db.Conn(ctx).Exec(`INSERT INTO oidc_logins (state, tenant_id, nonce, verifier, created_at) VALUES (?, ?, ?, ?, ?)`,
			state, t.ID, nonce, verifier, now).Error; err != nil {
			return fmt.Errorf("record sign-on: %w", err)
		}
		return nil
	})
	if err != nil {
		return "", fail(ErrInternalError, err)
	}
	// The secret is not needed to build the URL.
	return s.oauth(p, r, "", redirectURI).AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)), nil
}

// CallbackInput is what the provider sent back.
type CallbackInput struct {
	State, Code, Error string
	RedirectURI        string
	Client             identity.ClientInfo
}

type loginRow struct {
	TenantID  string
	Nonce     string
	Verifier  string
	CreatedAt time.Time
}

// takeLogin consumes a sign-on's state: each state is good for one
// callback, so a replayed one fails.
func (s *Service) takeLogin(ctx context.Context, state string) (*loginRow, error) {
	if state == "" || len(state) > 100 {
		return nil, fail(ErrInvalidState, nil)
	}
	var l loginRow
	res := s.db.Conn(ctx).Raw(`SELECT tenant_id, nonce, verifier, created_at FROM oidc_logins WHERE state = ?`, state).Scan(&l)
	if res.Error != nil {
		return nil, fail(ErrInternalError, res.Error)
	}
	if res.RowsAffected == 0 {
		return nil, fail(ErrInvalidState, nil)
	}
	del := s.db.Conn(ctx).Exec(`DELETE FROM oidc_logins WHERE state = ?`, state)
	if del.Error != nil {
		return nil, fail(ErrInternalError, del.Error)
	}
	if del.RowsAffected != 1 {
		// Another callback with this state got here first.
		return nil, fail(ErrInvalidState, nil)
	}
	if s.now().Sub(l.CreatedAt) > loginTTL {
		return nil, fail(ErrExpired, nil)
	}
	return &l, nil
}

type claims struct {
	Email         string `json:"email"`
	EmailVerified any    `json:"email_verified"`
}

// verified reads email_verified, which some providers send as a string.
func (c claims) verified() bool {
	switch v := c.EmailVerified.(type) {
	case bool:
		return v
	case string:
		return v == "true"
	}
	return false
}

// Callback completes a sign-on: it exchanges the code, verifies the ID
// token and its nonce, matches the user and opens a session.
func (s *Service) Callback(ctx context.Context, in CallbackInput) (*identity.Session, error) {
	l, err := s.takeLogin(ctx, in.State)
	if err != nil {
		return nil, err
	}
	if in.Error != "" {
		code := ErrProvider
		if in.Error == "access_denied" {
			code = "access_denied"
		}
		return nil, fail(code, errors.New("provider answered "+in.Error))
	}
	t, ok, err := s.tenant(ctx, "id", l.TenantID)
	if err != nil {
		return nil, fail(ErrInternalError, err)
	}
	r, err := s.row(ctx, l.TenantID)
	if err != nil {
		return nil, fail(ErrInternalError, err)
	}
	if !ok || !r.Enabled {
		return nil, fail(ErrDisabled, nil)
	}
	if s.Secrets == nil {
		return nil, fail(ErrInternalError, errors.New("the key ring is not configured"))
	}
	secret, err := s.Secrets.Open(ctx, l.TenantID, secretAAD, r.ClientSecretEnc)
	if err != nil {
		return nil, fail(ErrInternalError, fmt.Errorf("open client secret: %w", err))
	}
	p, err := s.provider(ctx, r.Issuer)
	if err != nil {
		return nil, fail(ErrProvider, err)
	}
	hctx := oidc.ClientContext(ctx, s.HTTPClient)
	tok, err := s.oauth(p, r, secret, in.RedirectURI).Exchange(hctx, in.Code, oauth2.VerifierOption(l.Verifier))
	if err != nil {
		return nil, fail(ErrProvider, fmt.Errorf("exchange code: %w", err))
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return nil, fail(ErrInvalidToken, errors.New("no id_token in the token response"))
	}
	idt, err := p.Verifier(&oidc.Config{ClientID: r.ClientID}).Verify(hctx, raw)
	if err != nil {
		return nil, fail(ErrInvalidToken, err)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(l.Nonce)) != 1 {
		return nil, fail(ErrInvalidToken, errors.New("nonce mismatch"))
	}
	var c claims
	if err := idt.Claims(&c); err != nil {
		return nil, fail(ErrInvalidToken, err)
	}
	if !c.verified() {
		return nil, fail(ErrUnverified, nil)
	}
	email, err := identity.NormalizeEmail(c.Email)
	if err != nil {
		return nil, fail(ErrUnknownUser, nil)
	}
	if !domainAllowed(r.config().AllowedDomains, email) {
		return nil, fail(ErrDomain, nil)
	}
	u, err := s.ids.UserByEmail(ctx, l.TenantID, email)
	if err != nil {
		return nil, fail(ErrInternalError, err)
	}
	if u == nil {
		return nil, fail(ErrUnknownUser, nil)
	}
	if u.Status != identity.StatusActive {
		return nil, fail(ErrInactiveUser, nil)
	}
	var sess *identity.Session
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		if sess, err = s.ids.OpenUserSession(ctx, u, in.Client); err != nil {
			return err
		}
		return s.ids.AuditLogin(ctx, t.Key, u, "single sign-on")
	})
	if err != nil {
		return nil, fail(ErrInternalError, err)
	}
	return sess, nil
}

func domainAllowed(allowed []string, email string) bool {
	if len(allowed) == 0 {
		return true
	}
	domain := email[strings.LastIndexByte(email, '@')+1:]
	for _, d := range allowed {
		if d == domain {
			return true
		}
	}
	return false
}
