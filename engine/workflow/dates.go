package workflow

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/tessera-crm/tessera/engine/record"
	"github.com/tessera-crm/tessera/internal/jobs"
	"github.com/tessera-crm/tessera/internal/sqldialect"
	"github.com/tessera-crm/tessera/metadata"
)

// dueOf is when a date-relative workflow is due for a record: the date
// field moved by the offset in days, at the trigger's hour in the tenant's
// time zone (an instant moves by whole days, keeping its time).
func dueOf(snap *metadata.Snapshot, w *metadata.Workflow, rec map[string]any) (time.Time, bool) {
	raw, ok := rec[w.Trigger.Field]
	if !ok || raw == nil {
		return time.Time{}, false
	}
	loc := location(snap)
	switch v := raw.(type) {
	case string:
		if d, err := time.ParseInLocation(metadata.DateLayout, v, loc); err == nil {
			return time.Date(d.Year(), d.Month(), d.Day()+w.Trigger.OffsetDays, w.Trigger.Hour, 0, 0, 0, loc).UTC(), true
		}
		if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
			return shiftInstant(t, w), true
		}
	case time.Time:
		return shiftInstant(v, w), true
	}
	return time.Time{}, false
}

// scheduleDate enqueues a date-relative run for the record's current date,
// due at that time. Saving the record again with the same date enqueues
// nothing new (the job is unique by its arguments); a new date enqueues a
// new run, and the one for the old date finds the date moved and skips.
func (e *Engine) scheduleDate(ctx context.Context, ev record.Event, w *metadata.Workflow) error {
	due, ok := dueOf(ev.Snapshot, w, ev.After)
	if !ok || !due.After(e.now()) {
		return nil
	}
	if ev.Kind == record.EventUpdate {
		if prior, had := dueOf(ev.Snapshot, w, ev.Before); had && prior.Equal(due) {
			return nil // unchanged: already scheduled
		}
	}
	args := RunArgs{TenantID: ev.Snapshot.Tenant.ID, Object: ev.Object.APIName, Workflow: w.APIName, RecordID: ev.ID, Trigger: "date", Due: &due}
	_, err := e.queue.Enqueue(ctx, args, &river.InsertOpts{ScheduledAt: due, MaxAttempts: maxRunAttempts, UniqueOpts: river.UniqueOpts{ByArgs: true}})
	if err != nil {
		return fmt.Errorf("schedule workflow %s: %w", w.APIName, err)
	}
	return nil
}

func shiftInstant(t time.Time, w *metadata.Workflow) time.Time {
	return t.AddDate(0, 0, w.Trigger.OffsetDays).Add(time.Duration(w.Trigger.OffsetMinutes) * time.Minute).UTC()
}

// BackfillArgs schedules a date-relative workflow for the records that
// existed before it (or before its trigger changed): saves schedule the
// records written later. Trigger is the trigger's fingerprint, so that a
// changed trigger is backfilled again and an unchanged one once.
type BackfillArgs struct {
	TenantID string `json:"tenant_id"`
	Object   string `json:"object"`
	Workflow string `json:"workflow"`
	Trigger  string `json:"trigger"`
}

// Kind names the job type.
func (BackfillArgs) Kind() string { return "workflow_backfill" }

type backfillWorker struct {
	river.WorkerDefaults[BackfillArgs]
	e *Engine
}

func triggerFingerprint(w *metadata.Workflow) string {
	t := w.Trigger
	return fmt.Sprintf("%s|%d|%d|%d", t.Field, t.OffsetDays, t.OffsetMinutes, t.Hour)
}

// enqueueBackfills asks for the backfill of each active date-relative
// workflow of the snapshot, in the metadata change's transaction; unique
// arguments make it once per trigger.
func (e *Engine) enqueueBackfills(ctx context.Context, snap *metadata.Snapshot) error {
	for _, o := range snap.Objects {
		for i := range o.Workflows {
			w := &o.Workflows[i]
			if !w.Active || w.Trigger.Type != metadata.TriggerDateRelative {
				continue
			}
			args := BackfillArgs{TenantID: snap.Tenant.ID, Object: o.APIName, Workflow: w.APIName, Trigger: triggerFingerprint(w)}
			if _, err := e.queue.Enqueue(ctx, args, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}); err != nil {
				return fmt.Errorf("enqueue backfill of %s: %w", w.APIName, err)
			}
		}
	}
	return nil
}

// Work schedules a run for every live record whose due time is still
// ahead, in batches of 1,000 records per transaction.
func (w *backfillWorker) Work(ctx context.Context, job *river.Job[BackfillArgs]) error {
	e := w.e
	a := job.Args
	snap, err := e.snapshots.Get(ctx, a.TenantID)
	if err != nil {
		return err
	}
	obj, wf := findWorkflow(snap, a.Object, a.Workflow)
	if wf == nil || !wf.Active || wf.Trigger.Type != metadata.TriggerDateRelative || triggerFingerprint(wf) != a.Trigger {
		return nil // changed since: the change enqueued its own backfill
	}
	f := obj.Field(wf.Trigger.Field)
	if f == nil {
		return nil
	}
	table := e.db.Dialect.Table(snap.Tenant.Key, obj.APIName)
	col := e.db.Dialect.Quote(f.APIName)
	after := "00000000-0000-0000-0000-000000000000"
	now := e.now()
	for {
		rows, err := e.db.Conn(ctx).Raw(fmt.Sprintf("SELECT id, %s FROM %s WHERE deleted_at IS NULL AND %s IS NOT NULL AND id > ? ORDER BY id LIMIT 1000", col, table, col), after).Rows()
		if err != nil {
			return fmt.Errorf("backfill %s: %w", a.Workflow, err)
		}
		var runs []river.InsertManyParams
		n := 0
		for rows.Next() {
			var id string
			var raw any
			if err := rows.Scan(&id, &raw); err != nil {
				rows.Close()
				return fmt.Errorf("backfill %s: %w", a.Workflow, err)
			}
			n++
			after = fmt.Sprint(metadata.OutputValue(sqldialect.KindUUID, 0, id))
			due, ok := dueOf(snap, wf, map[string]any{f.APIName: f.Output(raw)})
			if !ok || !due.After(now) {
				continue
			}
			runs = append(runs, river.InsertManyParams{Args: RunArgs{TenantID: a.TenantID, Object: a.Object, Workflow: a.Workflow, RecordID: after, Trigger: "date", Due: &due},
				InsertOpts: &river.InsertOpts{ScheduledAt: due, MaxAttempts: maxRunAttempts, UniqueOpts: river.UniqueOpts{ByArgs: true}}})
		}
		rows.Close()
		last := n < 1000
		err = e.db.InTx(ctx, func(ctx context.Context) error {
			if len(runs) > 0 {
				if _, err := e.queue.EnqueueMany(ctx, runs); err != nil {
					return err
				}
			}
			if last {
				return jobs.CompleteInTx(ctx, e.db, job)
			}
			return nil
		})
		if err != nil || last {
			return err
		}
	}
}
