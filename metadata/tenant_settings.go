package metadata

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tessera-crm/tessera/internal/problem"
)

// TenantSettings are what a tenant admin may change about the tenant itself.
type TenantSettings struct {
	Name     *string `json:"name"`
	LogoURL  *string `json:"logo_url"`
	Locale   *string `json:"locale"`
	TimeZone *string `json:"time_zone"`
}

// maxLogoURL allows a small inline logo (data:image/...;base64) as well as a link.
const maxLogoURL = 100_000

func (p TenantSettings) validate() error {
	var errs []problem.FieldError
	if p.Name != nil && (strings.TrimSpace(*p.Name) == "" || utf8.RuneCountInString(*p.Name) > 120) {
		errs = append(errs, problem.FieldError{Field: "name", Code: problem.CodeInvalidValue, Message: "name must be 1 to 120 characters"})
	}
	if p.LogoURL != nil && *p.LogoURL != "" {
		v := *p.LogoURL
		ok := len(v) <= maxLogoURL
		if strings.HasPrefix(v, "data:") {
			ok = ok && (strings.HasPrefix(v, "data:image/png;base64,") || strings.HasPrefix(v, "data:image/jpeg;base64,") ||
				strings.HasPrefix(v, "data:image/svg+xml;base64,") || strings.HasPrefix(v, "data:image/webp;base64,"))
		} else {
			u, err := url.Parse(v)
			ok = ok && err == nil && u.Scheme == "https" && u.Host != ""
		}
		if !ok {
			errs = append(errs, problem.FieldError{Field: "logo_url", Code: problem.CodeInvalidValue,
				Message: "logo_url must be an https URL or a base64 PNG, JPEG, SVG or WebP data URL of at most 100 kB"})
		}
	}
	if p.Locale != nil && *p.Locale != "zh-CN" && *p.Locale != "en" {
		errs = append(errs, problem.FieldError{Field: "locale", Code: problem.CodeInvalidValue, Message: "locale must be zh-CN or en"})
	}
	if p.TimeZone != nil {
		if _, err := time.LoadLocation(*p.TimeZone); err != nil || *p.TimeZone == "" || *p.TimeZone == "Local" {
			errs = append(errs, problem.FieldError{Field: "time_zone", Code: problem.CodeInvalidValue, Message: "time_zone must be an IANA zone such as Asia/Shanghai"})
		}
	}
	if len(errs) > 0 {
		return problem.Invalid("the settings are not valid", errs...)
	}
	return nil
}

// UpdateTenant changes the tenant's name, logo, language or time zone. They
// are part of the snapshot (every screen shows them), so the change bumps
// the metadata version like any other.
func (s *Service) UpdateTenant(ctx context.Context, tenantID string, p TenantSettings) (*Snapshot, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	return s.apply(ctx, tenantID, func(cs *changeSet) error {
		before := cs.cur.Tenant
		cs.tenantBefore = &before
		t := &cs.cur.Tenant
		if p.Name != nil {
			t.Name = strings.TrimSpace(*p.Name)
		}
		if p.LogoURL != nil {
			t.LogoURL = *p.LogoURL
		}
		if p.Locale != nil {
			t.Locale = *p.Locale
		}
		if p.TimeZone != nil {
			t.TimeZone = *p.TimeZone
		}
		err := cs.conn.Exec(`UPDATE tenants SET name = ?, logo_url = ?, locale = ?, time_zone = ?, updated_at = ? WHERE id = ?`,
			t.Name, t.LogoURL, t.Locale, t.TimeZone, cs.now, tenantID).Error
		if err != nil {
			return fmt.Errorf("update tenant: %w", err)
		}
		return nil
	})
}
