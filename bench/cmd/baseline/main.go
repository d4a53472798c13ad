// Command baseline is the "physical limit" the records API is measured
// against: a bare net/http server that runs the records API's get-by-id and
// filtered list on a tenant's real table with the database driver directly
// (pgx's pool on PostgreSQL; database/sql with the glebarez SQLite driver),
// and answers with the same JSON shape (column to value). It has no
// authentication, no metadata and no validation: whatever the records API
// costs beyond it is the price of being a platform.
//
//	baseline -database-url URL [-addr 127.0.0.1:8090] [-table t_bench.opportunity]
//
// Routes: GET /api/v1/records/{object}/{id} and GET /api/v1/records/{object}
// (always the list "stage = -stage and amount > -min-amount, largest amount
// first"; query parameters are ignored, so the load generator can send the
// records API's filter unchanged).
package main

import (
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	_ "github.com/glebarez/go-sqlite" // registers database/sql driver "sqlite"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
)

// store runs the two queries and returns rows as column to value maps.
type store interface {
	get(ctx context.Context, id string) (map[string]any, error)
	list(ctx context.Context) ([]map[string]any, error)
	version(ctx context.Context) string
	close()
}

var errNotFound = errors.New("not found")

type params struct {
	table     string // quoted
	stage     string
	minAmount string
	limit     int
	maxConns  int
}

func main() {
	dbURL := flag.String("database-url", os.Getenv("DATABASE_URL"), "postgres://... or a SQLite path")
	addr := flag.String("addr", "127.0.0.1:8090", "listen address")
	table := flag.String("table", "", "table, schema-qualified on PostgreSQL (default t_bench.opportunity, or t_bench__opportunity on SQLite)")
	var p params
	flag.StringVar(&p.stage, "stage", "proposal", "list: stage to match")
	flag.StringVar(&p.minAmount, "min-amount", "100000", "list: amounts above this")
	flag.IntVar(&p.limit, "limit", 50, "list: page size")
	flag.IntVar(&p.maxConns, "max-conns", 20, "database pool size (SQLite: at most 8, as Tessera)")
	flag.Parse()
	if *dbURL == "" {
		log.Fatal("baseline: -database-url or DATABASE_URL is required")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	postgres := strings.HasPrefix(*dbURL, "postgres://") || strings.HasPrefix(*dbURL, "postgresql://")
	if *table == "" {
		*table = "t_bench__opportunity"
		if postgres {
			*table = "t_bench.opportunity"
		}
	}
	p.table = quoteQualified(*table)
	var st store
	var err error
	if postgres {
		st, err = openPostgres(ctx, *dbURL, p)
	} else {
		st, err = openSQLite(ctx, *dbURL, p)
	}
	if err != nil {
		log.Fatalf("baseline: %v", err)
	}
	defer st.close()
	srv := &http.Server{Addr: *addr, Handler: routes(st), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	log.Printf("baseline on %s, table %s, %s", *addr, p.table, st.version(ctx))
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatalf("baseline: %v", err)
	}
}

func quoteQualified(name string) string {
	parts := strings.Split(name, ".")
	for i, p := range parts {
		parts[i] = `"` + strings.ReplaceAll(p, `"`, `""`) + `"`
	}
	return strings.Join(parts, ".")
}

func routes(st store) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/records/{object}/{id}", func(w http.ResponseWriter, r *http.Request) {
		rec, err := st.get(r.Context(), r.PathValue("id"))
		if errors.Is(err, errNotFound) {
			http.Error(w, `{"code":"not_found"}`, http.StatusNotFound)
			return
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		writeJSON(w, rec)
	})
	mux.HandleFunc("GET /api/v1/records/{object}", func(w http.ResponseWriter, r *http.Request) {
		recs, err := st.list(r.Context())
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		writeJSON(w, map[string]any{"data": recs, "next_cursor": nil})
	})
	return mux
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("write response: %v", err)
	}
}

// PostgreSQL through pgx's own pool.

type pgStore struct {
	pool          *pgxpool.Pool
	getSQL, lsSQL string
	p             params
}

func openPostgres(ctx context.Context, dbURL string, p params) (*pgStore, error) {
	cfg, err := pgxpool.ParseConfig(dbURL)
	if err != nil {
		return nil, err
	}
	cfg.MaxConns = int32(p.maxConns)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return &pgStore{pool: pool, p: p,
		getSQL: "SELECT * FROM " + p.table + " WHERE id = $1 AND deleted_at IS NULL",
		lsSQL:  "SELECT * FROM " + p.table + " WHERE deleted_at IS NULL AND stage = $1 AND amount > $2 ORDER BY amount DESC, id DESC LIMIT $3",
	}, nil
}

func (s *pgStore) close() { s.pool.Close() }

