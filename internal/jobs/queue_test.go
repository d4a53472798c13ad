package jobs_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/tessera-crm/tessera/internal/database"
	"github.com/tessera-crm/tessera/internal/jobs"
	"github.com/tessera-crm/tessera/internal/testutil"
)

// testOptions keep the tests quick: a short poll, and a job running for more
// than two seconds is presumed lost (and cancelled if it is still alive).
func testOptions() jobs.Options {
	return jobs.Options{
		Queues:               map[string]int{river.QueueDefault: 4},
		PollInterval:         100 * time.Millisecond,
		JobTimeout:           2 * time.Second,
		RescueStuckJobsAfter: 2 * time.Second,
		Logger:               testLogger(),
	}
}

// testLogger discards River's logs unless JOBS_TEST_LOG is set.
func testLogger() *slog.Logger {
	if os.Getenv("JOBS_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// effectArgs is a job whose effect is a row in job_effects keyed by the job.
type effectArgs struct {
	TenantID string `json:"tenant_id"`
	Note     string `json:"note"`
}

func (effectArgs) Kind() string { return "test_effect" }

// effectWorker writes the effect and completes the job in one transaction.
type effectWorker struct {
	river.WorkerDefaults[effectArgs]
	db *database.DB
	// slow, when set, is slept inside the transaction, between the effect
	// and the completion; jitter adds up to 4 times as much, varying by job,
	// so that workers do not finish in step.
	slow   time.Duration
	jitter bool
}

func (w *effectWorker) Work(ctx context.Context, job *river.Job[effectArgs]) error {
	return w.db.InTx(ctx, func(ctx context.Context) error {
		if err := w.db.Conn(ctx).Exec(`INSERT INTO job_effects (job_id, attempt) VALUES (?, ?)`, job.ID, job.Attempt).Error; err != nil {
			return err
		}
		if w.slow > 0 {
			pause := w.slow
			if w.jitter {
				pause += time.Duration(job.ID%5) * w.slow
			}
			time.Sleep(pause)
		}
		return jobs.CompleteInTx(ctx, w.db, job)
	})
}

// NextRetry replaces River's backoff (attempt^4 seconds): a job cut short
// by a timeout or the kill is retried at once.
func (w *effectWorker) NextRetry(*river.Job[effectArgs]) time.Time {
	return time.Now().Add(100 * time.Millisecond)
}

func createEffectsTable(t testing.TB, db *database.DB) {
	t.Helper()
	if err := db.Gorm.Exec(`CREATE TABLE IF NOT EXISTS job_effects (job_id BIGINT PRIMARY KEY, attempt INTEGER NOT NULL)`).Error; err != nil {
		t.Fatalf("create job_effects: %v", err)
	}
}

func countEffects(t testing.TB, db *database.DB) int64 {
	t.Helper()
	var n int64
	if err := db.Gorm.Raw(`SELECT count(*) FROM job_effects`).Scan(&n).Error; err != nil {
		t.Fatalf("count effects: %v", err)
	}
	return n
}

// newQueue builds a queue on db, lets register add workers, starts it and
// stops it when the test ends.
func newQueue(t *testing.T, db *database.DB, opts jobs.Options, register func(q *jobs.Queue) error) *jobs.Queue {
	t.Helper()
	ctx := context.Background()
	q, err := jobs.New(ctx, db, opts)
	if err != nil {
		t.Fatalf("new queue: %v", err)
	}
	if err := register(q); err != nil {
		t.Fatal(err)
	}
	if err := q.Start(ctx); err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := q.Stop(stopCtx); err != nil {
			t.Errorf("stop: %v", err)
		}
		q.Close()
	})
	return q
}

func effectQueue(t *testing.T, db *database.DB) *jobs.Queue {
	createEffectsTable(t, db)
	return newQueue(t, db, testOptions(), func(q *jobs.Queue) error {
		return jobs.Register(q, &effectWorker{db: db})
	})
}

func waitCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// waitDone waits for the job to be finalized and checks it completed.
func waitDone(t *testing.T, q *jobs.Queue, id int64) *rivertype.JobRow {
	t.Helper()
	job, err := q.WaitJob(waitCtx(t), id)
	if err != nil {
		t.Fatal(err)
	}
	if job.State != rivertype.JobStateCompleted {
		t.Fatalf("job %d ended %s, errors %v", id, job.State, job.Errors)
	}
	return job
}

var errRollback = errors.New("roll back")

