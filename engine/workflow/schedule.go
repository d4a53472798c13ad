package workflow

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/tessera-crm/tessera/engine/filter"
	"github.com/tessera-crm/tessera/internal/jobs"
	"github.com/tessera-crm/tessera/metadata"
)

// Scheduled workflows: the platform table workflow_schedules holds each
// active schedule with its next firing, rewritten with the metadata in the
// change's transaction (SyncSchedules). A periodic job on the queue's
// leader (one per cluster) looks each minute for due schedules and
// enqueues a firing for each; a firing enqueues one run per record the
// schedule's filter selects.

// MaxScheduledRecords bounds the records one firing runs on.
const MaxScheduledRecords = 5000

// TickArgs is the minute tick that finds due schedules.
type TickArgs struct{}

// Kind names the job type.
func (TickArgs) Kind() string { return "workflow_tick" }

// FireArgs is one firing of a scheduled workflow.
type FireArgs struct {
	TenantID string    `json:"tenant_id"`
	Object   string    `json:"object"`
	Workflow string    `json:"workflow"`
	At       time.Time `json:"at"`
}

// Kind names the job type.
func (FireArgs) Kind() string { return "workflow_fire" }

type tickWorker struct {
	river.WorkerDefaults[TickArgs]
	e *Engine
}

type fireWorker struct {
	river.WorkerDefaults[FireArgs]
	e *Engine
}

// registerSchedules adds the schedule workers and the minute tick.
func (e *Engine) registerSchedules() error {
	if err := jobs.Register(e.queue, &tickWorker{e: e}); err != nil {
		return err
	}
	if err := jobs.Register(e.queue, &fireWorker{e: e}); err != nil {
		return err
	}
	if err := jobs.Register(e.queue, &backfillWorker{e: e}); err != nil {
		return err
	}
	e.queue.Client().PeriodicJobs().Add(river.NewPeriodicJob(river.PeriodicInterval(time.Minute),
		func() (river.JobArgs, *river.InsertOpts) { return TickArgs{}, nil }, &river.PeriodicJobOpts{RunOnStart: true}))
	return nil
}

// SyncSchedules rewrites a tenant's rows of workflow_schedules from its
// metadata, in the metadata change's transaction.
func (e *Engine) SyncSchedules(ctx context.Context, snap *metadata.Snapshot) error {
	conn := e.db.Conn(ctx)
	if err := conn.Exec(`DELETE FROM workflow_schedules WHERE tenant_id = ?`, snap.Tenant.ID).Error; err != nil {
		return fmt.Errorf("sync workflow schedules: %w", err)
	}
	if err := e.enqueueBackfills(ctx, snap); err != nil {
		return err
	}
	loc := location(snap)
	for _, o := range snap.Objects {
		for _, w := range o.Workflows {
			if !w.Active || w.Trigger.Type != metadata.TriggerSchedule {
				continue
			}
			sched, err := metadata.CronParser.Parse(w.Trigger.Cron)
			if err != nil {
				continue // refused when saved; an old snapshot's leftover
			}
			next := sched.Next(e.now().In(loc)).UTC()
			if err := conn.Exec(`INSERT INTO workflow_schedules (tenant_id, object, workflow, cron, time_zone, next_run_at) VALUES (?, ?, ?, ?, ?, ?)`,
				snap.Tenant.ID, o.APIName, w.APIName, w.Trigger.Cron, loc.String(), next).Error; err != nil {
				return fmt.Errorf("sync workflow schedule %s: %w", w.APIName, err)
			}
		}
	}
	return nil
}

type dueSchedule struct {
	TenantID  string
	Object    string
	Workflow  string
	Cron      string
	TimeZone  string
	NextRunAt time.Time
}