func (s *pgStore) version(ctx context.Context) string {
	var v string
	if err := s.pool.QueryRow(ctx, "SHOW server_version").Scan(&v); err != nil {
		return "PostgreSQL (version unknown: " + err.Error() + ")"
	}
	return "PostgreSQL " + v
}

func (s *pgStore) get(ctx context.Context, id string) (map[string]any, error) {
	rows, err := s.pool.Query(ctx, s.getSQL, id)
	if err != nil {
		return nil, err
	}
	recs, err := pgMaps(rows)
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, errNotFound
	}
	return recs[0], nil
}

func (s *pgStore) list(ctx context.Context) ([]map[string]any, error) {
	rows, err := s.pool.Query(ctx, s.lsSQL, s.p.stage, s.p.minAmount, s.p.limit)
	if err != nil {
		return nil, err
	}
	return pgMaps(rows)
}

// pgMaps reads rows into maps, with values in the records API's JSON
// forms: uuids and decimals as strings, dates as YYYY-MM-DD.
func pgMaps(rows pgx.Rows) ([]map[string]any, error) {
	defer rows.Close()
	fields := rows.FieldDescriptions()
	out := []map[string]any{}
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			return nil, err
		}
		m := make(map[string]any, len(vals))
		for i, v := range vals {
			m[fields[i].Name] = pgJSON(fields[i].DataTypeOID, v)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

func pgJSON(oid uint32, v any) any {
	switch x := v.(type) {
	case [16]byte:
		var b [36]byte
		hex.Encode(b[0:8], x[0:4])
		b[8] = '-'
		hex.Encode(b[9:13], x[4:6])
		b[13] = '-'
		hex.Encode(b[14:18], x[6:8])
		b[18] = '-'
		hex.Encode(b[19:23], x[8:10])
		b[23] = '-'
		hex.Encode(b[24:], x[10:])
		return string(b[:])
	case pgtype.Numeric:
		s, err := x.Value()
		if err != nil {
			return nil
		}
		return s
	case time.Time:
		if oid == pgtype.DateOID {
			return x.Format(time.DateOnly)
		}
		return x.UTC().Format(time.RFC3339Nano)
	}
	return v
}

// SQLite through database/sql and the glebarez driver, with the pragmas and
// pool bound Tessera uses.

type sqliteStore struct {
	db            *sql.DB
	getSQL, lsSQL string
	p             params
	minAmount     float64
}

func openSQLite(ctx context.Context, path string, p params) (*sqliteStore, error) {
	minAmount, err := strconv.ParseFloat(p.minAmount, 64)
	if err != nil {
		return nil, fmt.Errorf("-min-amount: %w", err)
	}
	path = strings.TrimPrefix(strings.TrimPrefix(path, "sqlite://"), "file:")
	q := url.Values{}
	for _, pragma := range []string{"journal_mode(WAL)", "foreign_keys(1)", "busy_timeout(10000)", "synchronous(NORMAL)"} {
		q.Add("_pragma", pragma)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(min(p.maxConns, 8))
	db.SetMaxIdleConns(min(p.maxConns, 8))
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, err
	}
	// Decimals are TEXT there; the table's index is on CAST(amount AS REAL).
	return &sqliteStore{db: db, p: p, minAmount: minAmount,
		getSQL: "SELECT * FROM " + p.table + " WHERE id = ? AND deleted_at IS NULL",
		lsSQL: "SELECT * FROM " + p.table + " WHERE deleted_at IS NULL AND stage = ? AND CAST(amount AS REAL) > ?" +
			" ORDER BY CAST(amount AS REAL) DESC, id DESC LIMIT ?",
	}, nil
}

func (s *sqliteStore) close() { _ = s.db.Close() }

func (s *sqliteStore) version(ctx context.Context) string {
	var v string
	if err := s.db.QueryRowContext(ctx, "SELECT sqlite_version()").Scan(&v); err != nil {
		return "SQLite (version unknown: " + err.Error() + ")"
	}
	return "SQLite " + v + " (glebarez/go-sqlite)"
}

func (s *sqliteStore) get(ctx context.Context, id string) (map[string]any, error) {
	rows, err := s.db.QueryContext(ctx, s.getSQL, id)
	if err != nil {
		return nil, err
	}
	recs, err := sqlMaps(rows)
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, errNotFound
	}
	return recs[0], nil
}

func (s *sqliteStore) list(ctx context.Context) ([]map[string]any, error) {
	rows, err := s.db.QueryContext(ctx, s.lsSQL, s.p.stage, s.minAmount, s.p.limit)
	if err != nil {
		return nil, err
	}
	return sqlMaps(rows)
}

func sqlMaps(rows *sql.Rows) ([]map[string]any, error) {
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
	out := []map[string]any{}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("scan: %w", err)
		}
		m := make(map[string]any, len(cols))
		for i, c := range cols {
			if b, ok := vals[i].([]byte); ok {
				m[c] = string(b)
			} else {
				m[c] = vals[i]
			}
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
