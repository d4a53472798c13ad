package metadata

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"gorm.io/gorm"

	"github.com/tessera-crm/tessera/internal/problem"
)

// The tenants row is shared: the tenants package owns its lifecycle columns,
// this package owns metadata_version, which every metadata change bumps in
// the same transaction (taking the row lock that serializes changes).

type tenantRow struct {
	ID              string
	Key             string
	Name            string
	Status          string
	Locale          string
	TimeZone        string
	Currency        string
	LogoURL         string
	MetadataVersion int64
}

type objectRow struct {
	TenantID   string
	APIName    string
	Definition string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// ErrTenantNotFound is returned when a tenant id has no row.
var ErrTenantNotFound = errors.New("tenant not found")

// LoadSnapshot reads a tenant's metadata: two queries.
func LoadSnapshot(ctx context.Context, conn *gorm.DB, tenantID string) (*Snapshot, error) {
	var t tenantRow
	res := conn.WithContext(ctx).Raw(`SELECT id, key, name, status, locale, time_zone, currency, logo_url, metadata_version FROM tenants WHERE id = ?`, tenantID).Scan(&t)
	if res.Error != nil {
		return nil, fmt.Errorf("load tenant %s: %w", tenantID, res.Error)
	}
	if res.RowsAffected == 0 {
		return nil, ErrTenantNotFound
	}
	var rows []objectRow
	if err := conn.WithContext(ctx).Raw(`SELECT tenant_id, api_name, definition, created_at, updated_at FROM meta_objects WHERE tenant_id = ?`, tenantID).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("load metadata of tenant %s: %w", tenantID, err)
	}
	objects := make([]*Object, 0, len(rows))
	for _, r := range rows {
		var o Object
		if err := json.Unmarshal([]byte(r.Definition), &o); err != nil {
			return nil, fmt.Errorf("decode object %s of tenant %s: %w", r.APIName, tenantID, err)
		}
		objects = append(objects, &o)
	}
	sort.Slice(objects, func(i, j int) bool { return objects[i].APIName < objects[j].APIName })
	return NewSnapshot(Tenant{ID: t.ID, Key: t.Key, Name: t.Name, Status: t.Status, Locale: t.Locale, TimeZone: t.TimeZone, Currency: t.Currency, LogoURL: t.LogoURL},
		t.MetadataVersion, objects), nil
}

// bumpVersion increments the tenant's metadata version, locking its row
// until the transaction ends.
func bumpVersion(ctx context.Context, conn *gorm.DB, tenantID string) (int64, error) {
	var version int64
	res := conn.WithContext(ctx).Raw(`UPDATE tenants SET metadata_version = metadata_version + 1 WHERE id = ? RETURNING metadata_version`, tenantID).Scan(&version)
	if res.Error != nil {
		return 0, fmt.Errorf("bump metadata version: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return 0, problem.NotFound("tenant %s does not exist", tenantID)
	}
	return version, nil
}

func saveObject(ctx context.Context, conn *gorm.DB, tenantID string, o *Object) error {
	doc, err := json.Marshal(o)
	if err != nil {
		return fmt.Errorf("encode object %s: %w", o.APIName, err)
	}
	err = conn.WithContext(ctx).Exec(`INSERT INTO meta_objects (tenant_id, api_name, definition, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (tenant_id, api_name) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at`,
		tenantID, o.APIName, string(doc), o.CreatedAt, o.UpdatedAt).Error
	if err != nil {
		return fmt.Errorf("save object %s: %w", o.APIName, err)
	}
	return nil
}

func deleteObjectRow(ctx context.Context, conn *gorm.DB, tenantID, apiName string) error {
	if err := conn.WithContext(ctx).Exec(`DELETE FROM meta_objects WHERE tenant_id = ? AND api_name = ?`, tenantID, apiName).Error; err != nil {
		return fmt.Errorf("delete object %s: %w", apiName, err)
	}
	return nil
}
