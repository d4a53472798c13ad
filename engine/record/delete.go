package record

import (
	"context"
	"fmt"
	"time"

	"github.com/tessera-crm/tessera/internal/access"
	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/metadata"
)

// maxCascadeDepth bounds how far deletes follow cascading lookups.
const maxCascadeDepth = 5

// selector picks a set of rows of one object's table: a predicate on the
// unaliased table and its arguments. Deletes, restores and purges work on
// sets, so a cascade costs a few statements per lookup relation, not per
// child record.
type selector struct {
	where string
	args  []any
}

func byID(id string) selector { return selector{where: "id = ?", args: []any{id}} }

func (sel selector) and(cond string, args ...any) selector {
	return selector{where: "(" + sel.where + ") AND " + cond, args: append(append([]any(nil), sel.args...), args...)}
}

// children selects the rows of child whose lookup f points into sel's rows
// of parent.
func (sel selector) children(parent *scope, child *scope, f *metadata.Field) selector {
	return selector{where: fmt.Sprintf("%s IN (SELECT id FROM %s WHERE %s)", child.q(f.APIName), parent.table(), sel.where), args: sel.args}
}

// child is the scope of a cascade into a referring object: cascades follow
// the parent's delete as system work, whoever may see the children.
func (s *Service) child(sc *scope, r metadata.FieldRef) *scope {
	return &scope{snap: sc.snap, obj: r.Object, view: sc.snap, vobj: r.Object, ddl: sc.ddl, user: sc.user}
}

func (s *Service) count(ctx context.Context, sc *scope, sel selector) (int64, error) {
	var n int64
	q := fmt.Sprintf("SELECT COUNT(*) FROM %s WHERE %s", sc.table(), sel.where)
	if err := s.db.Conn(ctx).Raw(q, sel.args...).Scan(&n).Error; err != nil {
		return 0, fmt.Errorf("count %s: %w", sc.obj.APIName, err)
	}
	return n, nil
}

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
	if err := sc.require(access.ActDelete); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(ctx context.Context) error {
		return s.softDelete(ctx, sc, id, ifMatch, s.now(), 0)
	})
}

// softDelete deletes one record the caller may change, guarded by its
// version when ifMatch is set.
func (s *Service) softDelete(ctx context.Context, sc *scope, id string, ifMatch *int64, now time.Time, depth int) error {
	var name []string
	if sc.obj.NameField != "" {
		name = []string{sc.obj.NameField}
	}
	for _, n := range s.automationReads(sc) {
		if n != "id" && n != "owner_id" {
			name = appendMissing(name, n)
		}
	}
	loc, err := s.locate(ctx, sc, id, name, false)
	if err != nil {
		return err
	}
	if err := s.checkUnlocked(ctx, sc, id); err != nil {
		return err
	}
	sel := byID(id)
	if ifMatch != nil {
		sel = sel.and("version = ?", *ifMatch)
	}
	n, err := s.softDeleteSet(ctx, sc, sel, now, depth)
	if err != nil {
		return err
	}
	if n == 0 {
		return s.missOrConflict(ctx, sc, id)
	}
	before := loc.values
	before["id"], before["owner_id"] = id, loc.owner
	if err := s.saved(ctx, sc, EventDelete, id, before, nil); err != nil {
		return err
	}
	return s.logWrite(ctx, sc, "delete", id, "deleted "+sc.obj.APIName+" "+fmt.Sprint(loc.values[sc.obj.NameField]), nil, nil)
}

