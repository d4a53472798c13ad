package record

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/tessera-crm/tessera/internal/database"
	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/metadata"
)

// verifyLookups checks that every lookup value names a live record of its
// target: one query per lookup field written. PostgreSQL's foreign keys
// would catch a missing id too, but not a record in the recycle bin, and
// SQLite has no constraint to catch either.
func verifyLookups(ctx context.Context, conn *gorm.DB, sc *scope, p *prepared, prefix string) error {
	for _, a := range p.lookups {
		if a.value == nil {
			continue
		}
		var n int64
		q := fmt.Sprintf("SELECT COUNT(*) FROM %s WHERE id = ? AND deleted_at IS NULL", sc.tableOf(a.field.Target))
		if err := conn.WithContext(ctx).Raw(q, a.value).Scan(&n).Error; err != nil {
			return fmt.Errorf("verify lookup %s: %w", a.name, err)
		}
		if n == 0 {
			return problem.Invalid("a lookup points at no record",
				problem.FieldError{Field: prefix + a.name, Code: problem.CodeLookupNotFound, Message: fmt.Sprintf("%s: no %s record has id %v", a.name, a.field.Target, a.value)})
		}
	}
	return nil
}

// nextNumber takes the next value of an auto-number field's counter for the
// period its pattern renders at now, in the caller's transaction.
func nextNumber(ctx context.Context, conn *gorm.DB, sc *scope, f *metadata.Field, now time.Time) (string, error) {
	an, err := metadata.ParseAutoNumber(f.Pattern)
	if err != nil {
		return "", fmt.Errorf("auto number %s: %w", f.APIName, err)
	}
	loc := tenantLocation(sc.snap)
	period := an.Period(now.In(loc))
	name := sc.obj.APIName + "." + f.APIName + ":" + period
	var n int64
	q := fmt.Sprintf(`INSERT INTO %s AS s (name, value) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET value = s.value + 1 RETURNING value`, sc.tableOf(metadata.TableSequences))
	if err := conn.WithContext(ctx).Raw(q, name).Scan(&n).Error; err != nil {
		return "", fmt.Errorf("next number of %s: %w", f.APIName, err)
	}
	return an.Render(period, n), nil
}

func tenantLocation(snap *metadata.Snapshot) *time.Location { return snap.Location() }

// mapWriteError turns constraint violations into client errors naming the
// field; anything else passes through.
func mapWriteError(sc *scope, err error, prefix string) error {
	if err == nil {
		return nil
	}
	if _, ok := problem.As(err); ok {
		return err
	}
	if database.IsUniqueViolation(err) {
		if f := uniqueField(sc, database.ConstraintColumn(err)); f != "" {
			return problem.Unique(prefix + f)
		}
		return problem.Conflict(problem.CodeUniqueViolation, "a unique value is already taken")
	}
	if database.IsForeignKeyViolation(err) {
		return problem.Invalid("a lookup points at no record", problem.FieldError{Field: prefix, Code: problem.CodeLookupNotFound, Message: "a lookup points at no record"})
	}
	if database.IsLockTimeout(err) {
		return problem.Busy("the database is busy; retry the request")
	}
	return err
}

// uniqueField maps the constraint (PostgreSQL index name) or column
// (SQLite) a driver reported back to the field.
func uniqueField(sc *scope, hint string) string {
	for _, f := range sc.obj.Fields {
		if !f.Unique {
			continue
		}
		if hint == f.APIName || strings.Contains(hint, sc.ddl.D.IndexName(sc.ddl.Key, sc.obj.APIName, f.APIName+"_uq")) {
			return f.APIName
		}
	}
	return ""
}

func newID() string { return uuid.Must(uuid.NewV7()).String() }

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
