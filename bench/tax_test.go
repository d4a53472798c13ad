package bench

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"github.com/tessera-crm/tessera/engine/record"
	"github.com/tessera-crm/tessera/internal/sqldialect"
	"github.com/tessera-crm/tessera/internal/testutil"
	"github.com/tessera-crm/tessera/metadata"
)

// taxSeed is how many opportunities the tax benchmark's table holds.
const taxSeed = 10_000

// BenchmarkTax measures the "metadata tax": the engine's create, get and
// list of opportunities against the same statements written by hand with
// a gorm struct, on the same table of the same database. Both paths run on
// the app's own *gorm.DB (prepared statements, no default transaction), so
// the difference is what the engine adds: interpreting the snapshot,
// validating, building SQL, turning rows into API values.
//
// sql/get and sql/list are the reference without gorm or metadata: the same
// statements through database/sql on the app's own pool, rows scanned into
// column-to-value maps (what bench/cmd/baseline serves).
//
// gorm/create is the bare insert (autocommit); gorm/create_tx the same in
// an explicit transaction; gorm/create_samework also does what the engine's
// create does beyond the insert (the account lookup check, the
// stage-history row). Together they split the create tax into work the
// engine chooses to do and the cost of doing it generically.
func BenchmarkTax(b *testing.B) {
	for _, dialect := range testutil.Dialects(b) {
		b.Run(dialect, func(b *testing.B) {
			e := newTaxEnv(b, dialect)
			b.Run("engine", func(b *testing.B) {
				b.Run("get", e.engineGet)
				b.Run("list", e.engineList)
				b.Run("create", e.engineCreate)
				e.removeCreated(b)
			})
			b.Run("gorm", func(b *testing.B) {
				e.gorm(b, e)
			})
			b.Run("sql", func(b *testing.B) {
				b.Run("get", e.sqlGet)
				b.Run("list", e.sqlList)
			})
		})
	}
}

type taxEnv struct {
	*Session
	dialect  sqldialect.Name
	seeded   *Seeded
	table    string                        // quoted opportunity table
	history  string                        // quoted stage history table
	gorm     func(b *testing.B, e *taxEnv) // the hand-written side, for the dialect's struct
	minimum  decimal.Decimal
	closeDay time.Time
}

func newTaxEnv(b *testing.B, dialect string) *taxEnv {
	b.Helper()
	s, seeded := newSeeded(b, dialect)
	a := s.App
	ddl := metadata.DDL{D: a.DB.Dialect, Key: TenantKey}
	e := &taxEnv{Session: s, dialect: a.DB.Dialect.Name(), seeded: seeded, table: ddl.Table("opportunity"),
		history: ddl.Table(metadata.TableStageHistory), minimum: decimal.NewFromInt(100000),
		closeDay: time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)}
	if e.dialect == sqldialect.Postgres {
		e.gorm = benchGorm(newPGOpportunity, `"amount" DESC, "id" DESC`, `stage = ? AND amount > ?`)
	} else {
		// Decimals are TEXT on SQLite: the table's expression index is on
		// CAST(amount AS REAL), and a query must say the same to use it.
		e.gorm = benchGorm(newSQLiteOpportunity, `CAST("amount" AS REAL) DESC, "id" DESC`, `stage = ? AND CAST(amount AS REAL) > ?`)
	}
	e.warmUp(b)
	return e
}

// warmUp reads the whole table once and runs the reads a while, so that the
// first benchmark does not pay for cold caches and connections.
func (e *taxEnv) warmUp(b *testing.B) {
	b.Helper()
	var n int64
	if err := e.App.DB.Gorm.Raw(fmt.Sprintf("SELECT COUNT(*) FROM %s WHERE name IS NOT NULL AND amount IS NOT NULL", e.table)).Scan(&n).Error; err != nil {
		b.Fatalf("warm up: %v", err)
	}
	for i := range 1000 {
		if _, err := e.App.Records.Get(e.Ctx, e.Snap, "opportunity", e.id(i), record.GetOptions{}); err != nil {
			b.Fatalf("warm up: %v", err)
		}
	}
	for range 20 {
		if _, err := e.App.Records.List(e.Ctx, e.Snap, "opportunity", record.ListQuery{Filter: ListFilter, Sort: ListSort, Limit: ListLimit}); err != nil {
			b.Fatalf("warm up: %v", err)
		}
	}
}

