package database

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"

	"github.com/tessera-crm/tessera/internal/sqldialect"
)

//go:embed migrations
var migrations embed.FS

// Migrate applies the platform migrations that have not run yet. Tenant
// tables are not migrated here: the metadata engine owns them.
func (db *DB) Migrate(ctx context.Context) error {
	sqlDB, err := db.Gorm.DB()
	if err != nil {
		return err
	}
	dialect := goose.DialectSQLite3
	dir := "migrations/sqlite"
	if db.Dialect.Name() == sqldialect.Postgres {
		dialect = goose.DialectPostgres
		dir = "migrations/postgres"
		if _, err := sqlDB.ExecContext(ctx, "CREATE SCHEMA IF NOT EXISTS "+PlatformSchema); err != nil {
			return fmt.Errorf("create platform schema: %w", err)
		}
	}
	sub, err := fs.Sub(migrations, dir)
	if err != nil {
		return err
	}
	provider, err := goose.NewProvider(dialect, sqlDB, sub)
	if err != nil {
		return fmt.Errorf("load migrations: %w", err)
	}
	if _, err := provider.Up(ctx); err != nil {
		return fmt.Errorf("apply migrations: %w", err)
	}
	return nil
}
