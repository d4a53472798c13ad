package workflow

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/tessera-crm/tessera/engine/record"
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
