package record

import (
	"context"
	"fmt"
	"time"

	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/metadata"
)

// maxCascadeDepth bounds how far deletes follow cascading lookups.
const maxCascadeDepth = 5

// Delete moves a record to the recycle bin. Lookups that point at it act
// now the way their on_delete says: restrict refuses while live records
// refer to it, cascade moves those records to the recycle bin with it (and
// restore brings them back), set_null keeps them pointing at the deleted
// record until it is purged.
func (s *Service) Delete(ctx context.Context, snap *metadata.Snapshot, object, id string, ifMatch *int64) error {
	sc, err := s.scope(ctx, snap, object)
	if err != nil {
		return err
	}
	if !validID(id) {
		return notFound(object, id)
	}
	return s.db.InTx(ctx, func(ctx context.Context) error {
		return s.softDelete(ctx, sc, id, ifMatch, s.now(), 0)
	})
}

func (s *Service) softDelete(ctx context.Context, sc *scope, id string, ifMatch *int64, now time.Time, depth int) error {
	if depth > maxCascadeDepth {
		return problem.Conflict(problem.CodeLimitExceeded, "the delete cascades more than %d levels deep", maxCascadeDepth)
	}
	conn := s.db.Conn(ctx)
	d := s.db.Dialect.Name()
	refs := sc.snap.Referrers(sc.obj.APIName)
	for _, r := range refs {
		if r.Field.OnDelete != metadata.OnDeleteRestrict {
			continue
		}
		var n int64
		q := fmt.Sprintf("SELECT COUNT(*) FROM %s WHERE %s = ? AND deleted_at IS NULL", sc.tableOf(r.Object.APIName), sc.q(r.Field.APIName))
		if err := conn.Raw(q, id).Scan(&n).Error; err != nil {
			return fmt.Errorf("check references from %s.%s: %w", r.Object.APIName, r.Field.APIName, err)
		}
		if n > 0 {
			return problem.Conflict(problem.CodeReferenced, "%d %s record(s) refer to this record through %s; delete or reassign them first",
				n, r.Object.APIName, r.Field.APIName).WithErrors(problem.FieldError{Field: r.Object.APIName + "." + r.Field.APIName, Code: problem.CodeReferenced,
				Message: fmt.Sprintf("%d record(s) refer to it", n)})
		}
	}
	args := []any{bindTime(d, now), bindTime(d, now), nullable(sc.user), id}
	where := "id = ? AND deleted_at IS NULL"
	if ifMatch != nil {
		where += " AND version = ?"
		args = append(args, *ifMatch)
	}
	q := fmt.Sprintf("UPDATE %s SET deleted_at = ?, version = version + 1, updated_at = ?, updated_by = ? WHERE %s", sc.table(), where)
	res := conn.Exec(q, args...)
	if res.Error != nil {
		return fmt.Errorf("delete %s %s: %w", sc.obj.APIName, id, res.Error)
	}
	if res.RowsAffected == 0 {
		return s.missOrConflict(ctx, sc, id)
	}
	for _, r := range refs {
		if r.Field.OnDelete != metadata.OnDeleteCascade {
			continue
		}
		child := &scope{snap: sc.snap, obj: r.Object, ddl: sc.ddl, user: sc.user}
		ids, err := s.childIDs(ctx, child, r.Field, id, "deleted_at IS NULL")
		if err != nil {
			return err
		}
		for _, cid := range ids {
			if err := s.softDelete(ctx, child, cid, nil, now, depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *Service) childIDs(ctx context.Context, child *scope, f *metadata.Field, parentID, cond string, args ...any) ([]string, error) {
	q := fmt.Sprintf("SELECT id FROM %s WHERE %s = ? AND %s", child.table(), child.q(f.APIName), cond)
	var raw []any
	rows, err := s.db.Conn(ctx).Raw(q, append([]any{parentID}, args...)...).Rows()
	if err != nil {
		return nil, fmt.Errorf("find %s records under %s: %w", child.obj.APIName, parentID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var v any
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		raw = append(raw, v)
	}
	ids := make([]string, len(raw))
	for i, v := range raw {
		ids[i] = fmt.Sprint(metadata.OutputValue(systemColumns[0].kind, 0, v))
	}
	return ids, rows.Err()
}

// Restore brings a record back from the recycle bin, with the records its
// delete cascaded to.
func (s *Service) Restore(ctx context.Context, snap *metadata.Snapshot, object, id string) (Record, error) {
	sc, err := s.scope(ctx, snap, object)
	if err != nil {
		return nil, err
	}
	if !validID(id) {
		return nil, notFound(object, id)
	}
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		return s.restore(ctx, sc, id, 0)
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, snap, object, id, GetOptions{})
}

func (s *Service) restore(ctx context.Context, sc *scope, id string, depth int) error {
	if depth > maxCascadeDepth {
		return nil
	}
	conn := s.db.Conn(ctx)
	var deletedAt []any
	rows, err := conn.Raw(fmt.Sprintf("SELECT deleted_at FROM %s WHERE id = ? AND deleted_at IS NOT NULL", sc.table()), id).Rows()
	if err != nil {
		return fmt.Errorf("find deleted %s: %w", sc.obj.APIName, err)
	}
	for rows.Next() {
		var v any
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return err
		}
		deletedAt = append(deletedAt, v)
	}
	rows.Close()
	if len(deletedAt) == 0 {
		return problem.NotFound("%s has no deleted record %s", sc.obj.APIName, id)
	}
	d := s.db.Dialect.Name()
	now := s.now()
	q := fmt.Sprintf("UPDATE %s SET deleted_at = NULL, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ?", sc.table())
	if err := conn.Exec(q, bindTime(d, now), nullable(sc.user), id).Error; err != nil {
		return mapWriteError(sc, err, "")
	}
	for _, r := range sc.snap.Referrers(sc.obj.APIName) {
		if r.Field.OnDelete != metadata.OnDeleteCascade {
			continue
		}
		child := &scope{snap: sc.snap, obj: r.Object, ddl: sc.ddl, user: sc.user}
		ids, err := s.childIDs(ctx, child, r.Field, id, "deleted_at = ?", deletedAt[0])
		if err != nil {
			return err
		}
		for _, cid := range ids {
			if err := s.restore(ctx, child, cid, depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

// Purge removes a record from the recycle bin for good, applying its
// referrers' on_delete the way a foreign key would: restrict refuses while
// any record (even a deleted one) refers to it, set_null clears the
// references, cascade purges the referring records.
func (s *Service) Purge(ctx context.Context, snap *metadata.Snapshot, object, id string) error {
	sc, err := s.scope(ctx, snap, object)
	if err != nil {
		return err
	}
	if !validID(id) {
		return notFound(object, id)
	}
	return s.db.InTx(ctx, func(ctx context.Context) error {
		var n int64
		if err := s.db.Conn(ctx).Raw(fmt.Sprintf("SELECT COUNT(*) FROM %s WHERE id = ? AND deleted_at IS NOT NULL", sc.table()), id).Scan(&n).Error; err != nil {
			return fmt.Errorf("find deleted %s: %w", object, err)
		}
		if n == 0 {
			return problem.NotFound("%s has no record %s in the recycle bin; delete it first", object, id)
		}
		return s.purge(ctx, sc, id, 0)
	})
}

func (s *Service) purge(ctx context.Context, sc *scope, id string, depth int) error {
	if depth > maxCascadeDepth {
		return problem.Conflict(problem.CodeLimitExceeded, "the purge cascades more than %d levels deep", maxCascadeDepth)
	}
	conn := s.db.Conn(ctx)
	for _, r := range sc.snap.Referrers(sc.obj.APIName) {
		child := &scope{snap: sc.snap, obj: r.Object, ddl: sc.ddl, user: sc.user}
		switch r.Field.OnDelete {
		case metadata.OnDeleteRestrict:
			var n int64
			q := fmt.Sprintf("SELECT COUNT(*) FROM %s WHERE %s = ?", child.table(), child.q(r.Field.APIName))
			if err := conn.Raw(q, id).Scan(&n).Error; err != nil {
				return fmt.Errorf("check references: %w", err)
			}
			if n > 0 {
				return problem.Conflict(problem.CodeReferenced, "%d %s record(s) (some may be in the recycle bin) refer to this record through %s",
					n, r.Object.APIName, r.Field.APIName)
			}
		case metadata.OnDeleteSetNull:
			q := fmt.Sprintf("UPDATE %s SET %s = NULL, version = version + 1 WHERE %s = ?", child.table(), child.q(r.Field.APIName), child.q(r.Field.APIName))
			if err := conn.Exec(q, id).Error; err != nil {
				return fmt.Errorf("clear references from %s.%s: %w", r.Object.APIName, r.Field.APIName, err)
			}
		case metadata.OnDeleteCascade:
			ids, err := s.childIDs(ctx, child, r.Field, id, "1 = 1")
			if err != nil {
				return err
			}
			for _, cid := range ids {
				if err := s.purge(ctx, child, cid, depth+1); err != nil {
					return err
				}
			}
		}
	}
	hist := fmt.Sprintf("DELETE FROM %s WHERE object = ? AND record_id = ?", sc.tableOf(metadata.TableStageHistory))
	if err := conn.Exec(hist, sc.obj.APIName, id).Error; err != nil {
		return fmt.Errorf("purge stage history: %w", err)
	}
	if err := conn.Exec(fmt.Sprintf("DELETE FROM %s WHERE id = ?", sc.table()), id).Error; err != nil {
		return mapWriteError(sc, err, "")
	}
	return nil
}
