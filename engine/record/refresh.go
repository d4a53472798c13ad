package record

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/riverqueue/river"

	"github.com/tessera-crm/tessera/engine/expression"
	"github.com/tessera-crm/tessera/internal/jobs"
	"github.com/tessera-crm/tessera/metadata"
)

// Stored formulas that read through a lookup (opportunity.account_tier =
// account_id.tier) go stale when the looked-up record changes. An update
// of that record enqueues, in its transaction, a refresh of the records
// that point to it; the refresh recomputes their stored formulas on the
// job queue, in batches, each batch committed with its progress.

// RefreshArgs asks for the stored formulas of object's records whose
// lookup points to id to be recomputed.
type RefreshArgs struct {
	TenantID string `json:"tenant_id"`
	Object   string `json:"object"`
	Lookup   string `json:"lookup"`
	ID       string `json:"id"`
}

// Kind names the job type.
func (RefreshArgs) Kind() string { return "formula_refresh" }

// refreshBatch bounds the records one transaction of a refresh rewrites.
const refreshBatch = 500

// dependent is a lookup of another object whose stored formulas read
// fields of this object through it.
type dependent struct {
	object *metadata.Object
	lookup string
	fields []string
}

type dependentsKey struct{}

// dependentsOf lists the stored formulas elsewhere that read target's
// fields through a lookup.
func dependentsOf(snap *metadata.Snapshot, target *metadata.Object) []dependent {
	return target.Memo(dependentsKey{}, func() any {
		var out []dependent
		for _, o := range snap.Objects {
			r := rulesOf(snap, o)
			byLookup := map[string][]string{}
			for _, fp := range r.formulas {
				if !fp.field.FormulaStored {
					continue
				}
				for lookup, fields := range fp.prog.Related {
					if f := o.Field(lookup); f != nil && f.Target == target.APIName {
						byLookup[lookup] = appendMissing(byLookup[lookup], fields...)
					}
				}
			}
			for lookup, fields := range byLookup {
				out = append(out, dependent{object: o, lookup: lookup, fields: fields})
			}
		}
		slices.SortFunc(out, func(a, b dependent) int { return strings.Compare(a.object.APIName+a.lookup, b.object.APIName+b.lookup) })
		return out
	}).([]dependent)
}

// enqueueRefreshes enqueues a refresh for each dependent whose fields the
// update changed.
func (s *Service) enqueueRefreshes(ctx context.Context, sc *scope, id string, changed map[string]any) error {
	if s.Queue == nil {
		return nil
	}
	for _, d := range dependentsOf(sc.snap, sc.obj) {
		hit := false
		for _, f := range d.fields {
			if _, ok := changed[f]; ok {
				hit = true
			}
		}
		if !hit {
			continue
		}
		args := RefreshArgs{TenantID: sc.snap.Tenant.ID, Object: d.object.APIName, Lookup: d.lookup, ID: id}
		if _, err := s.Queue.Enqueue(ctx, args, nil); err != nil {
			return fmt.Errorf("enqueue formula refresh of %s: %w", d.object.APIName, err)
		}
	}
	return nil
}

// RefreshWorker recomputes stored formulas for a refresh job.
type RefreshWorker struct {
	river.WorkerDefaults[RefreshArgs]
	Records   *Service
	Snapshots interface {
		Get(ctx context.Context, tenantID string) (*metadata.Snapshot, error)
	}
}

// Work rewrites the records in batches; a batch and the job's completion
// commit together at the end, earlier batches on their own (recomputing a
// formula twice gives the same value, so a retry after a crash is safe).
func (w *RefreshWorker) Work(ctx context.Context, job *river.Job[RefreshArgs]) error {
	a := job.Args
	snap, err := w.Snapshots.Get(ctx, a.TenantID)
	if err != nil {
		return err
	}
	obj := snap.Object(a.Object)
	if obj == nil || obj.Field(a.Lookup) == nil {
		return nil
	}
	s := w.Records
	sc := &scope{snap: snap, obj: obj, view: snap, vobj: obj, ddl: metadata.DDL{D: s.db.Dialect, Key: snap.Tenant.Key}}
	after := "00000000-0000-0000-0000-000000000000" // ids are UUIDs; PostgreSQL compares them as such
	for {
		var ids []string
		q := fmt.Sprintf("SELECT id FROM %s WHERE %s = ? AND deleted_at IS NULL AND id > ? ORDER BY id LIMIT %d", sc.table(), sc.q(a.Lookup), refreshBatch)
		if err := s.db.Conn(ctx).Raw(q, a.ID, after).Scan(&ids).Error; err != nil {
			return fmt.Errorf("formula refresh of %s: %w", a.Object, err)
		}
		last := len(ids) < refreshBatch
		err := s.db.InTx(ctx, func(ctx context.Context) error {
			if err := s.recomputeStored(ctx, sc, ids); err != nil {
				return err
			}
			if last {
				return jobs.CompleteInTx(ctx, s.db, job)
			}
			return nil
		})
		if err != nil || last {
			return err
		}
		after = ids[len(ids)-1]
	}
}

// recomputeStored recomputes and writes the stored formulas of records.
func (s *Service) recomputeStored(ctx context.Context, sc *scope, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	r := rulesOf(sc.snap, sc.obj)
	var stored []fieldProgram
	for _, fp := range r.formulas {
		if fp.field.FormulaStored {
			stored = append(stored, fp)
		}
	}
	if len(stored) == 0 {
		return nil
	}
	recs := make([]Record, len(ids))
	for i, id := range ids {
		recs[i] = Record{"id": id}
	}
	names := slices.Clone(r.reads)
	for _, fp := range stored {
		names = appendMissing(names, fp.field.APIName)
	}
	inputs, err := s.readInputs(ctx, sc, recs, names)
	if err != nil {
		return err
	}
	related, err := s.loadRelated(ctx, sc, r.related, inputs)
	if err != nil {
		return err
	}
	d := s.db.Dialect.Name()
	for i, id := range ids {
		in := &expression.Input{Record: inputs[i], Related: related[i], Now: s.now()}
		var sets []string
		var args []any
		for _, fp := range r.formulas {
			v := s.compute(sc, fp, in)
			old := inputs[i][fp.field.APIName]
			inputs[i][fp.field.APIName] = v
			if !fp.field.FormulaStored || sameValue(old, fp.field.Output(fp.field.Bind(d, v))) {
				continue
			}
			sets = append(sets, sc.q(fp.field.APIName)+" = ?")
			args = append(args, fp.field.Bind(d, v))
		}
		if len(sets) == 0 {
			continue
		}
		q := fmt.Sprintf("UPDATE %s SET %s, version = version + 1 WHERE id = ?", sc.table(), strings.Join(sets, ", "))
		if err := s.db.Conn(ctx).Exec(q, append(args, id)...).Error; err != nil {
			return fmt.Errorf("refresh formulas of %s %s: %w", sc.obj.APIName, id, err)
		}
	}
	return nil
}
