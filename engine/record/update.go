package record

import (
	"context"
	"fmt"
	"strings"

	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/metadata"
)

// Update applies a partial update. With ifMatch set, it succeeds only if the
// record is still at that version (optimistic concurrency); either way the
// version increments atomically, so no concurrent update is lost.
func (s *Service) Update(ctx context.Context, snap *metadata.Snapshot, object, id string, input map[string]any, ifMatch *int64) (Record, error) {
	sc, err := s.scope(ctx, snap, object)
	if err != nil {
		return nil, err
	}
	if !validID(id) {
		return nil, notFound(object, id)
	}
	p, err := prepareWrite(sc.obj, input, false, "")
	if err != nil {
		return nil, err
	}
	var out Record
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		out, err = s.update(ctx, sc, id, p, ifMatch, "")
		return err
	})
	return out, err
}

func (s *Service) update(ctx context.Context, sc *scope, id string, p *prepared, ifMatch *int64, prefix string) (Record, error) {
	conn := s.db.Conn(ctx)
	if len(p.sets) == 0 {
		rec, err := s.Get(ctx, sc.snap, sc.obj.APIName, id, GetOptions{})
		if err != nil {
			return nil, err
		}
		if ifMatch != nil && rec["version"].(int64) != *ifMatch {
			return nil, problem.VersionConflict(rec["version"].(int64))
		}
		return rec, nil
	}
	// Stage changes need the stage before the write; lock the row so that
	// two concurrent moves record a consistent history.
	var before map[string]any
	if len(p.stages) > 0 {
		var err error
		if before, err = s.currentStages(ctx, sc, id, p); err != nil {
			return nil, err
		}
		p.dropUnchangedStageEffects(before)
	}
	now := s.now()
	d := s.db.Dialect.Name()
	sets := []string{"version = version + 1", "updated_at = ?", "updated_by = ?"}
	args := []any{bindTime(d, now), nullable(sc.user)}
	for _, a := range p.sets {
		sets = append(sets, sc.q(a.name)+" = ?")
		if a.field == nil {
			args = append(args, a.value)
		} else {
			args = append(args, a.field.Bind(d, a.value))
		}
	}
	where := "id = ? AND deleted_at IS NULL"
	args = append(args, id)
	if ifMatch != nil {
		where += " AND version = ?"
		args = append(args, *ifMatch)
	}
	// As on insert, the update itself checks that every lookup it writes
	// names a live record.
	if guards, guardArgs := lookupGuards(sc, p); guards != "" {
		where += " AND " + guards
		args = append(args, guardArgs...)
	}
	pl := planOf(sc)
	q := fmt.Sprintf("UPDATE %s SET %s WHERE %s RETURNING %s", sc.table(), strings.Join(sets, ", "), where, pl.selectAll)
	recs, err := queryRecords(conn, pl.cols, q, args...)
	if err != nil {
		return nil, mapWriteError(sc, err, prefix)
	}
	if len(recs) == 0 {
		if err := verifyLookups(ctx, conn, sc, p, prefix); err != nil {
			return nil, err
		}
		return nil, s.missOrConflict(ctx, sc, id)
	}
	for _, st := range p.stages {
		old := before[st.name]
		if fmt.Sprint(old) == fmt.Sprint(st.value) {
			continue
		}
		if err := recordStage(ctx, conn, sc, id, st.field, old, st.value, now); err != nil {
			return nil, err
		}
	}
	return recs[0], nil
}

func (s *Service) currentStages(ctx context.Context, sc *scope, id string, p *prepared) (map[string]any, error) {
	names := make([]string, len(p.stages))
	for i, st := range p.stages {
		names[i] = sc.q(st.name)
	}
	q := fmt.Sprintf("SELECT %s FROM %s WHERE id = ? AND deleted_at IS NULL", strings.Join(names, ", "), sc.table())
	if sc.ddl.D.SupportsForUpdate() {
		q += " FOR UPDATE"
	}
	rows, err := s.db.Conn(ctx).Raw(q, id).Rows()
	if err != nil {
		return nil, fmt.Errorf("read stages: %w", err)
	}
	defer rows.Close()
	out := map[string]any{}
	if !rows.Next() {
		return out, rows.Err()
	}
	vals := make([]any, len(names))
	ptrs := make([]any, len(names))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := rows.Scan(ptrs...); err != nil {
		return nil, fmt.Errorf("read stages: %w", err)
	}
	for i, st := range p.stages {
		out[st.name] = st.field.Output(vals[i])
	}
	return out, nil
}

// missOrConflict explains why a guarded write touched no row.
func (s *Service) missOrConflict(ctx context.Context, sc *scope, id string) error {
	var version int64
	q := fmt.Sprintf("SELECT version FROM %s WHERE id = ? AND deleted_at IS NULL", sc.table())
	res := s.db.Conn(ctx).Raw(q, id).Scan(&version)
	if res.Error != nil {
		return fmt.Errorf("check %s %s: %w", sc.obj.APIName, id, res.Error)
	}
	if res.RowsAffected == 0 {
		return notFound(sc.obj.APIName, id)
	}
	return problem.VersionConflict(version)
}
