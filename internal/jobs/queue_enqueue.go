package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"gorm.io/gorm"

	"github.com/tessera-crm/tessera/internal/database"
)

// Enqueue inserts a job. When ctx carries a database transaction the job is
// inserted in it: it exists only if that transaction commits, and it is not
// worked before. Otherwise it is inserted and committed on its own.
//
// opts (nil for none) sets the queue, priority, max attempts, a run time
// (ScheduledAt) and deduplication (UniqueOpts); a duplicate is not an error:
// the result's UniqueSkippedAsDuplicate is set and its Job is the existing
// one. A ScheduledAt that is not in the future is dropped: River would
// otherwise park the job until its scheduler's next pass (up to 5 s).
func (q *Queue) Enqueue(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error) {
	var (
		res *rivertype.JobInsertResult
		err error
	)
	opts = dueNow(opts, time.Now())
	if database.InTransaction(ctx) {
		var tx *sql.Tx
		if tx, err = SQLTx(q.db.Conn(ctx)); err == nil {
			res, err = q.client.InsertTx(ctx, tx, args, opts)
		}
	} else {
		res, err = q.client.Insert(ctx, args, opts)
	}
	if err != nil {
		return nil, fmt.Errorf("enqueue %s: %w", args.Kind(), err)
	}
	return res, nil
}

// EnqueueMany inserts jobs in one batch, in ctx's transaction if it carries
// one (see Enqueue). Results are in the order of jobs.
func (q *Queue) EnqueueMany(ctx context.Context, jobs []river.InsertManyParams) ([]*rivertype.JobInsertResult, error) {
	var (
		res []*rivertype.JobInsertResult
		err error
	)
	now := time.Now()
	jobs = slices.Clone(jobs)
	for i := range jobs {
		jobs[i].InsertOpts = dueNow(jobs[i].InsertOpts, now)
	}
	if database.InTransaction(ctx) {
		var tx *sql.Tx
		if tx, err = SQLTx(q.db.Conn(ctx)); err == nil {
			res, err = q.client.InsertManyTx(ctx, tx, jobs)
		}
	} else {
		res, err = q.client.InsertMany(ctx, jobs)
	}
	if err != nil {
		return nil, fmt.Errorf("enqueue %d jobs: %w", len(jobs), err)
	}
	return res, nil
}

// dueNow returns opts without a ScheduledAt that is not after now: River
// inserts any job with a ScheduledAt as scheduled, and only the leader's
// scheduler, every few seconds, makes it available.
func dueNow(opts *river.InsertOpts, now time.Time) *river.InsertOpts {
	if opts == nil || opts.ScheduledAt.IsZero() || opts.ScheduledAt.After(now) {
		return opts
	}
	due := *opts
	due.ScheduledAt = time.Time{}
	return &due
}

// SQLTx returns the *sql.Tx under a gorm transaction. With prepared
// statements on (database.Open sets PrepareStmt) gorm wraps it in a
// *gorm.PreparedStmtTX, so the connection is not a *sql.Tx itself.
func SQLTx(g *gorm.DB) (*sql.Tx, error) {
	switch c := g.Statement.ConnPool.(type) {
	case *sql.Tx:
		return c, nil
	case *gorm.PreparedStmtTX:
		if tx, ok := c.Tx.(*sql.Tx); ok {
			return tx, nil
		}
	}
	return nil, fmt.Errorf("%w (%T)", errNotTx, g.Statement.ConnPool)
}