// Work enqueues a firing for each due schedule and moves it to its next
// time, one schedule per transaction.
func (w *tickWorker) Work(ctx context.Context, job *river.Job[TickArgs]) error {
	e := w.e
	now := e.now()
	var due []dueSchedule
	if err := e.db.Conn(ctx).Raw(`SELECT tenant_id, object, workflow, cron, time_zone, next_run_at FROM workflow_schedules WHERE next_run_at <= ? ORDER BY next_run_at LIMIT 1000`, now).
		Scan(&due).Error; err != nil {
		return fmt.Errorf("due workflow schedules: %w", err)
	}
	for _, d := range due {
		sched, err := metadata.CronParser.Parse(d.Cron)
		if err != nil {
			continue
		}
		loc, err := time.LoadLocation(d.TimeZone)
		if err != nil {
			loc = time.UTC
		}
		next := sched.Next(now.In(loc)).UTC()
		err = e.db.InTx(ctx, func(ctx context.Context) error {
			res := e.db.Conn(ctx).Exec(`UPDATE workflow_schedules SET next_run_at = ? WHERE tenant_id = ? AND object = ? AND workflow = ? AND next_run_at = ?`,
				next, d.TenantID, d.Object, d.Workflow, d.NextRunAt)
			if res.Error != nil || res.RowsAffected == 0 {
				return res.Error // moved meanwhile: nothing to fire
			}
			_, err := e.queue.Enqueue(ctx, FireArgs{TenantID: d.TenantID, Object: d.Object, Workflow: d.Workflow, At: d.NextRunAt.UTC()},
				&river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}})
			return err
		})
		if err != nil {
			return fmt.Errorf("fire schedule %s: %w", d.Workflow, err)
		}
	}
	return nil
}

// Work enqueues a run of the workflow for each record its filter selects,
// with the firing's completion.
func (w *fireWorker) Work(ctx context.Context, job *river.Job[FireArgs]) error {
	e := w.e
	a := job.Args
	snap, err := e.snapshots.Get(ctx, a.TenantID)
	if err != nil {
		return err
	}
	obj, wf := findWorkflow(snap, a.Object, a.Workflow)
	if wf == nil || !wf.Active || wf.Trigger.Type != metadata.TriggerSchedule {
		return nil
	}
	ddl := metadata.DDL{D: e.db.Dialect, Key: snap.Tenant.Key}
	q := fmt.Sprintf("SELECT id FROM %s AS t WHERE deleted_at IS NULL", ddl.D.Table(ddl.Key, obj.APIName))
	var args []any
	if wf.Trigger.Filter != "" {
		pred, err := filter.Compile(wf.Trigger.Filter, filter.Env{Snapshot: snap, Object: obj, DDL: ddl, Alias: "t", Now: e.now()})
		if err != nil {
			e.log.Warn("scheduled workflow filter does not compile", "tenant", snap.Tenant.Key, "workflow", wf.APIName, "err", err)
			return nil
		}
		if pred != nil {
			q += " AND (" + pred.SQL + ")"
			args = pred.Args
		}
	}
	q += fmt.Sprintf(" ORDER BY id LIMIT %d", MaxScheduledRecords)
	var ids []string
	if err := e.db.Conn(ctx).Raw(q, args...).Scan(&ids).Error; err != nil {
		return fmt.Errorf("records of schedule %s: %w", wf.APIName, err)
	}
	if len(ids) == MaxScheduledRecords {
		e.log.Warn("scheduled workflow selects more records than one firing runs on", "tenant", snap.Tenant.Key, "workflow", wf.APIName, "limit", MaxScheduledRecords)
	}
	runs := make([]river.InsertManyParams, len(ids))
	for i, id := range ids {
		runs[i] = river.InsertManyParams{Args: RunArgs{TenantID: a.TenantID, Object: a.Object, Workflow: a.Workflow, RecordID: id, Trigger: "schedule",
			Chain: []string{a.Workflow + ":" + id}}, InsertOpts: &river.InsertOpts{MaxAttempts: maxRunAttempts}}
	}
	return e.db.InTx(ctx, func(ctx context.Context) error {
		if len(runs) > 0 {
			if _, err := e.queue.EnqueueMany(ctx, runs); err != nil {
				return err
			}
		}
		return jobs.CompleteInTx(ctx, e.db, job)
	})
}
