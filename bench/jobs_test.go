package bench

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/tessera-crm/tessera/internal/database"
	"github.com/tessera-crm/tessera/internal/jobs"
	"github.com/tessera-crm/tessera/internal/testutil"
)

// dispatchJobs is how many due jobs BenchmarkJobs_Dispatch10k works per
// operation.
const dispatchJobs = 10_000

// dispatchWorkers is the default queue's worker count for the benchmark.
const dispatchWorkers = 100

type noopArgs struct {
	TenantID string `json:"tenant_id"`
	N        int    `json:"n"`
}

func (noopArgs) Kind() string { return "bench_noop" }

type noopWorker struct {
	river.WorkerDefaults[noopArgs]
}

func (noopWorker) Work(context.Context, *river.Job[noopArgs]) error { return nil }

// BenchmarkJobs_Dispatch10k times a queue working off 10,000 jobs that are
// already due, with a trivial worker: from Start until every job is
// completed. The jobs are inserted outside the timer, in batches of 1,000,
// with a run time a minute ago. One operation is the whole 10,000; jobs/s is
// reported beside it. Target: under 10 s.
//
// enqueued: through Queue.EnqueueMany, which makes a past run time due at
// once (the jobs are available). scheduled: through River's own insert,
// which keeps them scheduled, as jobs scheduled for a time that passed
// while no process ran; the leader's scheduler makes them available.
func BenchmarkJobs_Dispatch10k(b *testing.B) {
	for _, dialect := range testutil.Dialects(b) {
		b.Run(dialect, func(b *testing.B) {
			db := testutil.OpenDB(b, dialect)
			for _, path := range []string{"enqueued", "scheduled"} {
				b.Run(path, func(b *testing.B) {
					benchDispatch(b, db, path == "scheduled")
				})
			}
		})
	}
}

func benchDispatch(b *testing.B, db *database.DB, scheduled bool) {
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	opts := jobs.Options{Queues: map[string]int{river.QueueDefault: dispatchWorkers}, PollInterval: 100 * time.Millisecond, Logger: log}
	var total time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		q, err := jobs.New(ctx, db, opts)
		if err != nil {
			b.Fatal(err)
		}
		if err := jobs.Register(q, river.Worker[noopArgs](noopWorker{})); err != nil {
			b.Fatal(err)
		}
		due := time.Now().Add(-time.Minute)
		for start := 0; start < dispatchJobs; start += 1000 {
			batch := make([]river.InsertManyParams, 1000)
			for j := range batch {
				batch[j] = river.InsertManyParams{Args: noopArgs{TenantID: "bench", N: start + j}, InsertOpts: &river.InsertOpts{ScheduledAt: due}}
			}
			if scheduled {
				_, err = q.Client().InsertMany(ctx, batch)
			} else {
				_, err = q.EnqueueMany(ctx, batch)
			}
			if err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		began := time.Now()
		if err := q.Start(ctx); err != nil {
			b.Fatal(err)
		}
		waitCtx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		err = q.WaitIdle(waitCtx)
		cancel()
		if err != nil {
			b.Fatal(err)
		}
		took := time.Since(began)
		total += took
		b.StopTimer()
		stopCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
		err = q.Stop(stopCtx)
		cancel()
		q.Close()
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("%s: %d jobs in %s (%d workers)", db.Dialect.Name(), dispatchJobs, took.Round(time.Millisecond), dispatchWorkers)
		b.StartTimer()
	}
	b.ReportMetric(float64(dispatchJobs*b.N)/total.Seconds(), "jobs/s")
}
