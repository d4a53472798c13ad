// Package jobs is the durable job queue: workflows, reminders, webhooks and
// emails run on it. It is River (github.com/riverqueue/river) over the
// platform database, so a job is enqueued in the same transaction as the
// record write that causes it, survives a restart, is retried with backoff
// and can be deduplicated.
//
// A job's args carry the tenant it belongs to (a TenantID field, by
// convention): the queue itself is shared by all tenants.
//
// See docs/jobs.md for the design: tables, connections, the exactly-once
// contract and operations.
package jobs

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/tessera-crm/tessera/internal/database"
	"github.com/tessera-crm/tessera/internal/sqldialect"
)

// Options tune the queue. The zero value is usable.
type Options struct {
	// Queues maps a queue name to how many of its jobs run at once in this
	// process. Default: the default queue with 10 workers.
	Queues map[string]int
	// PollInterval is how often an idle queue looks for due jobs that no
	// notification announced (default 1 s). Jobs enqueued outside a
	// transaction are picked up at once; jobs enqueued in a transaction are
	// picked up at the next poll (PostgreSQL) or within ~50 ms (SQLite).
	PollInterval time.Duration
	// JobTimeout cancels a job's context after this long (default 1 min).
	// A worker can set its own with river.Worker's Timeout method.
	JobTimeout time.Duration
	// RescueStuckJobsAfter is how long a job may stay running before it is
	// presumed lost (its process died) and retried (default 10 min). It
	// must be longer than any worker's timeout, or a slow but live job runs
	// twice; it is raised to JobTimeout when shorter.
	RescueStuckJobsAfter time.Duration
	// Logger receives River's logs (default slog.Default()).
	Logger *slog.Logger
}

// Default values of Options.
const (
	DefaultWorkers              = 10
	DefaultPollInterval         = time.Second
	DefaultJobTimeout           = time.Minute
	DefaultRescueStuckJobsAfter = 10 * time.Minute
)

// fetchCooldown is the shortest time between two fetches of one queue. River
// fetches at most as many jobs as the queue has free workers, so it bounds
// throughput at workers/fetchCooldown per queue and process.
const fetchCooldown = 20 * time.Millisecond

// Queue enqueues jobs and, once started, works them.
type Queue struct {
	db      *database.DB
	client  *river.Client[*sql.Tx]
	workers *river.Workers
	// ownPool is River's own connection to the SQLite file (nil on
	// PostgreSQL, where River shares gorm's pool).
	ownPool *sql.DB
}

// New applies River's migrations (idempotent) and builds the queue. Workers
// are added with Register before Start; enqueueing a kind with no worker
// registered is an error.
func New(ctx context.Context, db *database.DB, opts Options) (*Queue, error) {
	log := cmp.Or(opts.Logger, slog.Default())
	q := &Queue{db: db, workers: river.NewWorkers()}
	var (
		driver riverdriver.Driver[*sql.Tx]
		schema string
	)
	switch db.Dialect.Name() {
	case sqldialect.SQLite:
		pool, err := openSQLitePool(db)
		if err != nil {
			return nil, err
		}
		q.ownPool = pool
		driver = riversqlite.New(pool)
	case sqldialect.Postgres:
		pool, err := db.Gorm.DB()
		if err != nil {
			return nil, fmt.Errorf("jobs: %w", err)
		}
		if _, err := pool.ExecContext(ctx, "CREATE SCHEMA IF NOT EXISTS "+database.PlatformSchema); err != nil {
			return nil, fmt.Errorf("jobs: create platform schema: %w", err)
		}
		driver = riverdatabasesql.New(pool)
		schema = database.PlatformSchema
	default:
		return nil, fmt.Errorf("jobs: unsupported dialect %s", db.Dialect.Name())
	}
	if err := migrate(ctx, driver, schema, log); err != nil {
		q.Close()
		return nil, err
	}
	client, err := river.NewClient(driver, clientConfig(opts, schema, log, q.workers))
	if err != nil {
		q.Close()
		return nil, fmt.Errorf("jobs: create client: %w", err)
	}
	q.client = client
	return q, nil
}

