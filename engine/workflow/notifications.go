package workflow

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/tessera-crm/tessera/metadata"
)

// notify adds an in-app notification for each user, in the caller's
// transaction.
func (e *Engine) notify(ctx context.Context, snap *metadata.Snapshot, users []string, title, body, object, recordID, source string) error {
	ddl := metadata.DDL{D: e.db.Dialect, Key: snap.Tenant.Key}
	q := fmt.Sprintf(`INSERT INTO %s (id, user_id, title, body, object, record_id, source, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		ddl.D.Table(ddl.Key, metadata.TableNotifications))
	now := bindTime(e.db, e.now())
	for _, u := range users {
		if err := e.db.Conn(ctx).Exec(q, uuid.Must(uuid.NewV7()).String(), u, title, body, object, recordID, source, now).Error; err != nil {
			return fmt.Errorf("notify %s: %w", u, err)
		}
	}
	return nil
}
