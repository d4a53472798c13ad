// Package tenants owns the tenant lifecycle: provisioning a tenant (its row,
// its namespace of real tables, the template's objects and its first admin,
// all in one transaction), resolving tenant keys, and listing tenants.
package tenants

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/tessera-crm/tessera/internal/access"
	"github.com/tessera-crm/tessera/internal/database"
	"github.com/tessera-crm/tessera/internal/identity"
	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/metadata"
	"github.com/tessera-crm/tessera/tenants/template"
)

// Tenant is a customer instance.
type Tenant struct {
	ID              string    `json:"id"`
	Key             string    `json:"key"`
	Name            string    `json:"name"`
	Status          string    `json:"status"`
	Locale          string    `json:"locale"`
	TimeZone        string    `json:"time_zone"`
	Currency        string    `json:"currency"`
	MetadataVersion int64     `json:"metadata_version"`
	Template        string    `json:"template"`
	TemplateVersion int       `json:"template_version"`
	CreatedAt       time.Time `json:"created_at"`
	UpdatedAt       time.Time `json:"updated_at"`
}

// Service provisions and resolves tenants.
type Service struct {
	db     *database.DB
	meta   *metadata.Service
	users  *identity.Service
	access *access.Service
	now    func() time.Time
}

// NewService returns the tenants service.
func NewService(db *database.DB, meta *metadata.Service, users *identity.Service, acc *access.Service) *Service {
	return &Service{db: db, meta: meta, users: users, access: acc, now: func() time.Time { return time.Now().UTC() }}
}

// CreateInput describes a tenant to provision.
type CreateInput struct {
	Key           string `json:"key"`
	Name          string `json:"name"`
	Locale        string `json:"locale"`
	TimeZone      string `json:"time_zone"`
	Currency      string `json:"currency"`
	Template      string `json:"template"` // "sales" (default) or "none"
	AdminEmail    string `json:"admin_email"`
	AdminName     string `json:"admin_name"`
	AdminPassword string `json:"admin_password"`
}

var currencyPattern = regexp.MustCompile(`^[A-Z]{3}$`)

func (in *CreateInput) normalize() error {
	var errs []problem.FieldError
	add := func(field, code, msg string) {
		errs = append(errs, problem.FieldError{Field: field, Code: code, Message: msg})
	}
	in.Key = strings.TrimSpace(in.Key)
	if why := metadata.ValidateTenantKey(in.Key); why != "" {
		add("key", problem.CodeInvalidValue, "key "+why)
	}
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" {
		add("name", problem.CodeRequired, "name is required")
	} else if len([]rune(in.Name)) > 120 {
		add("name", problem.CodeTooLong, "name is at most 120 characters")
	}
	if in.Locale == "" {
		in.Locale = "zh-CN"
	}
	if in.Locale != "zh-CN" && in.Locale != "en" {
		add("locale", problem.CodeInvalidValue, "locale must be zh-CN or en")
	}
	if in.TimeZone == "" {
		in.TimeZone = "Asia/Shanghai"
	}
	if _, err := time.LoadLocation(in.TimeZone); err != nil || in.TimeZone == "Local" {
		add("time_zone", problem.CodeInvalidValue, "time_zone must be an IANA zone such as Asia/Shanghai")
	}
	if in.Currency == "" {
		in.Currency = "CNY"
	}
	if !currencyPattern.MatchString(in.Currency) {
		add("currency", problem.CodeInvalidValue, "currency must be an ISO 4217 code such as CNY")
	}
	if in.Template == "" {
		in.Template = "sales"
	}
	if in.Template != "sales" && in.Template != "none" {
		add("template", problem.CodeInvalidValue, "template must be sales or none")
	}
	if _, err := identity.NormalizeEmail(in.AdminEmail); err != nil {
		add("admin_email", problem.CodeInvalidValue, "admin_email "+err.Error())
	}
	if err := identity.CheckPasswordPolicy(in.AdminPassword, in.AdminEmail); err != nil {
		add("admin_password", problem.CodeInvalidValue, err.Error())
	}
	if len(errs) > 0 {
		return problem.Invalid("the tenant is not valid", errs...)
	}
	return nil
}

