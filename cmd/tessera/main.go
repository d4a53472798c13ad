// Command tessera is the Tessera server and its administration commands:
//
//	tessera serve [--demo]         run the HTTP server
//	tessera migrate                apply platform migrations and exit
//	tessera tenant create ...      provision a tenant with its first admin
//	tessera operator create ...    create a platform operator
//
// Configuration comes from the environment (DATABASE_URL, REDIS_URL, ADDR,
// TESSERA_*), and flags override it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // tenant time zones work on hosts without a zoneinfo database

	"github.com/tessera-crm/tessera/internal/app"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "tessera:", err)
		os.Exit(1)
	}
}

const usage = `usage: tessera <command> [flags]

commands:
  serve              run the HTTP server (--demo seeds a demo tenant on an empty database)
  migrate            apply the platform database migrations
  tenant create      create a tenant: --key --name --admin-email [--admin-password] [--template sales|none]
  operator create    create a platform operator: --email [--password] [--name]

environment:
  DATABASE_URL       postgres://... or a SQLite path (default data/tessera.db)
  REDIS_URL          redis://... (optional: L2 metadata cache and cross-instance invalidation)
  ADDR               listen address (default :8080)
  TESSERA_BODY_LIMIT request body limit in bytes (default 1048576)
  TESSERA_DB_MAX_CONNS  database pool size (default 20)
  TESSERA_LOG_FORMAT text|json (default text)   TESSERA_LOG_LEVEL debug|info|warn|error
  TESSERA_MASTER_KEY 32 bytes, base64: wraps each tenant's data key for encrypted fields
                     (default: a key generated into TESSERA_MASTER_KEY_FILE, data/master.key)
  TESSERA_PUBLIC_URL https://crm.example.com: the address users reach (single sign-on redirects)
  TESSERA_TRUSTED_PROXIES comma-separated proxy addresses whose X-Forwarded-For is trusted
  TESSERA_SMTP_URL   smtp://user:password@host:587?from=crm@example.com: where workflow emails go
                     (default: emails are logged, not sent)
  TESSERA_WEBHOOK_ALLOW_PRIVATE true lets workflow webhooks call loopback and private addresses
  TESSERA_JOB_WORKERS jobs run at once per process (default 10)
  TESSERA_JOB_TIMEOUT a job's time limit (default 1m)
  TESSERA_JOB_RESCUE_AFTER how long a job may run before it is presumed lost (default 10m)
`

func run(args []string) error {
	if len(args) == 0 {
		fmt.Fprint(os.Stderr, usage)
		return errors.New("no command given")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:])
	case "migrate":
		return migrate(ctx, args[1:])
	case "tenant":
		if len(args) < 2 || args[1] != "create" {
			return errors.New("usage: tessera tenant create --key KEY --name NAME --admin-email EMAIL")
		}
		return tenantCreate(ctx, args[2:])
	case "operator":
		if len(args) < 2 || args[1] != "create" {
			return errors.New("usage: tessera operator create --email EMAIL")
		}
		return operatorCreate(ctx, args[2:])
	case "help", "-h", "--help":
		fmt.Print(usage)
		return nil
	}
	fmt.Fprint(os.Stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

// commonFlags registers the configuration every command shares.
func commonFlags(fs *flag.FlagSet) *app.Config {
	cfg := &app.Config{
		DatabaseURL:          envOr("DATABASE_URL", app.DefaultDatabaseURL),
		RedisURL:             os.Getenv("REDIS_URL"),
		Addr:                 envOr("ADDR", ":8080"),
		BodyLimit:            envInt("TESSERA_BODY_LIMIT", app.DefaultBodyLimit),
		MaxOpenConns:         int(envInt("TESSERA_DB_MAX_CONNS", 20)),
		MasterKey:            os.Getenv("TESSERA_MASTER_KEY"),
		MasterKeyFile:        envOr("TESSERA_MASTER_KEY_FILE", "data/master.key"),
		PublicURL:            os.Getenv("TESSERA_PUBLIC_URL"),
		SMTPURL:              os.Getenv("TESSERA_SMTP_URL"),
		AllowPrivateWebhooks: os.Getenv("TESSERA_WEBHOOK_ALLOW_PRIVATE") == "true",
		JobWorkers:           int(envInt("TESSERA_JOB_WORKERS", 0)),
		JobTimeout:           envDuration("TESSERA_JOB_TIMEOUT"),
		JobRescueAfter:       envDuration("TESSERA_JOB_RESCUE_AFTER"),
	}
	if v := os.Getenv("TESSERA_TRUSTED_PROXIES"); v != "" {
		cfg.TrustedProxies = strings.Split(v, ",")
	}
	fs.StringVar(&cfg.DatabaseURL, "database-url", cfg.DatabaseURL, "database URL (postgres://... or a SQLite path)")
	fs.StringVar(&cfg.RedisURL, "redis-url", cfg.RedisURL, "Redis URL (optional)")
	return cfg
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func envDuration(key string) time.Duration {
	d, _ := time.ParseDuration(os.Getenv(key))
	return d
}

func envInt(key string, def int64) int64 {
	if v := os.Getenv(key); v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return n
		}
	}
	return def
}

func newLogger() *slog.Logger {
	level := slog.LevelInfo
	_ = level.UnmarshalText([]byte(envOr("TESSERA_LOG_LEVEL", "info")))
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler = slog.NewTextHandler(os.Stderr, opts)
	if os.Getenv("TESSERA_LOG_FORMAT") == "json" {
		h = slog.NewJSONHandler(os.Stderr, opts)
	}
	return slog.New(h)
}

func open(ctx context.Context, cfg *app.Config) (*app.App, error) {
	log := newLogger()
	slog.SetDefault(log)
	return app.New(ctx, *cfg, log)
}

func serve(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	cfg := commonFlags(fs)
	fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "listen address")
	demoFlag := fs.Bool("demo", false, "on an empty database, create the demo tenant with sample data")
	if err := fs.Parse(args); err != nil {
		return err
	}
	a, err := open(ctx, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	if *demoFlag {
		if err := a.SeedDemoAndReport(ctx); err != nil {
			return fmt.Errorf("seed demo: %w", err)
		}
	}
	return a.Serve(ctx)
}

func migrate(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	cfg := commonFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	a, err := open(ctx, cfg)
	if err != nil {
		return err
	}
	a.Close()
	fmt.Println("migrations applied")
	return nil
}
