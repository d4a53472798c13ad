// Package app wires the parts of Tessera into one server: database, cache,
// bus, services and routes. The command line and the tests build the server
// through it, so tests exercise exactly what production runs.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/redis/go-redis/v9"

	"github.com/tessera-crm/tessera/engine/record"
	"github.com/tessera-crm/tessera/engine/workflow"
	"github.com/tessera-crm/tessera/internal/access"
	"github.com/tessera-crm/tessera/internal/audit"
	"github.com/tessera-crm/tessera/internal/bus"
	"github.com/tessera-crm/tessera/internal/crypto"
	"github.com/tessera-crm/tessera/internal/database"
	"github.com/tessera-crm/tessera/internal/identity"
	"github.com/tessera-crm/tessera/internal/identity/sso"
	"github.com/tessera-crm/tessera/internal/jobs"
	"github.com/tessera-crm/tessera/metadata"
	"github.com/tessera-crm/tessera/metadata/metacache"
	"github.com/tessera-crm/tessera/tenants"
)

// Config is everything the server reads from its environment and flags.
type Config struct {
	DatabaseURL  string
	RedisURL     string
	Addr         string
	BodyLimit    int64
	MaxOpenConns int
	LogSQL       bool
	// TrustedProxies are the addresses whose X-Forwarded-For is believed
	// when recording a client's IP; none by default.
	TrustedProxies []string
	// MasterKey (base64, 32 bytes) wraps the tenants' data keys. Empty: a
	// key generated into MasterKeyFile is used (the embedded default).
	MasterKey     string
	MasterKeyFile string
	// PublicURL is the address users reach the server at, used for the
	// single sign-on redirect URI (default: taken from the request).
	PublicURL string
	// SMTPURL is the mail server workflows send email through
	// (smtp://user:password@host:587?from=crm@example.com); empty logs
	// emails instead of sending them.
	SMTPURL string
	// AllowPrivateWebhooks lets workflow webhooks call loopback and
	// private addresses (single-company installations); off by default.
	AllowPrivateWebhooks bool
	// JobWorkers, JobTimeout and JobRescueAfter tune the job queue (see
	// jobs.Options; zero takes its defaults).
	JobWorkers     int
	JobTimeout     time.Duration
	JobRescueAfter time.Duration
}

// DefaultDatabaseURL is the embedded default: a SQLite file under ./data.
const DefaultDatabaseURL = "data/tessera.db"

// DefaultBodyLimit is the request body limit.
const DefaultBodyLimit = 1 << 20

// App is a configured server.
type App struct {
	Config    Config
	Log       *slog.Logger
	DB        *database.DB
	Redis     *redis.Client
	Bus       bus.Bus
	Meta      *metadata.Service
	Snapshots *metacache.Cache
	Identity  *identity.Service
	SSO       *sso.Service
	Tenants   *tenants.Service
	Access    *access.Service
	Records   *record.Service
	// Keys seals and opens encrypted field values.
	Keys *crypto.Keyring
	// Jobs is the durable job queue; Workflows runs tenants' automation
	// on it.
	Jobs      *jobs.Queue
	Workflows *workflow.Engine
	Router    *gin.Engine
}