// Create provisions a tenant in one transaction: the row, the namespace, the
// template's objects through the metadata service (the same path an admin's
// change takes), and the first admin. A failure leaves nothing behind.
func (s *Service) Create(ctx context.Context, in CreateInput) (*Tenant, *identity.User, error) {
	if err := in.normalize(); err != nil {
		return nil, nil, err
	}
	now := s.now()
	t := &Tenant{ID: uuid.Must(uuid.NewV7()).String(), Key: in.Key, Name: in.Name, Status: "active", Locale: in.Locale,
		TimeZone: in.TimeZone, Currency: in.Currency, CreatedAt: now, UpdatedAt: now}
	var tpl *template.Template
	if in.Template == "sales" {
		var err error
		if tpl, err = template.Sales(); err != nil {
			return nil, nil, fmt.Errorf("load sales template: %w", err)
		}
		t.Template, t.TemplateVersion = tpl.Key, tpl.Version
	}
	var admin *identity.User
	var snap *metadata.Snapshot
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		conn := s.db.Conn(ctx)
		err := conn.Exec(`INSERT INTO tenants (id, key, name, status, locale, time_zone, currency, metadata_version, template, template_version, namespace_version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, `+strconv.Itoa(metadata.NamespaceVersion)+`, ?, ?)`, t.ID, t.Key, t.Name, t.Status, t.Locale, t.TimeZone, t.Currency, t.Template, t.TemplateVersion, t.CreatedAt, t.UpdatedAt).Error
		if err != nil {
			if database.IsUniqueViolation(err) {
				return problem.Conflict(problem.CodeUniqueViolation, "a tenant with key %q already exists", t.Key).
					WithErrors(problem.FieldError{Field: "key", Code: problem.CodeUniqueViolation, Message: "key is taken"})
			}
			return fmt.Errorf("insert tenant: %w", err)
		}
		for _, stmt := range (metadata.DDL{D: s.db.Dialect, Key: t.Key}).Namespace() {
			if err := conn.Exec(stmt).Error; err != nil {
				return fmt.Errorf("create namespace of %s: %w", t.Key, err)
			}
		}
		if tpl != nil {
			if snap, err = s.meta.CreateObjects(ctx, t.ID, tpl.Objects); err != nil {
				return fmt.Errorf("install template %s: %w", tpl.Key, err)
			}
			t.MetadataVersion = snap.Version
		}
		admin, err = s.users.CreateUser(ctx, t.ID, identity.NewUserInput{Email: in.AdminEmail, Name: in.AdminName, Password: in.AdminPassword, Role: identity.RoleAdmin})
		if err != nil {
			if pe, ok := problem.As(err); ok {
				return pe
			}
			return fmt.Errorf("create admin: %w", err)
		}
		installed := snap
		var starter *access.Starter
		if tpl != nil {
			starter = tpl.Access
		} else {
			installed = metadata.NewSnapshot(metadata.Tenant{ID: t.ID, Key: t.Key, Locale: t.Locale}, 0, nil)
		}
		if err := s.access.Provision(ctx, installed, starter, admin.ID); err != nil {
			return fmt.Errorf("install access settings: %w", err)
		}
		return nil
	})
	if err != nil {
		var pe *problem.Error
		if errors.As(err, &pe) {
			return nil, nil, pe
		}
		return nil, nil, err
	}
	if snap != nil {
		s.meta.Publish(ctx, snap)
	}
	return t, admin, nil
}

// ErrNotFound is returned for an unknown tenant key.
var ErrNotFound = errors.New("tenant not found")

// ByKey returns a tenant by its key.
func (s *Service) ByKey(ctx context.Context, key string) (*Tenant, error) {
	var t Tenant
	res := s.db.Conn(ctx).Raw(`SELECT id, key, name, status, locale, time_zone, currency, metadata_version, template, template_version, created_at, updated_at
		FROM tenants WHERE key = ?`, key).Scan(&t)
	if res.Error != nil {
		return nil, fmt.Errorf("find tenant %s: %w", key, res.Error)
	}
	if res.RowsAffected == 0 {
		return nil, ErrNotFound
	}
	return &t, nil
}

// List returns every tenant, newest first.
func (s *Service) List(ctx context.Context) ([]Tenant, error) {
	var out []Tenant
	err := s.db.Conn(ctx).Raw(`SELECT id, key, name, status, locale, time_zone, currency, metadata_version, template, template_version, created_at, updated_at
		FROM tenants ORDER BY created_at DESC`).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("list tenants: %w", err)
	}
	if out == nil {
		out = []Tenant{}
	}
	return out, nil
}

// UpgradeNamespaces brings the system tables of tenants created by an
// older version up to metadata.NamespaceVersion, one tenant per
// transaction. It runs at start-up, after the platform migrations.
func (s *Service) UpgradeNamespaces(ctx context.Context) error {
	var stale []struct {
		ID               string
		Key              string
		NamespaceVersion int
	}
	if err := s.db.Conn(ctx).Raw(`SELECT id, key, namespace_version FROM tenants WHERE namespace_version < ?`, metadata.NamespaceVersion).Scan(&stale).Error; err != nil {
		return fmt.Errorf("find tenants to upgrade: %w", err)
	}
	for _, t := range stale {
		err := s.db.InTx(ctx, func(ctx context.Context) error {
			conn := s.db.Conn(ctx)
			for _, stmt := range (metadata.DDL{D: s.db.Dialect, Key: t.Key}).NamespaceUpgrade(t.NamespaceVersion) {
				if err := conn.Exec(stmt).Error; err != nil {
					return fmt.Errorf("upgrade namespace of %s: %w", t.Key, err)
				}
			}
			return conn.Exec(`UPDATE tenants SET namespace_version = ? WHERE id = ?`, metadata.NamespaceVersion, t.ID).Error
		})
		if err != nil {
			return err
		}
	}
	return nil
}
