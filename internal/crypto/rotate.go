package crypto

import (
	"context"
	"fmt"
)

// RewrapAll re-wraps every tenant's data key under newMaster in one
// transaction and then makes newMaster the keyring's master key. Data keys
// and therefore sealed values do not change, so rotation costs one row per
// tenant, not a rewrite of every encrypted value.
//
// It is meant to run with no server instance using the database: an instance
// still holding the old master key cannot unwrap the new rows (its cached
// keys keep working until it restarts), and a tenant's first key created by
// such an instance during the rotation would be wrapped under the old key.
// It returns the number of keys re-wrapped.
func (k *Keyring) RewrapAll(ctx context.Context, newMaster []byte) (int, error) {
	next, err := newAEAD(newMaster)
	if err != nil {
		return 0, fmt.Errorf("new master key: %w", err)
	}
	// Held throughout so that no key is created in this process under the
	// old master key while the rows are being rewritten.
	k.mu.Lock()
	defer k.mu.Unlock()
	n := 0
	err = k.db.InTx(ctx, func(ctx context.Context) error {
		var rows []struct {
			ID      string
			DataKey string
		}
		if err := k.db.Conn(ctx).Raw(`SELECT id, data_key FROM tenants WHERE data_key <> '' ORDER BY id`).Scan(&rows).Error; err != nil {
			return fmt.Errorf("read data keys: %w", err)
		}
		for _, r := range rows {
			raw, err := unwrapRaw(k.master, r.ID, r.DataKey)
			if err != nil {
				return fmt.Errorf("data key of tenant %s: %w", r.ID, err)
			}
			wrapped, err := wrap(next, r.ID, raw)
			if err != nil {
				return err
			}
			res := k.db.Conn(ctx).Exec(`UPDATE tenants SET data_key = ? WHERE id = ? AND data_key = ?`, wrapped, r.ID, r.DataKey)
			if res.Error != nil {
				return fmt.Errorf("store data key of tenant %s: %w", r.ID, res.Error)
			}
			if res.RowsAffected != 1 {
				return fmt.Errorf("data key of tenant %s changed during the rotation", r.ID)
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("rewrap data keys: %w", err)
	}
	k.master = next
	return n, nil
}
