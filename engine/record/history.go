package record

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/tessera-crm/tessera/internal/sqldialect"

	"github.com/tessera-crm/tessera/metadata"
)

// recordStage closes the open stage-history row of a pipeline field and
// opens one for the new stage, so that funnel conversion and time in stage
// can be computed from entered_at / left_at.
func recordStage(ctx context.Context, conn *gorm.DB, sc *scope, recordID string, f *metadata.Field, from, to any, at time.Time) error {
	hist := sc.tableOf(metadata.TableStageHistory)
	db := conn.WithContext(ctx)
	d := sc.ddl.D.Name()
	if from != nil {
		q := fmt.Sprintf("UPDATE %s SET left_at = ?, left_by = ? WHERE object = ? AND record_id = ? AND field = ? AND left_at IS NULL", hist)
		if err := db.Exec(q, bindTime(d, at), nullable(sc.user), sc.obj.APIName, recordID, f.APIName).Error; err != nil {
			return fmt.Errorf("close stage history: %w", err)
		}
	}
	if to == nil {
		return nil
	}
	q := fmt.Sprintf("INSERT INTO %s (id, object, record_id, field, stage, from_stage, entered_at, entered_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", hist)
	if err := db.Exec(q, newID(), sc.obj.APIName, recordID, f.APIName, to, from, bindTime(d, at), nullable(sc.user)).Error; err != nil {
		return fmt.Errorf("open stage history: %w", err)
	}
	return nil
}

// StageEntry is one row of a record's stage history.
type StageEntry struct {
	Field     string  `json:"field"`
	Stage     string  `json:"stage"`
	FromStage *string `json:"from_stage"`
	EnteredAt any     `json:"entered_at"`
	LeftAt    any     `json:"left_at"`
	EnteredBy *string `json:"entered_by"`
	LeftBy    *string `json:"left_by"`
}

func bindTime(d sqldialect.Name, t time.Time) any {
	return metadata.BindValue(d, sqldialect.KindDatetime, 0, t)
}

// fieldChange is one change of a tracked field.
type fieldChange struct {
	field    *metadata.Field
	old, new any
}

// recordFieldHistory writes the changes of tracked fields, in the write's
// transaction. Encrypted fields record that they changed, not their values.
func recordFieldHistory(ctx context.Context, conn *gorm.DB, sc *scope, recordID string, changes []fieldChange, at time.Time) error {
	if len(changes) == 0 {
		return nil
	}
	rows := make([]string, len(changes))
	args := make([]any, 0, 7*len(changes))
	for i, c := range changes {
		rows[i] = "(?, ?, ?, ?, ?, ?, ?, ?)"
		oldV, newV := historyValue(c.field, c.old), historyValue(c.field, c.new)
		args = append(args, newID(), sc.obj.APIName, recordID, c.field.APIName, oldV, newV, bindTime(sc.ddl.D.Name(), at), nullable(sc.user))
	}
	q := fmt.Sprintf("INSERT INTO %s (id, object, record_id, field, old_value, new_value, changed_at, changed_by) VALUES %s",
		sc.tableOf(metadata.TableFieldHistory), strings.Join(rows, ", "))
	if err := conn.WithContext(ctx).Exec(q, args...).Error; err != nil {
		return fmt.Errorf("write field history: %w", err)
	}
	return nil
}

// historyValue is a value as the field history stores it: JSON.
func historyValue(f *metadata.Field, v any) any {
	if v == nil {
		return nil
	}
	if f.Encrypted {
		v = "[encrypted]"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
