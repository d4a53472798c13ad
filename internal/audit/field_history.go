package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/tessera-crm/tessera/internal/database"
	"github.com/tessera-crm/tessera/internal/identity"
	"github.com/tessera-crm/tessera/internal/sqldialect"
	"github.com/tessera-crm/tessera/metadata"
)

// FieldChange is one changed field of a record. Old and New are stored
// JSON-encoded; callers pass a placeholder, not the value, for encrypted
// fields.
type FieldChange struct {
	Field string
	Old   any
	New   any
}

// HistoryEntry is one change of a tracked field, as the API shows it.
type HistoryEntry struct {
	Field         string  `json:"field"`
	OldValue      any     `json:"old_value"`
	NewValue      any     `json:"new_value"`
	ChangedAt     string  `json:"changed_at"`
	ChangedBy     *string `json:"changed_by"`
	ChangedByName string  `json:"changed_by_name"`
}

// Field history page sizes.
const (
	DefaultHistoryLimit = 200
	MaxHistoryLimit     = 500
)

// WriteFieldChanges records changes of a record's tracked fields, in the
// caller's transaction (database.Conn), with one statement for all of them.
// The changing user is the principal in ctx (none for system work).
func WriteFieldChanges(ctx context.Context, db *database.DB, tenantKey, object, recordID string, changes []FieldChange) error {
	if len(changes) == 0 {
		return nil
	}
	var by any
	if p := identity.FromContext(ctx); p != nil && !p.Operator && p.UserID != "" {
		by = p.UserID
	}
	at := bindTime(db.Dialect, time.Now().UTC())
	rows := make([]string, len(changes))
	args := make([]any, 0, 8*len(changes))
	for i, c := range changes {
		oldV, err := encode(c.Old)
		if err != nil {
			return fmt.Errorf("field history of %s.%s: %w", object, c.Field, err)
		}
		newV, err := encode(c.New)
		if err != nil {
			return fmt.Errorf("field history of %s.%s: %w", object, c.Field, err)
		}
		rows[i] = "(?, ?, ?, ?, ?, ?, ?, ?)"
		args = append(args, uuid.Must(uuid.NewV7()).String(), object, recordID, c.Field, oldV, newV, at, by)
	}
	table := db.Dialect.Table(tenantKey, metadata.TableFieldHistory)
	err := db.Conn(ctx).Exec(`INSERT INTO `+table+` (id, object, record_id, field, old_value, new_value, changed_at, changed_by) VALUES `+
		strings.Join(rows, ", "), args...).Error
	if err != nil {
		return fmt.Errorf("write field history of %s %s: %w", object, recordID, err)
	}
	return nil
}

// FieldHistory returns a record's tracked changes, newest first, at most
// limit (0: DefaultHistoryLimit) of them. Callers check that the record is
// readable and leave out fields hidden from the reader.
func FieldHistory(ctx context.Context, db *database.DB, tenantKey, object, recordID string, limit int) ([]HistoryEntry, error) {
	if limit <= 0 {
		limit = DefaultHistoryLimit
	}
	limit = min(limit, MaxHistoryLimit)
	table := db.Dialect.Table(tenantKey, metadata.TableFieldHistory)
	rows, err := db.Conn(ctx).Raw(fmt.Sprintf(`SELECT field, old_value, new_value, changed_at, changed_by FROM %s
		WHERE object = ? AND record_id = ? ORDER BY changed_at DESC, id DESC LIMIT %d`, table, limit), object, recordID).Rows()
	if err != nil {
		return nil, fmt.Errorf("read field history of %s %s: %w", object, recordID, err)
	}
	defer rows.Close()
	out := []HistoryEntry{}
	var userIDs []string
	for rows.Next() {
		var (
			e             HistoryEntry
			oldV, newV    *string
			at, changedBy any
		)
		if err := rows.Scan(&e.Field, &oldV, &newV, &at, &changedBy); err != nil {
			return nil, fmt.Errorf("read field history of %s %s: %w", object, recordID, err)
		}
		e.OldValue, e.NewValue = decodeValue(oldV), decodeValue(newV)
		e.ChangedAt, _ = metadata.OutputValue(sqldialect.KindDatetime, 0, at).(string)
		if u, ok := metadata.OutputValue(sqldialect.KindUUID, 0, changedBy).(string); ok {
			e.ChangedBy = &u
			userIDs = append(userIDs, u)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read field history of %s %s: %w", object, recordID, err)
	}
	names, err := userNames(ctx, db, tenantKey, userIDs)
	if err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].ChangedBy != nil {
			out[i].ChangedByName = names[*out[i].ChangedBy]
		}
	}
	return out, nil
}

// userNames reads the names of users of the tenant from the platform tables.
// It is a query of its own rather than a join with the tenant's table: with
// Citus the tenant's schema and the platform tables may live on different
// nodes.
func userNames(ctx context.Context, db *database.DB, tenantKey string, ids []string) (map[string]string, error) {
	names := map[string]string{}
	if len(ids) == 0 {
		return names, nil
	}
	ids = unique(ids)
	var rows []struct {
		ID   string
		Name string
	}
	err := db.Conn(ctx).Raw(`SELECT u.id, u.name FROM users u JOIN tenants t ON t.id = u.tenant_id
		WHERE t.key = ? AND `+db.Dialect.InList("u.id", sqldialect.KindUUID), tenantKey, db.Dialect.ListParam(ids)).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("read user names: %w", err)
	}
	for _, r := range rows {
		names[r.ID] = r.Name
	}
	return names, nil
}

func unique(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := ids[:0:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// decodeValue returns a stored JSON value decoded; text that is not JSON is
// returned as it is.
func decodeValue(s *string) any {
	if s == nil {
		return nil
	}
	var v any
	if err := json.Unmarshal([]byte(*s), &v); err != nil {
		return *s
	}
	return v
}
