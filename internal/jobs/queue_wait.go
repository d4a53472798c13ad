package jobs

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// waitPoll is how often the Wait methods look at the jobs table.
const waitPoll = 20 * time.Millisecond

// finalStates are the states a job never leaves by itself.
var finalStates = []rivertype.JobState{rivertype.JobStateCompleted, rivertype.JobStateCancelled, rivertype.JobStateDiscarded}

// WaitJob waits until the job is completed, cancelled or discarded, or ctx
// ends, and returns its row. For tests and tools; workers must not wait on
// other jobs.
func (q *Queue) WaitJob(ctx context.Context, id int64) (*rivertype.JobRow, error) {
	for {
		job, err := q.client.JobGet(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("wait for job %d: %w", id, err)
		}
		if slices.Contains(finalStates, job.State) {
			return job, nil
		}
		if err := sleep(ctx, waitPoll); err != nil {
			return job, fmt.Errorf("wait for job %d (%s, attempt %d): %w", id, job.State, job.Attempt, err)
		}
	}
}

// WaitIdle waits until no job is available, running, pending, waiting for
// a retry or scheduled for a time already past, or ctx ends. Jobs scheduled
// for later do not count. For tests and tools.
func (q *Queue) WaitIdle(ctx context.Context) error {
	for {
		job, err := q.busyJob(ctx)
		if err != nil {
			return fmt.Errorf("wait for idle queue: %w", err)
		}
		if job == nil {
			return nil
		}
		if err := sleep(ctx, waitPoll); err != nil {
			return fmt.Errorf("wait for idle queue: job %d %s is %s: %w", job.ID, job.Kind, job.State, err)
		}
	}
}

// busyJob returns a job that keeps the queue from being idle, or nil. The
// list parameters are built per call: River's JobList writes the client's
// schema into them, so one value shared by two queues (one per database,
// as in the tests) races and sends one the other's schema.
func (q *Queue) busyJob(ctx context.Context) (*rivertype.JobRow, error) {
	busy := river.NewJobListParams().First(1).States(rivertype.JobStateAvailable, rivertype.JobStateRunning,
		rivertype.JobStatePending, rivertype.JobStateRetryable)
	res, err := q.client.JobList(ctx, busy)
	if err != nil {
		return nil, err
	}
	if len(res.Jobs) > 0 {
		return res.Jobs[0], nil
	}
	nextScheduled := river.NewJobListParams().First(1).States(rivertype.JobStateScheduled).
		OrderBy(river.JobListOrderByScheduledAt, river.SortOrderAsc)
	res, err = q.client.JobList(ctx, nextScheduled)
	if err != nil {
		return nil, err
	}
	if len(res.Jobs) > 0 && !res.Jobs[0].ScheduledAt.After(time.Now()) {
		return res.Jobs[0], nil
	}
	return nil, nil
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