func clientConfig(opts Options, schema string, log *slog.Logger, workers *river.Workers) *river.Config {
	poll := cmp.Or(opts.PollInterval, DefaultPollInterval)
	timeout := cmp.Or(opts.JobTimeout, DefaultJobTimeout)
	rescue := max(cmp.Or(opts.RescueStuckJobsAfter, DefaultRescueStuckJobsAfter), timeout)
	queues := make(map[string]river.QueueConfig, max(len(opts.Queues), 1))
	for name, n := range opts.Queues {
		queues[name] = river.QueueConfig{MaxWorkers: n}
	}
	if len(queues) == 0 {
		queues[river.QueueDefault] = river.QueueConfig{MaxWorkers: DefaultWorkers}
	}
	return &river.Config{
		Schema:               schema,
		Queues:               queues,
		Workers:              workers,
		FetchCooldown:        min(fetchCooldown, poll),
		FetchPollInterval:    poll,
		JobTimeout:           timeout,
		RescueStuckJobsAfter: rescue,
		Logger:               log,
	}
}

// openSQLitePool opens River's own connection to the SQLite file, with the
// same pragmas as the platform pool (WAL, busy timeout, immediate
// transactions). One connection: River's services then take turns instead of
// contending for SQLite's single write lock, and River never waits for a
// connection of the platform pool that a caller's transaction is holding.
func openSQLitePool(db *database.DB) (*sql.DB, error) {
	d, ok := db.Gorm.Dialector.(*sqlite.Dialector)
	if !ok {
		return nil, fmt.Errorf("jobs: SQLite database opened with an unexpected dialector %T", db.Gorm.Dialector)
	}
	pool, err := sql.Open(cmp.Or(d.DriverName, sqlite.DriverName), d.DSN)
	if err != nil {
		return nil, fmt.Errorf("jobs: open SQLite: %w", err)
	}
	pool.SetMaxOpenConns(1)
	pool.SetMaxIdleConns(1)
	return pool, nil
}

func migrate(ctx context.Context, driver riverdriver.Driver[*sql.Tx], schema string, log *slog.Logger) error {
	m, err := rivermigrate.New(driver, &rivermigrate.Config{Schema: schema, Logger: log})
	if err != nil {
		return fmt.Errorf("jobs: migrations: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("jobs: apply migrations: %w", err)
	}
	return nil
}

// Register adds the worker for jobs of kind T. Call it before Start.
func Register[T river.JobArgs](q *Queue, w river.Worker[T]) error {
	if err := river.AddWorkerSafely(q.workers, w); err != nil {
		return fmt.Errorf("jobs: register worker: %w", err)
	}
	return nil
}

// Start works jobs until Stop. ctx must live as long as the queue: ending it
// stops the queue at once, cancelling running jobs.
func (q *Queue) Start(ctx context.Context) error {
	if err := q.client.Start(ctx); err != nil {
		return fmt.Errorf("jobs: start: %w", err)
	}
	return nil
}

// hardStopTimeout is how long Stop waits for cancelled jobs to return.
const hardStopTimeout = 5 * time.Second

// Stop stops fetching jobs and waits for the running ones until ctx ends;
// then it cancels their contexts and waits a few more seconds for them to
// return. A job that does not return is rescued later by another process
// (Options.RescueStuckJobsAfter).
func (q *Queue) Stop(ctx context.Context) error {
	err := q.client.Stop(ctx)
	if err == nil || ctx.Err() == nil {
		return err
	}
	hard, cancel := context.WithTimeout(context.WithoutCancel(ctx), hardStopTimeout)
	defer cancel()
	if err := q.client.StopAndCancel(hard); err != nil {
		return fmt.Errorf("jobs: hard stop: %w", err)
	}
	return nil
}

// Close releases River's own SQLite connection. Call it after Stop and
// before closing the database.
func (q *Queue) Close() {
	if q.ownPool != nil {
		_ = q.ownPool.Close()
	}
}

// Client is River's client, for operations this package does not wrap
// (listing, cancelling or retrying jobs, pausing queues). Its methods ending
// in Tx take the *sql.Tx under a gorm transaction: see SQLTx.
func (q *Queue) Client() *river.Client[*sql.Tx] { return q.client }

// errNotTx reports a gorm handle whose connection is not a transaction.
var errNotTx = errors.New("jobs: the context's connection is not a database/sql transaction")

// errNoTx reports CompleteInTx called outside a transaction.
var errNoTx = errors.New("jobs: the context carries no database transaction")
