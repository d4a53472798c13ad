package record

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/tessera-crm/tessera/internal/access"
	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/metadata"
)

// GetOptions shape a read.
type GetOptions struct {
	Fields []string
	Expand []string
	// Deleted reads a record from the recycle bin instead.
	Deleted bool
}

func notFound(object, id string) error {
	return problem.NotFound("%s has no record %s", object, id)
}

// validID rejects ids that are not UUIDs before they reach a uuid column
// (where PostgreSQL would answer with an error, not an empty result).
func validID(id string) bool {
	_, err := uuid.Parse(id)
	return err == nil && len(id) == 36
}

// Get reads one record: one query, plus one per expanded lookup.
func (s *Service) Get(ctx context.Context, snap *metadata.Snapshot, object, id string, opts GetOptions) (Record, error) {
	sc, err := s.scope(ctx, snap, object)
	if err != nil {
		return nil, err
	}
	if !validID(id) {
		return nil, notFound(object, id)
	}
	expand, err := expandFields(sc.vobj, opts.Expand)
	if err != nil {
		return nil, err
	}
	pl := planOf(sc)
	cols, list := pl.cols, pl.selectAll
	if len(opts.Fields) > 0 {
		if cols, err = selection(sc.vobj, opts.Fields); err != nil {
			return nil, err
		}
		cols = withColumns(sc.vobj, cols, expand)
		list = selectList(sc, "", cols)
	}
	deleted := "IS NULL"
	if opts.Deleted {
		deleted = "IS NOT NULL"
	}
	q := fmt.Sprintf("SELECT %s FROM %s WHERE id = ? AND deleted_at %s", list, sc.table(), deleted)
	args := []any{id}
	if pred, pargs := s.predicate(sc, "", access.Read); pred != "" {
		q += " AND " + pred
		args = append(args, pargs...)
	}
	recs, err := queryRecords(s.db.Conn(ctx), cols, q, args...)
	if err != nil {
		return nil, fmt.Errorf("get %s %s: %w", object, id, err)
	}
	if len(recs) == 0 {
		return nil, notFound(object, id)
	}
	if err := s.reveal(ctx, sc, sc.vobj, recs, false); err != nil {
		return nil, err
	}
	if err := s.computeOnRead(ctx, sc, recs); err != nil {
		return nil, err
	}
	if err := s.expand(ctx, sc, recs, expand); err != nil {
		return nil, err
	}
	return recs[0], nil
}

// StageHistory returns a record's stage history, oldest first.
func (s *Service) StageHistory(ctx context.Context, snap *metadata.Snapshot, object, id string) ([]StageEntry, error) {
	sc, err := s.scope(ctx, snap, object)
	if err != nil {
		return nil, err
	}
	if !validID(id) {
		return nil, notFound(object, id)
	}
	if err := s.visible(ctx, sc, id); err != nil {
		return nil, err
	}
	q := fmt.Sprintf("SELECT field, stage, from_stage, entered_at, left_at, entered_by, left_by FROM %s WHERE object = ? AND record_id = ? ORDER BY entered_at, id",
		sc.tableOf(metadata.TableStageHistory))
	rows, err := s.db.Conn(ctx).Raw(q, object, id).Rows()
	if err != nil {
		return nil, fmt.Errorf("read stage history: %w", err)
	}
	defer rows.Close()
	out := []StageEntry{}
	for rows.Next() {
		var e StageEntry
		var entered, left any
		if err := rows.Scan(&e.Field, &e.Stage, &e.FromStage, &entered, &left, &e.EnteredBy, &e.LeftBy); err != nil {
			return nil, fmt.Errorf("read stage history: %w", err)
		}
		e.EnteredAt = metadata.OutputValue(systemColumns[2].kind, 0, entered)
		e.LeftAt = metadata.OutputValue(systemColumns[2].kind, 0, left)
		out = append(out, e)
	}
	return out, rows.Err()
}

// visible returns not found unless the caller may read the live record id:
// sub-resources of a record (its history, shares) are as private as it.
func (s *Service) visible(ctx context.Context, sc *scope, id string) error {
	pred, args := s.predicate(sc, "", access.Read)
	var n int64
	q := fmt.Sprintf("SELECT COUNT(*) FROM %s WHERE id = ? AND deleted_at IS NULL", sc.table())
	if pred != "" {
		q += " AND " + pred
	}
	if err := s.db.Conn(ctx).Raw(q, append([]any{id}, args...)...).Scan(&n).Error; err != nil {
		return fmt.Errorf("check %s %s: %w", sc.obj.APIName, id, err)
	}
	if n == 0 {
		return notFound(sc.obj.APIName, id)
	}
	return nil
}