// softDeleteSet moves the live rows of sel to the recycle bin, all stamped
// with now, and cascades; it returns how many rows of sc it deleted.
func (s *Service) softDeleteSet(ctx context.Context, sc *scope, sel selector, now time.Time, depth int) (int64, error) {
	live := sel.and("deleted_at IS NULL")
	if depth > maxCascadeDepth {
		if n, err := s.count(ctx, sc, live); err != nil || n == 0 {
			return 0, err
		}
		return 0, problem.Conflict(problem.CodeLimitExceeded, "the delete cascades more than %d levels deep", maxCascadeDepth)
	}
	refs := sc.snap.Referrers(sc.obj.APIName)
	for _, r := range refs {
		if r.Field.OnDelete != metadata.OnDeleteRestrict {
			continue
		}
		child := s.child(sc, r)
		n, err := s.count(ctx, child, live.children(sc, child, r.Field).and("deleted_at IS NULL"))
		if err != nil {
			return 0, err
		}
		if n > 0 {
			return 0, problem.Conflict(problem.CodeReferenced, "%d %s record(s) refer to this record through %s; delete or reassign them first",
				n, r.Object.APIName, r.Field.APIName).WithErrors(problem.FieldError{Field: r.Object.APIName + "." + r.Field.APIName, Code: problem.CodeReferenced,
				Message: fmt.Sprintf("%d record(s) refer to it", n)})
		}
	}
	parents, err := s.parentIDsOf(ctx, sc, live)
	if err != nil {
		return 0, err
	}
	d := s.db.Dialect.Name()
	q := fmt.Sprintf("UPDATE %s SET deleted_at = ?, version = version + 1, updated_at = ?, updated_by = ? WHERE %s", sc.table(), live.where)
	res := s.db.Conn(ctx).Exec(q, append([]any{bindTime(d, now), bindTime(d, now), nullable(sc.user)}, live.args...)...)
	if res.Error != nil {
		return 0, fmt.Errorf("delete %s: %w", sc.obj.APIName, res.Error)
	}
	if res.RowsAffected == 0 {
		return 0, nil
	}
	if err := s.refreshRollups(ctx, sc, parents); err != nil {
		return 0, err
	}
	done := sel.and("deleted_at = ?", bindTime(d, now))
	for _, r := range refs {
		if r.Field.OnDelete != metadata.OnDeleteCascade {
			continue
		}
		child := s.child(sc, r)
		if _, err := s.softDeleteSet(ctx, child, done.children(sc, child, r.Field), now, depth+1); err != nil {
			return 0, err
		}
	}
	return res.RowsAffected, nil
}

// Restore brings a record back from the recycle bin, with the records its
// delete cascaded to (those deleted at the same instant through a cascading
// lookup).
func (s *Service) Restore(ctx context.Context, snap *metadata.Snapshot, object, id string) (Record, error) {
	sc, err := s.scope(ctx, snap, object)
	if err != nil {
		return nil, err
	}
	if !validID(id) {
		return nil, notFound(object, id)
	}
	if err := sc.require(access.ActDelete); err != nil {
		return nil, err
	}
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.locate(ctx, sc, id, nil, true); err != nil {
			return err
		}
		var stamp []any
		rows, err := s.db.Conn(ctx).Raw(fmt.Sprintf("SELECT deleted_at FROM %s WHERE id = ? AND deleted_at IS NOT NULL", sc.table()), id).Rows()
		if err != nil {
			return fmt.Errorf("find deleted %s: %w", object, err)
		}
		for rows.Next() {
			var v any
			if err := rows.Scan(&v); err != nil {
				rows.Close()
				return err
			}
			stamp = append(stamp, v)
		}
		rows.Close()
		if len(stamp) == 0 {
			return problem.NotFound("%s has no deleted record %s", object, id)
		}
		if err := s.restoreSet(ctx, sc, byID(id), stamp[0], 0); err != nil {
			return err
		}
		return s.logWrite(ctx, sc, "restore", id, "restored "+object+" "+id, nil, nil)
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, snap, object, id, GetOptions{})
}