// newSeeded provisions the bench tenant on a fresh database and seeds
// taxSeed opportunities over 200 accounts.
func newSeeded(b *testing.B, dialect string) (*Session, *Seeded) {
	b.Helper()
	a := newApp(b, dialect)
	s, err := Provision(context.Background(), a)
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	seeded, err := s.Seed(200, taxSeed, seedWorkers(a.DB.Dialect.Name()), 2026)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("%s: seeded %d opportunities in %s", dialect, taxSeed, time.Since(start).Round(time.Millisecond))
	settle(b, s)
	return s, seeded
}

// settle finishes the background work bulk writes leave behind (statistics,
// dirty pages, SQLite's write-ahead log), so that it does not land on
// whichever benchmark runs next.
func settle(b *testing.B, s *Session) {
	b.Helper()
	stmts := []string{"PRAGMA wal_checkpoint(TRUNCATE)"}
	if s.App.DB.Dialect.Name() == sqldialect.Postgres {
		stmts = []string{"VACUUM ANALYZE", "CHECKPOINT"}
	}
	for _, stmt := range stmts {
		if err := s.App.DB.Gorm.Exec(stmt).Error; err != nil {
			b.Fatalf("%s: %v", stmt, err)
		}
	}
}

// seedWorkers: PostgreSQL takes concurrent writers, SQLite one at a time.
func seedWorkers(d sqldialect.Name) int {
	if d == sqldialect.Postgres {
		return 4
	}
	return 1
}

// removeCreated deletes the rows the create benchmarks added, so that every
// read benchmark sees the same 10,000-row table.
func (e *taxEnv) removeCreated(b *testing.B) {
	b.Helper()
	db := e.App.DB.Gorm
	sub := fmt.Sprintf("SELECT id FROM %s WHERE name LIKE 'Tax %%'", e.table)
	if err := db.Exec(fmt.Sprintf("DELETE FROM %s WHERE record_id IN (%s)", e.history, sub)).Error; err != nil {
		b.Fatalf("remove created history: %v", err)
	}
	if err := db.Exec(fmt.Sprintf("DELETE FROM %s WHERE name LIKE 'Tax %%'", e.table)).Error; err != nil {
		b.Fatalf("remove created opportunities: %v", err)
	}
	settle(b, e.Session)
}

func (e *taxEnv) id(i int) string {
	return e.seeded.Opportunities[(i*7919)%len(e.seeded.Opportunities)]
}

func (e *taxEnv) account(i int) string { return e.seeded.Accounts[i%len(e.seeded.Accounts)] }

func (e *taxEnv) engineGet(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		rec, err := e.App.Records.Get(e.Ctx, e.Snap, "opportunity", e.id(i), record.GetOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if rec["id"] != e.id(i) {
			b.Fatalf("got %v, want %s", rec["id"], e.id(i))
		}
	}
}

func (e *taxEnv) engineList(b *testing.B) {
	b.ReportAllocs()
	q := record.ListQuery{Filter: ListFilter, Sort: ListSort, Limit: ListLimit}
	for b.Loop() {
		page, err := e.App.Records.List(e.Ctx, e.Snap, "opportunity", q)
		if err != nil {
			b.Fatal(err)
		}
		if len(page.Data) != ListLimit {
			b.Fatalf("listed %d, want %d", len(page.Data), ListLimit)
		}
	}
}

