package workflow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"

	"github.com/tessera-crm/tessera/engine/expression"
	"github.com/tessera-crm/tessera/engine/record"
	"github.com/tessera-crm/tessera/internal/jobs"
	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/metadata"
)

// maxRunAttempts bounds the retries of a run that fails for a passing
// reason (a busy database); a run refused by the data (a validation rule)
// is logged as failed at once.
const maxRunAttempts = 5

// RunArgs is a workflow run waiting on the queue.
type RunArgs struct {
	TenantID string `json:"tenant_id"`
	Object   string `json:"object"`
	Workflow string `json:"workflow"`
	RecordID string `json:"record_id"`
	// Trigger is what started it: create, update, delete, date, schedule
	// or manual.
	Trigger string   `json:"trigger"`
	Chain   []string `json:"chain,omitempty"`
	// Due is when a date-relative run was meant for; a run whose record's
	// date has since moved is stale and skipped.
	Due *time.Time `json:"due,omitempty"`
	// By is the user who started a manual run.
	By string `json:"by,omitempty"`
}

// Kind names the job type.
func (RunArgs) Kind() string { return "workflow_run" }

type runWorker struct {
	river.WorkerDefaults[RunArgs]
	e *Engine
}

func (w *runWorker) Work(ctx context.Context, job *river.Job[RunArgs]) error {
	return w.e.run(ctx, job)
}

// Run statuses in the execution log.
const (
	StatusSucceeded = "succeeded"
	StatusFailed    = "failed"
	StatusSkipped   = "skipped"
)

// outcome is one action's entry in the execution log.
type outcome struct {
	Type   string         `json:"type"`
	Status string         `json:"status"`
	Detail string         `json:"detail,omitempty"`
	Output map[string]any `json:"output,omitempty"`
}

// runLog is what a run writes to the execution log.
type runLog struct {
	status  string
	inputs  map[string]any
	actions []outcome
	err     string
}

func (e *Engine) run(ctx context.Context, job *river.Job[RunArgs]) error {
	a := job.Args
	snap, err := e.snapshots.Get(ctx, a.TenantID)
	if err != nil {
		return fmt.Errorf("workflow run %d: %w", job.ID, err)
	}
	obj, wf := findWorkflow(snap, a.Object, a.Workflow)
	if wf == nil || !wf.Active {
		return e.finish(ctx, snap, job, runLog{status: StatusSkipped, err: "the workflow no longer exists or is inactive"})
	}
	rec, err := e.records.Get(ctx, snap, a.Object, a.RecordID, record.GetOptions{Deleted: a.Trigger == record.EventDelete})
	if err != nil {
		if pe, ok := problem.As(err); ok && pe.Status == 404 {
			return e.finish(ctx, snap, job, runLog{status: StatusSkipped, err: "the record no longer exists"})
		}
		return fmt.Errorf("workflow run %d: %w", job.ID, err)
	}
	if a.Due != nil {
		due, ok := dueOf(snap, wf, rec)
		if !ok || !due.Equal(*a.Due) {
			return e.finish(ctx, snap, job, runLog{status: StatusSkipped, inputs: rec, err: "the record's date moved since the run was scheduled"})
		}
	}
	if !onSave(wf.Trigger) && wf.Condition != "" {
		// Schedules, dates and buttons judge the record as it is now.
		p, err := expression.Compile(wf.Condition, record.CheckEnv(snap, obj, metadata.Expression{Source: wf.Condition}))
		if err != nil {
			return e.finish(ctx, snap, job, runLog{status: StatusFailed, inputs: rec, err: err.Error()})
		}
		ok, err := e.holds(ctx, snap, obj, p, rec, nil)
		if err != nil || !ok {
			return e.finish(ctx, snap, job, runLog{status: StatusSkipped, inputs: rec, err: "the condition does not hold"})
		}
	}
	var done []outcome
	err = e.db.InTx(ctx, func(ctx context.Context) error {
		ctx = record.WithChain(ctx, a.Chain)
		done = done[:0]
		for i, act := range wf.Actions {
			out, err := e.act(ctx, snap, obj, wf, act, rec, origin{name: "workflow." + wf.APIName, trigger: a.Trigger, jobID: job.ID})
			if err != nil {
				done = append(done, outcome{Type: act.Type, Status: StatusFailed, Detail: describeError(err)})
				return fmt.Errorf("action %d (%s): %w", i+1, act.Type, err)
			}
			done = append(done, out)
		}
		if err := e.writeLog(ctx, snap, job, runLog{status: StatusSucceeded, inputs: rec, actions: done}); err != nil {
			return err
		}
		return jobs.CompleteInTx(ctx, e.db, job)
	})
	if err == nil {
		return nil
	}
	// The data refused the run (a validation rule, a missing field): it
	// would fail again, so it is logged and completed. Anything else is
	// retried, and logged when the last attempt fails.
	if _, refused := problem.As(err); refused || job.Attempt >= maxRunAttempts {
		return e.finish(ctx, snap, job, runLog{status: StatusFailed, inputs: rec, actions: done, err: describeError(err)})
	}
	return err
}

func describeError(err error) string {
	if pe, ok := problem.As(err); ok {
		return pe.Error()
	}
	var ee *expression.EvalError
	if errors.As(err, &ee) {
		return ee.Message
	}
	return err.Error()
}

// finish logs a run that made no changes and completes its job, together.
func (e *Engine) finish(ctx context.Context, snap *metadata.Snapshot, job *river.Job[RunArgs], l runLog) error {
	return e.db.InTx(ctx, func(ctx context.Context) error {
		if err := e.writeLog(ctx, snap, job, l); err != nil {
			return err
		}
		return jobs.CompleteInTx(ctx, e.db, job)
	})
}

func (e *Engine) writeLog(ctx context.Context, snap *metadata.Snapshot, job *river.Job[RunArgs], l runLog) error {
	ddl := metadata.DDL{D: e.db.Dialect, Key: snap.Tenant.Key}
	inputs, _ := json.Marshal(l.inputs)
	if l.inputs == nil {
		inputs = []byte("{}")
	}
	if l.actions == nil {
		l.actions = []outcome{}
	}
	actions, _ := json.Marshal(l.actions)
	now := e.now()
	q := fmt.Sprintf(`INSERT INTO %s (id, job_id, workflow, object, record_id, trigger, depth, status, started_at, finished_at, inputs, actions, error)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, ddl.D.Table(ddl.Key, metadata.TableWorkflowRuns))
	started := job.AttemptedAt
	if started == nil {
		started = &now
	}
	err := e.db.Conn(ctx).Exec(q, uuid.Must(uuid.NewV7()).String(), job.ID, job.Args.Workflow, job.Args.Object, job.Args.RecordID, job.Args.Trigger,
		len(job.Args.Chain), l.status, bindTime(e.db, started.UTC()), bindTime(e.db, now), string(inputs), string(actions), l.err).Error
	if err != nil {
		return fmt.Errorf("log workflow run %d: %w", job.ID, err)
	}
	return nil
}