// jobNotes counts the effect jobs in the table by their note. (A rolled
// back job's ID is not a way to look for it: SQLite hands it to the next
// job, as the sequence rolls back with the transaction.)
func jobNotes(t *testing.T, q *jobs.Queue) map[string]int {
	t.Helper()
	list, err := q.Client().JobList(context.Background(), river.NewJobListParams().Kinds(effectArgs{}.Kind()).First(1000))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, j := range list.Jobs {
		var a effectArgs
		if err := json.Unmarshal(j.EncodedArgs, &a); err != nil {
			t.Fatal(err)
		}
		out[a.Note]++
	}
	return out
}

func TestEnqueue_InTransactionRunsOnlyIfCommitted(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, db *database.DB) {
		q := effectQueue(t, db)
		ctx := context.Background()
		tenant := testutil.NewTenantRow(t, db, "acme")
		var rolledBack, committed int64
		err := db.InTx(ctx, func(ctx context.Context) error {
			res, err := q.Enqueue(ctx, effectArgs{TenantID: tenant, Note: "rolled back"}, nil)
			if err != nil {
				return err
			}
			rolledBack = res.Job.ID
			return errRollback
		})
		if !errors.Is(err, errRollback) {
			t.Fatalf("rolled back tx: %v", err)
		}
		err = db.InTx(ctx, func(ctx context.Context) error {
			if err := db.Conn(ctx).Exec(`UPDATE tenants SET name = ? WHERE id = ?`, "Acme Ltd", tenant).Error; err != nil {
				return err
			}
			res, err := q.Enqueue(ctx, effectArgs{TenantID: tenant, Note: "committed"}, nil)
			if err != nil {
				return err
			}
			committed = res.Job.ID
			return nil
		})
		if err != nil {
			t.Fatalf("committed tx: %v", err)
		}

		job := waitDone(t, q, committed)
		if job.Attempt != 1 {
			t.Errorf("committed job ran %d times, want 1", job.Attempt)
		}
		if err := q.WaitIdle(waitCtx(t)); err != nil {
			t.Fatal(err)
		}
		if notes := jobNotes(t, q); notes["rolled back"] != 0 || notes["committed"] != 1 {
			t.Errorf("jobs by note %v, want only the committed one (the rolled back one had id %d)", notes, rolledBack)
		}
		if n := countEffects(t, db); n != 1 {
			t.Errorf("effects = %d, want 1 (the committed job's)", n)
		}
	})
}

// flakyArgs fails its first two attempts.
type flakyArgs struct {
	TenantID string `json:"tenant_id"`
}

func (flakyArgs) Kind() string { return "test_flaky" }

type flakyWorker struct {
	river.WorkerDefaults[flakyArgs]
	calls atomic.Int32
}

func (w *flakyWorker) Work(ctx context.Context, job *river.Job[flakyArgs]) error {
	w.calls.Add(1)
	if job.Attempt < 3 {
		return errors.New("temporary failure")
	}
	return nil
}

// NextRetry shortens River's backoff (attempt^4 seconds) for the test.
func (w *flakyWorker) NextRetry(job *river.Job[flakyArgs]) time.Time {
	return time.Now().Add(50 * time.Millisecond)
}

func TestWorker_RetriedAfterFailuresUntilItSucceeds(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, db *database.DB) {
		w := &flakyWorker{}
		q := newQueue(t, db, testOptions(), func(q *jobs.Queue) error { return jobs.Register(q, w) })
		res, err := q.Enqueue(context.Background(), flakyArgs{TenantID: "t1"}, &river.InsertOpts{MaxAttempts: 5})
		if err != nil {
			t.Fatal(err)
		}
		job := waitDone(t, q, res.Job.ID)
		if job.Attempt != 3 || len(job.Errors) != 2 {
			t.Errorf("attempt %d with %d errors, want 3 and 2", job.Attempt, len(job.Errors))
		}
		if n := w.calls.Load(); n != 3 {
			t.Errorf("worker called %d times, want 3", n)
		}
	})
}

