// Command seed fills the benchmark tenant with accounts and opportunities
// through the records service (atomic bulk batches of 200, the path the bulk
// API takes), for bench/run.sh:
//
//	seed -database-url URL [-opportunities 100000] [-accounts 1000]
//
// The tenant must exist (tessera tenant create --key bench ...); the seed
// acts as its admin.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"time"

	"github.com/tessera-crm/tessera/bench"
	"github.com/tessera-crm/tessera/internal/app"
	"github.com/tessera-crm/tessera/internal/identity"
	"github.com/tessera-crm/tessera/internal/sqldialect"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "seed:", err)
		os.Exit(1)
	}
}

func run() error {
	dbURL := flag.String("database-url", os.Getenv("DATABASE_URL"), "database URL (postgres://... or a SQLite path)")
	tenantKey := flag.String("tenant", bench.TenantKey, "tenant key")
	email := flag.String("admin-email", bench.AdminEmail, "admin email")
	password := flag.String("admin-password", bench.AdminPassword, "admin password")
	accounts := flag.Int("accounts", 1000, "accounts to create")
	opportunities := flag.Int("opportunities", 100_000, "opportunities to create")
	workers := flag.Int("workers", 0, "concurrent batches (default: 4 on PostgreSQL, 1 on SQLite)")
	seed := flag.Uint64("seed", 2026, "random seed")
	flag.Parse()
	if *dbURL == "" {
		return fmt.Errorf("-database-url or DATABASE_URL is required")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	a, err := app.New(ctx, app.Config{DatabaseURL: *dbURL}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return err
	}
	defer a.Close()
	t, err := a.Tenants.ByKey(ctx, *tenantKey)
	if err != nil {
		return err
	}
	_, admin, err := a.Identity.LoginUser(ctx, t.ID, *email, *password, identity.ClientInfo{UserAgent: "bench seed"})
	if err != nil {
		return fmt.Errorf("log in as %s: %w", *email, err)
	}
	s, err := bench.Open(ctx, a, t, admin)
	if err != nil {
		return err
	}
	if *workers <= 0 {
		*workers = 1
		if a.DB.Dialect.Name() == sqldialect.Postgres {
			*workers = 4
		}
	}
	start := time.Now()
	if _, err := s.Seed(*accounts, *opportunities, *workers, *seed); err != nil {
		return err
	}
	took := time.Since(start)
	n := *accounts + *opportunities
	fmt.Printf("seeded %d accounts and %d opportunities in %s (%.0f records/s, %d workers)\n",
		*accounts, *opportunities, took.Round(time.Millisecond), float64(n)/took.Seconds(), *workers)
	return nil
}
