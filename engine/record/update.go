package record

import (
	"context"
	"fmt"
	"strings"

	"github.com/tessera-crm/tessera/internal/access"
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
	p, err := s.prepareUpdate(sc, input, "")
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
	// The record is located first: that checks the caller may change it,
	// locks it, and reads what the write replaces, for the stage history
	// (two concurrent moves record a consistent history), the field
	// history and the audit log.
	names := make([]string, 0, len(p.sets))
	for _, a := range p.sets {
		if a.name != "owner_id" {
			names = append(names, a.name)
		}
	}
	names = appendMissing(names, rollupVias(sc)...)
	if name, _ := ctx.Value(layoutKey{}).(string); name != "" {
		// A form's layout judges the whole record.
		for _, f := range sc.obj.Fields {
			if f.Active && !f.Encrypted {
				names = appendMissing(names, f.APIName)
			}
		}
	}
	for _, n := range s.automationReads(sc) {
		if n != "id" && n != "owner_id" {
			names = appendMissing(names, n)
		}
	}
	r := rulesOf(sc.snap, sc.obj)
	if !r.empty() {
		// The rules read the whole record as it will be, and formula
		// fields are rewritten: read what they need and what they replace.
		for _, n := range r.reads {
			if n != "id" && n != "owner_id" {
				names = appendMissing(names, n)
			}
		}
		for _, fp := range r.formulas {
			names = appendMissing(names, fp.field.APIName)
		}
	}
	loc, err := s.locate(ctx, sc, id, names, false)
	if err != nil {
		return nil, err
	}
	if err := s.checkUnlocked(ctx, sc, id); err != nil {
		return nil, err
	}
	if err := checkOwner(sc, p, loc.owner, prefix); err != nil {
		return nil, err
	}
	before := loc.values
	before["owner_id"] = loc.owner
	before["id"] = id
	if err := s.applyRules(ctx, sc, p, before); err != nil {
		return nil, prefixed(err, prefix)
	}
	if err := s.checkLayout(ctx, sc, p, before, prefix); err != nil {
		return nil, err
	}
	if len(p.stages) > 0 {
		p.dropUnchangedStageEffects(before)
	}
	now := s.now()
	d := s.db.Dialect.Name()
	sets := []string{"version = version + 1", "updated_at = ?", "updated_by = ?"}
	args := []any{bindTime(d, now), nullable(sc.user)}
	for _, a := range p.sets {
		v, err := s.bind(ctx, sc, a)
		if err != nil {
			return nil, err
		}
		sets = append(sets, sc.q(a.name)+" = ?")
		args = append(args, v)
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
	after := make(map[string]any, len(before))
	for k, v := range before {
		after[k] = v
	}
	for _, a := range p.sets {
		after[a.name] = a.value
	}
	if err := s.refreshRollups(ctx, sc, parentIDs(sc, before, after)); err != nil {
		return nil, err
	}
	if err := s.saved(ctx, sc, EventUpdate, id, before, after); err != nil {
		return nil, err
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
	if err := s.reveal(ctx, sc, sc.vobj, recs, false); err != nil {
		return nil, err
	}
	if err := s.computeOnRead(ctx, sc, recs); err != nil {
		return nil, err
	}
	if err := s.reveal(ctx, sc, sc.obj, []Record{before}, false); err != nil {
		return nil, err
	}
	changedBefore, changedAfter := map[string]any{}, map[string]any{}
	var tracked []fieldChange
	for _, a := range p.sets {
		old, cur := before[a.name], a.value
		if a.field != nil {
			cur = a.field.Output(a.field.Bind(d, a.value)) // the API form, as old is
		}
		if sameValue(old, cur) {
			continue
		}
		changedBefore[a.name], changedAfter[a.name] = old, cur
		if a.field != nil && a.field.TrackHistory {
			tracked = append(tracked, fieldChange{field: a.field, old: old, new: cur})
		}
	}
	if err := recordFieldHistory(ctx, conn, sc, id, tracked, now); err != nil {
		return nil, err
	}
	if err := s.enqueueRefreshes(ctx, sc, id, changedAfter); err != nil {
		return nil, err
	}
	summary := "updated " + sc.obj.APIName + " " + fmt.Sprint(recs[0][sc.obj.NameField]) + ": " + changedNames(changedAfter)
	if err := s.logWrite(ctx, sc, "update", id, summary, changedBefore, changedAfter); err != nil {
		return nil, err
	}
	return recs[0], nil
}

// prepareUpdate checks the fields the caller writes and validates them.
func (s *Service) prepareUpdate(sc *scope, input map[string]any, prefix string) (*prepared, error) {
	if err := sc.require(access.ActEdit); err != nil {
		return nil, err
	}
	if err := checkFieldWrites(sc, input, prefix); err != nil {
		return nil, err
	}
	return prepareWrite(sc.obj, input, false, prefix)
}

// sameValue compares canonical values (strings, numbers, booleans, string
// slices, decimals) by their printed form, which is exact for all of them.
func sameValue(a, b any) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return fmt.Sprint(a) == fmt.Sprint(b)
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
