// Package database opens the platform database (PostgreSQL or SQLite) behind
// gorm, applies the platform migrations, and carries transactions in the
// context so that a service can join the transaction its caller opened.
package database

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/tessera-crm/tessera/internal/sqldialect"
)

// PlatformSchema holds the platform tables on PostgreSQL.
const PlatformSchema = "tessera"

// Options tune the connection pool.
type Options struct {
	MaxOpenConns int
	MaxIdleConns int
	// LogSQL logs every statement at debug level (noisy; for development).
	LogSQL bool
}

// DB is the platform database: gorm plus the dialect the engine needs to
// generate DDL and queries.
type DB struct {
	Gorm    *gorm.DB
	Dialect sqldialect.Dialect
	URL     string
}

// Open connects to url: postgres://... or postgresql://... for PostgreSQL,
// sqlite://path, file:path or a plain path for SQLite.
func Open(ctx context.Context, rawURL string, opts Options) (*DB, error) {
	cfg := &gorm.Config{
		PrepareStmt:            true,
		SkipDefaultTransaction: true,
		Logger:                 logger.Discard,
		NowFunc:                func() time.Time { return time.Now().UTC() },
	}
	if opts.LogSQL {
		cfg.Logger = logger.Default.LogMode(logger.Info)
	}
	var (
		g    *gorm.DB
		name sqldialect.Name
		err  error
	)
	switch {
	case strings.HasPrefix(rawURL, "postgres://"), strings.HasPrefix(rawURL, "postgresql://"):
		name = sqldialect.Postgres
		g, err = gorm.Open(postgres.Open(withSearchPath(rawURL)), cfg)
	default:
		name = sqldialect.SQLite
		var dsn string
		dsn, err = sqliteDSN(rawURL)
		if err == nil {
			g, err = gorm.Open(sqlite.Open(dsn), cfg)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	sqlDB, err := g.DB()
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	maxOpen := opts.MaxOpenConns
	if maxOpen <= 0 {
		maxOpen = 20
	}
	if name == sqldialect.SQLite {
		// One writer at a time is all SQLite allows; a small pool of readers
		// works beside it in WAL mode, and the busy timeout queues writers.
		maxOpen = min(maxOpen, 8)
	}
	sqlDB.SetMaxOpenConns(maxOpen)
	idle := opts.MaxIdleConns
	if idle <= 0 {
		idle = maxOpen
	}
	sqlDB.SetMaxIdleConns(idle)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pingCtx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	d, _ := sqldialect.For(name)
	return &DB{Gorm: g, Dialect: d, URL: rawURL}, nil
}

// Close closes the pool.
func (db *DB) Close() error {
	sqlDB, err := db.Gorm.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// Ping checks the database is reachable.
func (db *DB) Ping(ctx context.Context) error {
	sqlDB, err := db.Gorm.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// withSearchPath makes unqualified platform table names resolve to the
// platform schema, so platform code is the same on both dialects.
func withSearchPath(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return rawURL
	}
	q := u.Query()
	if q.Get("search_path") == "" {
		q.Set("search_path", PlatformSchema)
	}
	u.RawQuery = q.Encode()
	return u.String()
}

func sqliteDSN(rawURL string) (string, error) {
	path := strings.TrimPrefix(strings.TrimPrefix(rawURL, "sqlite://"), "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	if path == "" {
		return "", errors.New("sqlite database path is empty")
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return "", fmt.Errorf("create database directory: %w", err)
		}
	}
	pragmas := []string{
		"journal_mode(WAL)",
		"foreign_keys(1)",
		"busy_timeout(10000)",
		"synchronous(NORMAL)",
	}
	var b strings.Builder
	b.WriteString("file:")
	b.WriteString(path)
	for i, p := range pragmas {
		if i == 0 {
			b.WriteByte('?')
		} else {
			b.WriteByte('&')
		}
		b.WriteString("_pragma=")
		b.WriteString(url.QueryEscape(p))
	}
	// IMMEDIATE transactions take the write lock at BEGIN, so two writers
	// queue on the busy timeout instead of failing with SQLITE_BUSY when the
	// second one upgrades its read lock.
	b.WriteString("&_txlock=immediate")
	return b.String(), nil
}