func TestEnqueue_UniqueArgsMakeOneJob(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, db *database.DB) {
		q := effectQueue(t, db)
		ctx := context.Background()
		opts := &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByPeriod: time.Hour}}
		args := effectArgs{TenantID: "t1", Note: "remind about deal 42"}
		first, err := q.Enqueue(ctx, args, opts)
		if err != nil {
			t.Fatal(err)
		}
		// The second, in a transaction, finds the first whether it ran yet
		// or not: completed jobs count for uniqueness by default.
		var second *rivertype.JobInsertResult
		err = db.InTx(ctx, func(ctx context.Context) error {
			second, err = q.Enqueue(ctx, args, opts)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if !second.UniqueSkippedAsDuplicate || second.Job.ID != first.Job.ID {
			t.Errorf("second enqueue: duplicate=%v id=%d, want duplicate of %d", second.UniqueSkippedAsDuplicate, second.Job.ID, first.Job.ID)
		}
		other, err := q.Enqueue(ctx, effectArgs{TenantID: "t1", Note: "remind about deal 43"}, opts)
		if err != nil {
			t.Fatal(err)
		}
		if other.UniqueSkippedAsDuplicate {
			t.Error("a job with other args was taken for a duplicate")
		}
		waitDone(t, q, first.Job.ID)
		waitDone(t, q, other.Job.ID)
		list, err := q.Client().JobList(ctx, river.NewJobListParams().Kinds(effectArgs{}.Kind()).First(10))
		if err != nil {
			t.Fatal(err)
		}
		if len(list.Jobs) != 2 {
			t.Errorf("%d jobs, want 2", len(list.Jobs))
		}
		if n := countEffects(t, db); n != 2 {
			t.Errorf("effects = %d, want 2", n)
		}
	})
}

func TestEnqueue_ScheduledJobWaitsForItsTime(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, db *database.DB) {
		q := effectQueue(t, db)
		at := time.Now().Add(1500 * time.Millisecond)
		res, err := q.Enqueue(context.Background(), effectArgs{TenantID: "t1"}, &river.InsertOpts{ScheduledAt: at})
		if err != nil {
			t.Fatal(err)
		}
		if res.Job.State != rivertype.JobStateScheduled {
			t.Fatalf("inserted as %s, want scheduled", res.Job.State)
		}
		job := waitDone(t, q, res.Job.ID)
		// River records when the attempt started: never before its time.
		if job.AttemptedAt == nil || job.AttemptedAt.Before(at.Truncate(time.Millisecond)) {
			t.Errorf("attempted at %v, scheduled at %v", job.AttemptedAt, at)
		}
		if n := countEffects(t, db); n != 1 {
			t.Errorf("effects = %d, want 1", n)
		}
	})
}

func TestEnqueueMany_InOneTransaction(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, db *database.DB) {
		q := effectQueue(t, db)
		ctx := context.Background()
		batch := func(note string) []river.InsertManyParams {
			out := make([]river.InsertManyParams, 50)
			for i := range out {
				out[i] = river.InsertManyParams{Args: effectArgs{TenantID: "t1", Note: note}}
			}
			return out
		}
		var dropped []*rivertype.JobInsertResult
		err := db.InTx(ctx, func(ctx context.Context) error {
			var err error
			if dropped, err = q.EnqueueMany(ctx, batch("rolled back")); err != nil {
				return err
			}
			return errRollback
		})
		if !errors.Is(err, errRollback) || len(dropped) != 50 {
			t.Fatalf("rolled back batch: %d jobs, %v", len(dropped), err)
		}
		var kept []*rivertype.JobInsertResult
		err = db.InTx(ctx, func(ctx context.Context) error {
			var err error
			kept, err = q.EnqueueMany(ctx, batch("committed"))
			return err
		})
		if err != nil || len(kept) != 50 {
			t.Fatalf("committed batch: %d jobs, %v", len(kept), err)
		}
		for _, r := range kept {
			waitDone(t, q, r.Job.ID)
		}
		if err := q.WaitIdle(waitCtx(t)); err != nil {
			t.Fatal(err)
		}
		if n := countEffects(t, db); n != 50 {
			t.Errorf("effects = %d, want 50", n)
		}
		if notes := jobNotes(t, q); notes["rolled back"] != 0 || notes["committed"] != 50 {
			t.Errorf("jobs by note %v, want only the 50 committed", notes)
		}
	})
}

func TestCompleteInTx_OutsideTransactionIsAnError(t *testing.T) {
	db := testutil.OpenDB(t, "sqlite")
	err := jobs.CompleteInTx(context.Background(), db, &river.Job[effectArgs]{JobRow: &rivertype.JobRow{ID: 1, State: rivertype.JobStateRunning}})
	if err == nil {
		t.Fatal("no error")
	}
}

func TestNew_MigratesOnceIntoThePlatformSchema(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		for range 2 { // the second run finds River's tables up to date
			q, err := jobs.New(ctx, db, testOptions())
			if err != nil {
				t.Fatal(err)
			}
			q.Close()
		}
		if db.Dialect.Name() != "postgres" {
			return
		}
		var schemas []string
		err := db.Gorm.Raw(`SELECT table_schema FROM information_schema.tables WHERE table_name = 'river_job'`).Scan(&schemas).Error
		if err != nil {
			t.Fatal(err)
		}
		if len(schemas) != 1 || schemas[0] != database.PlatformSchema {
			t.Errorf("river_job is in schemas %v, want only %s", schemas, database.PlatformSchema)
		}
	})
}
