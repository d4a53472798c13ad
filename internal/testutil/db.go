// Package testutil starts the real parts tests run against: fresh SQLite
// files, fresh PostgreSQL databases, Redis, and the HTTP server.
package testutil

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver for creating test databases
	"github.com/redis/go-redis/v9"

	"github.com/tessera-crm/tessera/internal/database"
	"github.com/tessera-crm/tessera/metadata"
)

// Dialects names the databases the suite runs on.
func Dialects(t testing.TB) []string {
	out := []string{"sqlite"}
	if PostgresURL(t) != "" {
		out = append(out, "postgres")
	}
	return out
}

// PostgresURL returns TEST_DATABASE_URL when PostgreSQL answers there, or ""
// when PostgreSQL tests cannot run on this machine. Under CI a missing or
// unreachable database fails the test instead of silently skipping half
// the suite.
func PostgresURL(t testing.TB) string {
	u := os.Getenv("TEST_DATABASE_URL")
	if u == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("CI is set but TEST_DATABASE_URL is not: the PostgreSQL half of the suite cannot run")
		}
		return ""
	}
	if err := pingPostgres(u); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI is set but PostgreSQL at TEST_DATABASE_URL is unreachable: %v", err)
		}
		t.Logf("PostgreSQL unreachable (%v): running SQLite only", err)
		return ""
	}
	return u
}

var (
	pgPingOnce sync.Once
	pgPingErr  error
)

func pingPostgres(u string) error {
	pgPingOnce.Do(func() {
		db, err := sql.Open("pgx", u)
		if err != nil {
			pgPingErr = err
			return
		}
		defer db.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		pgPingErr = db.PingContext(ctx)
	})
	return pgPingErr
}

// RedisURL returns TEST_REDIS_URL when Redis answers there. Tests that need
// Redis skip without it, and fail under CI.
func RedisURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("TEST_REDIS_URL")
	fail := func(format string, args ...any) string {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI is set: "+format, args...)
		}
		t.Skipf(format, args...)
		return ""
	}
	if u == "" {
		return fail("TEST_REDIS_URL is not set")
	}
	opts, err := redis.ParseURL(u)
	if err != nil {
		return fail("TEST_REDIS_URL: %v", err)
	}
	c := redis.NewClient(opts)
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		return fail("Redis at TEST_REDIS_URL is unreachable: %v", err)
	}
	return u
}

// ForEachDB runs fn as a subtest on a fresh database of every dialect.
func ForEachDB(t *testing.T, fn func(t *testing.T, db *database.DB)) {
	for _, d := range Dialects(t) {
		t.Run(d, func(t *testing.T) {
			fn(t, OpenDB(t, d))
		})
	}
}

// OpenDB returns a fresh, migrated database of the dialect, removed when the
// test ends.
func OpenDB(t testing.TB, dialect string) *database.DB {
	t.Helper()
	u := NewDatabaseURL(t, dialect)
	db, err := database.Open(context.Background(), u, database.Options{MaxOpenConns: 10})
	if err != nil {
		t.Fatalf("open %s: %v", dialect, err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate %s: %v", dialect, err)
	}
	return db
}

// NewDatabaseURL creates an empty database of the dialect and returns its URL.
func NewDatabaseURL(t testing.TB, dialect string) string {
	t.Helper()
	if dialect == "sqlite" {
		return filepath.Join(t.TempDir(), "tessera.db")
	}
	base := PostgresURL(t)
	if base == "" {
		t.Fatal("PostgreSQL requested but TEST_DATABASE_URL is not set")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := admin.PingContext(ctx); err != nil {
		t.Fatalf("PostgreSQL at TEST_DATABASE_URL is unreachable: %v", err)
	}
	name := "tessera_test_" + RandomSuffix()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer a.Close()
		_, _ = a.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse TEST_DATABASE_URL: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

// RandomSuffix returns 8 random lower-case hex characters.
func RandomSuffix() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// NewTenantRow inserts a bare tenant (no objects) and creates its namespace,
// for tests below the tenants package. It returns the tenant id.
func NewTenantRow(t testing.TB, db *database.DB, key string) string {
	t.Helper()
	id := uuid.Must(uuid.NewV7()).String()
	now := time.Now().UTC()
	ctx := context.Background()
	err := db.InTx(ctx, func(ctx context.Context) error {
		if err := db.Conn(ctx).Exec(`INSERT INTO tenants (id, key, name, locale, time_zone, currency, created_at, updated_at) VALUES (?, ?, ?, 'en', 'Asia/Shanghai', 'CNY', ?, ?)`,
			id, key, strings.ToUpper(key), now, now).Error; err != nil {
			return err
		}
		for _, stmt := range (metadata.DDL{D: db.Dialect, Key: key}).Namespace() {
			if err := db.Conn(ctx).Exec(stmt).Error; err != nil {
				return fmt.Errorf("%s: %w", stmt, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("create tenant %s: %v", key, err)
	}
	return id
}