func (e *taxEnv) engineCreate(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_, err := e.App.Records.Create(e.Ctx, e.Snap, "opportunity", map[string]any{
			"name": fmt.Sprintf("Tax engine create %d", i), "account_id": e.account(i), "amount": "250000.00",
			"currency": "CNY", "close_date": "2026-06-30", "stage": "proposal", "type": "new_business",
			"source": "website", "next_step": "Call back",
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

func (e *taxEnv) sqlGet(b *testing.B) {
	b.ReportAllocs()
	db, err := e.App.DB.Gorm.DB()
	if err != nil {
		b.Fatal(err)
	}
	q := fmt.Sprintf("SELECT * FROM %s WHERE id = %s AND deleted_at IS NULL", e.table, e.placeholder(1))
	for i := 0; b.Loop(); i++ {
		recs, err := queryMaps(db, q, e.id(i))
		if err != nil {
			b.Fatal(err)
		}
		if len(recs) != 1 {
			b.Fatalf("got %d records", len(recs))
		}
	}
}

func (e *taxEnv) sqlList(b *testing.B) {
	b.ReportAllocs()
	db, err := e.App.DB.Gorm.DB()
	if err != nil {
		b.Fatal(err)
	}
	q := fmt.Sprintf(`SELECT * FROM %s WHERE deleted_at IS NULL AND stage = $1 AND amount > $2 ORDER BY amount DESC, id DESC LIMIT %d`, e.table, ListLimit)
	var minimum any = e.minimum.String()
	if e.dialect == sqldialect.SQLite {
		q = fmt.Sprintf(`SELECT * FROM %s WHERE deleted_at IS NULL AND stage = ? AND CAST(amount AS REAL) > ? ORDER BY CAST(amount AS REAL) DESC, id DESC LIMIT %d`, e.table, ListLimit)
		minimum = e.minimum.InexactFloat64()
	}
	for b.Loop() {
		recs, err := queryMaps(db, q, "proposal", minimum)
		if err != nil {
			b.Fatal(err)
		}
		if len(recs) != ListLimit {
			b.Fatalf("listed %d, want %d", len(recs), ListLimit)
		}
	}
}

func (e *taxEnv) placeholder(n int) string {
	if e.dialect == sqldialect.Postgres {
		return fmt.Sprintf("$%d", n)
	}
	return "?"
}

// queryMaps reads rows into column-to-value maps, as the baseline server does.
func queryMaps(db *sql.DB, q string, args ...any) ([]map[string]any, error) {
	rows, err := db.Query(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var out []map[string]any
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		m := make(map[string]any, len(cols))
		for i, c := range cols {
			m[c] = vals[i]
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// benchGorm returns the hand-written benchmarks for one struct type: the
// same get by id, filtered and sorted list, and insert as the engine's,
// through gorm's ordinary API.
func benchGorm[T any, H any](newRow func(e *taxEnv, i int, name string) (*T, *H), order, where string) func(b *testing.B, e *taxEnv) {
	return func(b *testing.B, e *taxEnv) {
		db := e.App.DB.Gorm
		b.Run("get", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				var o T
				if err := db.Where("id = ? AND deleted_at IS NULL", e.id(i)).Take(&o).Error; err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("list", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				var out []T
				err := db.Where("deleted_at IS NULL").Where(where, "proposal", e.minimum).Order(order).Limit(ListLimit).Find(&out).Error
				if err != nil {
					b.Fatal(err)
				}
				if len(out) != ListLimit {
					b.Fatalf("listed %d, want %d", len(out), ListLimit)
				}
			}
		})
		b.Run("create", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				o, _ := newRow(e, i, "Tax gorm create")
				if err := db.Create(o).Error; err != nil {
					b.Fatal(err)
				}
			}
		})
		e.removeCreated(b)
		b.Run("create_tx", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				o, _ := newRow(e, i, "Tax gorm tx")
				if err := db.Transaction(func(tx *gorm.DB) error { return tx.Create(o).Error }); err != nil {
					b.Fatal(err)
				}
			}
		})
		e.removeCreated(b)
		b.Run("create_samework", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				o, h := newRow(e, i, "Tax gorm samework")
				err := db.Transaction(func(tx *gorm.DB) error {
					var n int64
					if err := tx.Table(e.accountTable()).Where("id = ? AND deleted_at IS NULL", e.account(i)).Count(&n).Error; err != nil {
						return err
					}
					if n == 0 {
						return fmt.Errorf("account %s is gone", e.account(i))
					}
					if err := tx.Create(o).Error; err != nil {
						return err
					}
					return tx.Create(h).Error
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
		e.removeCreated(b)
	}
}

func (e *taxEnv) accountTable() string {
	if e.dialect == sqldialect.Postgres {
		return "t_bench.account"
	}
	return "t_bench__account"
}

// OpportunityColumns are the columns both dialects store the same way.
type OpportunityColumns struct {
	ID          string `gorm:"primaryKey"`
	OwnerID     *string
	CreatedBy   *string
	UpdatedBy   *string
	Version     int64
	Name        string
	AccountID   string
	Currency    *string
	Stage       string
	NextStep    *string
	Type        *string
	Source      *string
	ContactID   *string
	Description *string
}

// PGOpportunity is the opportunity table as one would map it by hand on
// PostgreSQL.
type PGOpportunity struct {
	OpportunityColumns
	CreatedAt   time.Time
	UpdatedAt   time.Time
	DeletedAt   *time.Time
	Amount      decimal.NullDecimal
	CloseDate   time.Time
	Probability decimal.NullDecimal
}

func (PGOpportunity) TableName() string { return "t_bench.opportunity" }

// SQLiteOpportunity is the same table on SQLite, where the engine stores
// instants, dates and decimals as text.
type SQLiteOpportunity struct {
	OpportunityColumns
	CreatedAt   string
	UpdatedAt   string
	DeletedAt   *string
	Amount      *string
	CloseDate   string
	Probability *string
}

func (SQLiteOpportunity) TableName() string { return "t_bench__opportunity" }

// StageHistoryColumns are the stage history columns both dialects store
// the same way.
type StageHistoryColumns struct {
	ID        string `gorm:"primaryKey"`
	Object    string
	RecordID  string
	Field     string
	Stage     *string
	FromStage *string
	EnteredBy *string
}

// PGStageHistory is the tenant's stage history table on PostgreSQL.
type PGStageHistory struct {
	StageHistoryColumns
	EnteredAt time.Time
}

func (PGStageHistory) TableName() string { return "t_bench._stage_history" }

// SQLiteStageHistory is the stage history table on SQLite.
type SQLiteStageHistory struct {
	StageHistoryColumns
	EnteredAt string
}

func (SQLiteStageHistory) TableName() string { return "t_bench___stage_history" }

func ptr[T any](v T) *T { return &v }

// newColumns fills what the engine's create writes, the values it derives
// (probability from the stage, the system columns) included.
func (e *taxEnv) newColumns(i int, name string) (OpportunityColumns, StageHistoryColumns) {
	id := uuid.Must(uuid.NewV7()).String()
	admin := e.Admin.ID
	o := OpportunityColumns{ID: id, OwnerID: &admin, CreatedBy: &admin, UpdatedBy: &admin, Version: 1,
		Name: fmt.Sprintf("%s %d", name, i), AccountID: e.account(i), Currency: ptr("CNY"), Stage: "proposal",
		NextStep: ptr("Call back"), Type: ptr("new_business"), Source: ptr("website")}
	h := StageHistoryColumns{ID: uuid.Must(uuid.NewV7()).String(), Object: "opportunity", RecordID: id, Field: "stage",
		Stage: ptr("proposal"), EnteredBy: &admin}
	return o, h
}

func newPGOpportunity(e *taxEnv, i int, name string) (*PGOpportunity, *PGStageHistory) {
	cols, hist := e.newColumns(i, name)
	now := time.Now().UTC().Truncate(time.Microsecond)
	return &PGOpportunity{OpportunityColumns: cols, CreatedAt: now, UpdatedAt: now,
			Amount:    decimal.NewNullDecimal(decimal.New(25000000, -2)),
			CloseDate: e.closeDay, Probability: decimal.NewNullDecimal(decimal.New(500000, -4))},
		&PGStageHistory{StageHistoryColumns: hist, EnteredAt: now}
}

func newSQLiteOpportunity(e *taxEnv, i int, name string) (*SQLiteOpportunity, *SQLiteStageHistory) {
	cols, hist := e.newColumns(i, name)
	now := time.Now().UTC().Format(metadata.SQLiteTimeLayout)
	return &SQLiteOpportunity{OpportunityColumns: cols, CreatedAt: now, UpdatedAt: now, Amount: ptr("250000.00"),
			CloseDate: "2026-06-30", Probability: ptr("50.0000")},
		&SQLiteStageHistory{StageHistoryColumns: hist, EnteredAt: now}
}
