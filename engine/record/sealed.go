package record

import (
	"context"
	"fmt"

	"github.com/tessera-crm/tessera/internal/access"
	"github.com/tessera-crm/tessera/metadata"
)

// Sealer encrypts and decrypts the values of encrypted fields under the
// tenant's data key; aad binds a value to its object and field.
type Sealer interface {
	Seal(ctx context.Context, tenantID, aad, plaintext string) (string, error)
	Open(ctx context.Context, tenantID, aad, sealed string) (string, error)
}

func sealAAD(object, field string) string { return object + "." + field }

// bind converts an assignment's value for its column, sealing the values of
// encrypted fields.
func (s *Service) bind(ctx context.Context, sc *scope, a assignment) (any, error) {
	if a.field == nil {
		return a.value, nil
	}
	if !a.field.Encrypted || a.value == nil {
		return a.field.Bind(s.db.Dialect.Name(), a.value), nil
	}
	if s.Sealer == nil {
		return nil, fmt.Errorf("%s.%s is encrypted but no keyring is configured", sc.obj.APIName, a.field.APIName)
	}
	plain, ok := a.value.(string)
	if !ok {
		return nil, fmt.Errorf("%s.%s: encrypted value is %T, not text", sc.obj.APIName, a.field.APIName, a.value)
	}
	sealed, err := s.Sealer.Seal(ctx, sc.snap.Tenant.ID, sealAAD(sc.obj.APIName, a.field.APIName), plain)
	if err != nil {
		return nil, fmt.Errorf("seal %s.%s: %w", sc.obj.APIName, a.field.APIName, err)
	}
	return sealed, nil
}

// reveal decrypts the encrypted fields of records read from obj. Lists
// show them masked unless the caller holds the unmask capability; a single
// record's read shows them in clear.
func (s *Service) reveal(ctx context.Context, sc *scope, obj *metadata.Object, recs []Record, list bool) error {
	mask := list && sc.grant != nil && !sc.grant.Has(access.CapUnmask)
	for _, f := range obj.Fields {
		if !f.Encrypted {
			continue
		}
		for _, r := range recs {
			sealed, ok := r[f.APIName].(string)
			if !ok || sealed == "" {
				continue
			}
			if s.Sealer == nil {
				return fmt.Errorf("%s.%s is encrypted but no keyring is configured", obj.APIName, f.APIName)
			}
			plain, err := s.Sealer.Open(ctx, sc.snap.Tenant.ID, sealAAD(obj.APIName, f.APIName), sealed)
			if err != nil {
				return fmt.Errorf("open %s.%s of %v: %w", obj.APIName, f.APIName, r["id"], err)
			}
			if mask {
				plain = s.Mask(plain)
			}
			r[f.APIName] = plain
		}
	}
	return nil
}