func (s *Service) restoreSet(ctx context.Context, sc *scope, sel selector, stamp any, depth int) error {
	if depth > maxCascadeDepth {
		return nil
	}
	parents, err := s.parentIDsOf(ctx, sc, sel.and("deleted_at = ?", stamp))
	if err != nil {
		return err
	}
	q := fmt.Sprintf("UPDATE %s SET deleted_at = NULL, version = version + 1, updated_at = ?, updated_by = ? WHERE %s", sc.table(), sel.and("deleted_at = ?", stamp).where)
	args := append([]any{bindTime(s.db.Dialect.Name(), s.now()), nullable(sc.user)}, sel.and("deleted_at = ?", stamp).args...)
	res := s.db.Conn(ctx).Exec(q, args...)
	if res.Error != nil {
		return mapWriteError(sc, res.Error, "")
	}
	if res.RowsAffected == 0 {
		return nil
	}
	if err := s.refreshRollups(ctx, sc, parents); err != nil {
		return err
	}
	for _, r := range sc.snap.Referrers(sc.obj.APIName) {
		if r.Field.OnDelete != metadata.OnDeleteCascade {
			continue
		}
		child := s.child(sc, r)
		if err := s.restoreSet(ctx, child, sel.children(sc, child, r.Field), stamp, depth+1); err != nil {
			return err
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
	if err := sc.require(access.ActDelete); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.locate(ctx, sc, id, nil, true); err != nil {
			return err
		}
		sel := byID(id).and("deleted_at IS NOT NULL")
		n, err := s.count(ctx, sc, sel)
		if err != nil {
			return err
		}
		if n == 0 {
			return problem.NotFound("%s has no record %s in the recycle bin; delete it first", object, id)
		}
		if err := s.purgeSet(ctx, sc, sel, 0); err != nil {
			return err
		}
		return s.logWrite(ctx, sc, "purge", id, "purged "+object+" "+id, nil, nil)
	})
}

func (s *Service) purgeSet(ctx context.Context, sc *scope, sel selector, depth int) error {
	if depth > 0 {
		if n, err := s.count(ctx, sc, sel); err != nil || n == 0 {
			return err
		}
	}
	if depth > maxCascadeDepth {
		return problem.Conflict(problem.CodeLimitExceeded, "the purge cascades more than %d levels deep", maxCascadeDepth)
	}
	conn := s.db.Conn(ctx)
	for _, r := range sc.snap.Referrers(sc.obj.APIName) {
		child := s.child(sc, r)
		refs := sel.children(sc, child, r.Field)
		switch r.Field.OnDelete {
		case metadata.OnDeleteRestrict:
			n, err := s.count(ctx, child, refs)
			if err != nil {
				return err
			}
			if n > 0 {
				return problem.Conflict(problem.CodeReferenced, "%d %s record(s) (some may be in the recycle bin) refer to this record through %s",
					n, r.Object.APIName, r.Field.APIName)
			}
		case metadata.OnDeleteSetNull:
			q := fmt.Sprintf("UPDATE %s SET %s = NULL, version = version + 1 WHERE %s", child.table(), child.q(r.Field.APIName), refs.where)
			if err := conn.Exec(q, refs.args...).Error; err != nil {
				return fmt.Errorf("clear references from %s.%s: %w", r.Object.APIName, r.Field.APIName, err)
			}
		case metadata.OnDeleteCascade:
			if err := s.purgeSet(ctx, child, refs, depth+1); err != nil {
				return err
			}
		}
	}
	// What hangs off the purged records goes with them (the audit log,
	// append-only, keeps its entries).
	for _, table := range []string{metadata.TableStageHistory, metadata.TableShares, metadata.TableFieldHistory} {
		q := fmt.Sprintf("DELETE FROM %s WHERE object = ? AND record_id IN (SELECT id FROM %s WHERE %s)", sc.tableOf(table), sc.table(), sel.where)
		if err := conn.Exec(q, append([]any{sc.obj.APIName}, sel.args...)...).Error; err != nil {
			return fmt.Errorf("purge %s: %w", table, err)
		}
	}
	if err := conn.Exec(fmt.Sprintf("DELETE FROM %s WHERE %s", sc.table(), sel.where), sel.args...).Error; err != nil {
		return mapWriteError(sc, err, "")
	}
	return nil
}
