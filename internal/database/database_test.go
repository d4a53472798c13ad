package database_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/tessera-crm/tessera/internal/database"
	"github.com/tessera-crm/tessera/internal/sqldialect"
	"github.com/tessera-crm/tessera/internal/testutil"
)

func TestOpen_SQLiteSettings(t *testing.T) {
	db := testutil.OpenDB(t, "sqlite")
	var mode string
	var fk, timeout int
	db.Gorm.Raw("PRAGMA journal_mode").Scan(&mode)
	db.Gorm.Raw("PRAGMA foreign_keys").Scan(&fk)
	db.Gorm.Raw("PRAGMA busy_timeout").Scan(&timeout)
	if mode != "wal" || fk != 1 || timeout < 1000 {
		t.Fatalf("journal_mode=%s foreign_keys=%d busy_timeout=%d", mode, fk, timeout)
	}
}

func TestMigrate_IsIdempotentOnBothDialects(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, db *database.DB) {
		if err := db.Migrate(context.Background()); err != nil {
			t.Fatalf("second migrate: %v", err)
		}
		var n int64
		if err := db.Gorm.Raw("SELECT COUNT(*) FROM tenants").Scan(&n).Error; err != nil {
			t.Fatalf("platform tables missing: %v", err)
		}
		if db.Dialect.Name() == sqldialect.Postgres {
			var schema string
			db.Gorm.Raw("SELECT table_schema FROM information_schema.tables WHERE table_name = 'tenants'").Scan(&schema)
			if schema != database.PlatformSchema {
				t.Fatalf("platform tables in schema %q", schema)
			}
		}
	})
}

// Inner InTx calls join the outer transaction: a failure anywhere rolls
// back everything.
func TestInTx_JoinsTheOuterTransaction(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		boom := errors.New("boom")
		err := db.InTx(ctx, func(ctx context.Context) error {
			if err := db.InTx(ctx, func(ctx context.Context) error {
				return db.Conn(ctx).Exec(`INSERT INTO operators (id, email, name, password_hash, created_at) VALUES ('0190a0b0-0000-7000-8000-000000000001', 'a@b.co', '', 'x', CURRENT_TIMESTAMP)`).Error
			}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("err = %v", err)
		}
		var n int64
		db.Gorm.Raw("SELECT COUNT(*) FROM operators").Scan(&n)
		if n != 0 {
			t.Fatal("the inner write survived the outer rollback")
		}
	})
}

// Concurrent writers on SQLite queue on the busy timeout instead of failing
// with "database is locked".
func TestSQLite_ConcurrentWritersDoNotFail(t *testing.T) {
	db := testutil.OpenDB(t, "sqlite")
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 200)
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 25; i++ {
				err := db.InTx(ctx, func(ctx context.Context) error {
					var n int64
					if err := db.Conn(ctx).Raw("SELECT COUNT(*) FROM operators").Scan(&n).Error; err != nil {
						return err
					}
					return db.Conn(ctx).Exec(`INSERT INTO operators (id, email, name, password_hash, created_at) VALUES (?, ?, '', 'x', CURRENT_TIMESTAMP)`,
						testutil.RandomSuffix()+testutil.RandomSuffix(), testutil.RandomSuffix()+"@x.co").Error
				})
				if err != nil {
					errs <- err
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("concurrent write failed: %v", err)
	}
}