// New opens the database (migrating it), connects Redis when configured and
// builds the services and routes.
func New(ctx context.Context, cfg Config, log *slog.Logger) (*App, error) {
	if cfg.DatabaseURL == "" {
		cfg.DatabaseURL = DefaultDatabaseURL
	}
	if cfg.BodyLimit <= 0 {
		cfg.BodyLimit = DefaultBodyLimit
	}
	// The master key is checked before anything else: a bad key is a
	// configuration error to fix, not something to discover on first use.
	master, err := crypto.LoadMasterKey(cfg.MasterKey, masterKeyFile(cfg), log)
	if err != nil {
		return nil, err
	}
	a := &App{Config: cfg, Log: log}
	db, err := database.Open(ctx, cfg.DatabaseURL, database.Options{MaxOpenConns: cfg.MaxOpenConns, LogSQL: cfg.LogSQL})
	if err != nil {
		return nil, err
	}
	a.DB = db
	if err := db.Migrate(ctx); err != nil {
		_ = db.Close()
		return nil, err
	}
	if cfg.RedisURL != "" {
		opts, err := redis.ParseURL(cfg.RedisURL)
		if err != nil {
			_ = db.Close()
			return nil, fmt.Errorf("parse REDIS_URL: %w", err)
		}
		a.Redis = redis.NewClient(opts)
		pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
		err = a.Redis.Ping(pingCtx).Err()
		cancel()
		if err != nil {
			a.Close()
			return nil, fmt.Errorf("connect to Redis: %w", err)
		}
		rb, err := bus.NewRedis(ctx, a.Redis)
		if err != nil {
			a.Close()
			return nil, fmt.Errorf("subscribe to Redis: %w", err)
		}
		a.Bus = rb
	} else {
		a.Bus = bus.NewLocal()
	}
	var rdb redis.UniversalClient
	if a.Redis != nil {
		rdb = a.Redis
	}
	load := func(ctx context.Context, tenantID string) (*metadata.Snapshot, error) {
		return metadata.LoadSnapshot(ctx, db.Conn(ctx), tenantID)
	}
	a.Snapshots = metacache.New(load, a.Bus, rdb, metacache.Options{})
	a.Meta = metadata.NewService(db, a.Snapshots.Publish)
	a.Meta.Expressions = record.CheckExpression
	a.Meta.Audit = func(ctx context.Context, tenantKey string, c metadata.Change) error {
		action, summary := "meta.object.update", "changed object "+c.Object
		switch {
		case c.Object == "":
			action, summary = "tenant.update", "changed the company settings"
		case c.Before == nil:
			action, summary = "meta.object.create", "created object "+c.Object
		case c.After == nil:
			action, summary = "meta.object.delete", "deleted object "+c.Object
		}
		return audit.Write(ctx, db, tenantKey, audit.Entry{Action: action, Object: "object", RecordID: c.Object, Summary: summary, Before: c.Before, After: c.After})
	}
	a.Identity = identity.NewService(db, a.Bus)
	a.Access = access.NewService(db, a.Bus)
	a.Tenants = tenants.NewService(db, a.Meta, a.Identity, a.Access)
	if err := a.Tenants.UpgradeNamespaces(ctx); err != nil {
		a.Close()
		return nil, err
	}
	a.Records = record.NewService(db)
	a.Meta.FillRollup = a.Records.FillRollup
	if a.Keys, err = crypto.New(db, master); err != nil {
		a.Close()
		return nil, err
	}
	a.Records.Sealer, a.Records.Mask = a.Keys, crypto.Mask
	jobOpts := jobs.Options{Logger: log.With("component", "jobs"), JobTimeout: cfg.JobTimeout, RescueStuckJobsAfter: cfg.JobRescueAfter}
	if cfg.JobWorkers > 0 {
		jobOpts.Queues = map[string]int{"default": cfg.JobWorkers}
	}
	if a.Jobs, err = jobs.New(ctx, db, jobOpts); err != nil {
		a.Close()
		return nil, err
	}
	var mailer workflow.Mailer
	if cfg.SMTPURL != "" {
		m, err := workflow.NewSMTPMailer(cfg.SMTPURL)
		if err != nil {
			a.Close()
			return nil, err
		}
		mailer = m
	}
	a.Workflows, err = workflow.New(db, workflow.Options{Records: a.Records, Queue: a.Jobs, Snapshots: a.Snapshots, Secrets: a.Keys,
		Mailer: mailer, AllowPrivateWebhooks: cfg.AllowPrivateWebhooks, Logger: log.With("component", "workflow")})
	if err != nil {
		a.Close()
		return nil, err
	}
	a.Records.Automation = a.Workflows
	a.Records.Locker = a.Workflows
	a.Records.Queue = a.Jobs
	if err := jobs.Register(a.Jobs, &record.RefreshWorker{Records: a.Records, Snapshots: a.Snapshots}); err != nil {
		a.Close()
		return nil, err
	}
	a.Meta.Sync = a.Workflows.SyncSchedules
	a.wireIdentity()
	a.Router = a.routes()
	return a, nil
}

// DefaultMasterKeyFile is where the master key is generated when neither a
// key nor a key file is configured and the database is not a SQLite file.
const DefaultMasterKeyFile = "data/master.key"

// masterKeyFile is the configured key file or, for the embedded default, a
// file beside the SQLite database: the key lives in the data directory and
// goes wherever the data goes.
func masterKeyFile(cfg Config) string {
	if cfg.MasterKeyFile != "" || cfg.MasterKey != "" {
		return cfg.MasterKeyFile
	}
	if !strings.HasPrefix(cfg.DatabaseURL, "postgres://") && !strings.HasPrefix(cfg.DatabaseURL, "postgresql://") {
		path := strings.TrimPrefix(strings.TrimPrefix(cfg.DatabaseURL, "sqlite://"), "file:")
		if i := strings.IndexByte(path, '?'); i >= 0 {
			path = path[:i]
		}
		return filepath.Join(filepath.Dir(path), "master.key")
	}
	return DefaultMasterKeyFile
}

// Close releases connections.
func (a *App) Close() {
	if a.Jobs != nil {
		a.Jobs.Close()
	}
	if a.Bus != nil {
		_ = a.Bus.Close()
	}
	if a.Redis != nil {
		_ = a.Redis.Close()
	}
	if a.DB != nil {
		_ = a.DB.Close()
	}
}

// Serve listens on cfg.Addr until ctx ends, then drains in-flight requests
// for up to 15 seconds.
func (a *App) Serve(ctx context.Context) error {
	srv := &http.Server{
		Addr:              a.Config.Addr,
		Handler:           a.Router,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	// The queue outlives the signal: cancelling its context would cancel
	// running jobs instead of draining them (Stop below).
	if err := a.Jobs.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("start job queue: %w", err)
	}
	a.Log.Info("tessera listening", "addr", a.Config.Addr, "database", a.DB.Dialect.Name(), "redis", a.Redis != nil)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	a.Log.Info("shutting down: draining requests")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	// No more requests, so no more enqueues: let running jobs finish.
	a.Log.Info("shutting down: draining jobs")
	stopCtx, stop := context.WithTimeout(context.Background(), 25*time.Second)
	defer stop()
	if err := a.Jobs.Stop(stopCtx); err != nil {
		return fmt.Errorf("stop job queue: %w", err)
	}
	return nil
}
