package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"

	"github.com/tessera-crm/tessera/internal/database"
	"github.com/tessera-crm/tessera/internal/sqldialect"
)

// CompleteInTx marks job completed in the transaction ctx carries, so that
// the worker's database effects in that transaction and the completion
// commit together: a worker killed before the commit leaves neither, and
// the retry does the work once. Call it from a worker, inside db.InTx, after
// the effects:
//
//	return db.InTx(ctx, func(ctx context.Context) error {
//		if err := db.Conn(ctx).Create(&reminder).Error; err != nil {
//			return err
//		}
//		return jobs.CompleteInTx(ctx, db, job)
//	})
//
// Effects outside the database (HTTP, email) cannot join the transaction:
// they are at least once, and should send the job's ID as an idempotency
// key.
func CompleteInTx[T river.JobArgs](ctx context.Context, db *database.DB, job *river.Job[T]) error {
	if !database.InTransaction(ctx) {
		return fmt.Errorf("complete job %d: %w", job.ID, errNoTx)
	}
	tx, err := SQLTx(db.Conn(ctx))
	if err != nil {
		return fmt.Errorf("complete job %d: %w", job.ID, err)
	}
	// The driver type only tells River the transaction type; both drivers
	// take a *sql.Tx, but name the one the client runs on.
	if db.Dialect.Name() == sqldialect.SQLite {
		_, err = river.JobCompleteTx[*riversqlite.Driver](ctx, tx, job)
	} else {
		_, err = river.JobCompleteTx[*riverdatabasesql.Driver](ctx, tx, job)
	}
	if err != nil {
		return fmt.Errorf("complete job %d: %w", job.ID, err)
	}
	return nil
}

// Snooze, returned by a worker, runs the job again after d without counting
// the attempt (waiting for a rate limit, a record not yet ready).
func Snooze(d time.Duration) error { return river.JobSnooze(d) }

// GiveUp, returned by a worker, ends the job as cancelled with err recorded:
// no further attempts (the input can never succeed).
func GiveUp(err error) error { return river.JobCancel(err) }
