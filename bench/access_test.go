package bench

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/tessera-crm/tessera/engine/record"
	"github.com/tessera-crm/tessera/internal/access"
	"github.com/tessera-crm/tessera/internal/app"
	"github.com/tessera-crm/tessera/internal/identity"
	"github.com/tessera-crm/tessera/internal/testutil"
	"github.com/tessera-crm/tessera/metadata"
)

// accessAccounts is how many accounts the record-access benchmarks' table
// holds, owned by the representatives of SeedOrg's organisation.
const accessAccounts = 100_000

// The callers the record-access benchmarks act as: the tenant admin (no
// predicate), and members at each level of the role tree. With 968
// representatives owning about 103 accounts each, the rep sees ~103, the
// team lead ~4,000 (their team of 38-39), the director ~20,000 (five
// teams) and the VP every account (a predicate listing 999 owners).
var accessMembers = []string{"rep", "lead", "director", "vp"}

// accessEnv is one database with the benchmark tenant, the organisation
// and the accounts. It is built once per dialect and process and shared by
// BenchmarkAccessCheck, BenchmarkAccessGet and BenchmarkAccessList (seeding
// takes longer than any of them); TestMain removes it.
type accessEnv struct {
	*Session
	org     *Org
	ddl     metadata.DDL
	members map[string]*identity.Principal
	ctxs    map[string]context.Context // "admin" and accessMembers, with their grants
	repIDs  []string                   // the rep's accounts: every caller can read them
}

var (
	accessMu       sync.Mutex
	accessEnvs     = map[string]*accessEnv{}
	accessCleanups []func()
)

// TestMain runs the package and then removes the databases the
// record-access benchmarks kept for the whole process.
func TestMain(m *testing.M) {
	code := m.Run()
	for i := len(accessCleanups) - 1; i >= 0; i-- {
		accessCleanups[i]()
	}
	os.Exit(code)
}

// accessFixture returns the dialect's seeded environment, building it on
// first use.
func accessFixture(b *testing.B, dialect string) *accessEnv {
	b.Helper()
	accessMu.Lock()
	defer accessMu.Unlock()
	if e := accessEnvs[dialect]; e != nil {
		return e
	}
	ctx := context.Background()
	a, err := app.New(ctx, app.Config{DatabaseURL: processDatabaseURL(b, dialect)}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		b.Fatalf("start %s: %v", dialect, err)
	}
	accessCleanups = append(accessCleanups, a.Close)
	s, err := Provision(ctx, a)
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	org, err := s.SeedOrg(ctx)
	if err != nil {
		b.Fatal(err)
	}
	orgTime := time.Since(start)
	var owners []string
	for _, p := range org.AllReps() {
		owners = append(owners, p.UserID)
	}
	start = time.Now()
	if err := s.SeedOwnedAccounts(ctx, accessAccounts, owners); err != nil {
		b.Fatal(err)
	}
	b.Logf("%s: organisation (%d users, %d reps) in %s, %d accounts in %s", dialect, OrgUsers, len(owners),
		orgTime.Round(time.Millisecond), accessAccounts, time.Since(start).Round(time.Millisecond))
	settle(b, s)

	e := &accessEnv{Session: s, org: org, ddl: metadata.DDL{D: a.DB.Dialect, Key: TenantKey},
		members: map[string]*identity.Principal{"rep": org.Reps[0][0], "lead": org.Leads[0], "director": org.Directors[0], "vp": org.VP},
		ctxs:    map[string]context.Context{"admin": s.Ctx}}
	for who, p := range e.members {
		if e.ctxs[who], err = a.ActAs(ctx, p); err != nil {
			b.Fatal(err)
		}
	}
	if err := a.DB.Gorm.Raw("SELECT id FROM "+e.ddl.Table("account")+" WHERE owner_id = ? ORDER BY id", e.members["rep"].UserID).
		Scan(&e.repIDs).Error; err != nil || len(e.repIDs) == 0 {
		b.Fatalf("the rep's accounts: %v (%d)", err, len(e.repIDs))
	}
	// Warm the caches (table pages, grants, views, statements) and log
	// what each caller sees.
	for _, who := range append([]string{"admin"}, accessMembers...) {
		page, err := a.Records.List(e.ctxs[who], s.Snap, "account", record.ListQuery{Limit: 1, Count: true})
		if err != nil {
			b.Fatalf("count as %s: %v", who, err)
		}
		b.Logf("%s: %s sees %d accounts", dialect, who, *page.Total)
	}
	accessEnvs[dialect] = e
	return e
}

// processDatabaseURL creates an empty database that lives until TestMain
// removes it (testutil.NewDatabaseURL's would go with the first benchmark),
// or is kept for EXPLAIN and the like when BENCH_KEEP_DB is set.
func processDatabaseURL(b *testing.B, dialect string) string {
	b.Helper()
	if dialect == "sqlite" {
		dir, err := os.MkdirTemp("", "tessera-bench-access-")
		if err != nil {
			b.Fatal(err)
		}
		if os.Getenv("BENCH_KEEP_DB") != "" {
			b.Logf("BENCH_KEEP_DB is set: %s is kept", dir)
		} else {
			accessCleanups = append(accessCleanups, func() { _ = os.RemoveAll(dir) })
		}
		return filepath.Join(dir, "tessera.db")
	}
	base := testutil.PostgresURL(b)
	if base == "" {
		b.Fatal("PostgreSQL requested but TEST_DATABASE_URL is not set")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		b.Fatal(err)
	}
	defer admin.Close()
	name := "tessera_bench_access_" + testutil.RandomSuffix()
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		b.Fatalf("create database: %v", err)
	}
	if os.Getenv("BENCH_KEEP_DB") != "" {
		b.Logf("BENCH_KEEP_DB is set: database %s is kept", name)
	} else {
		accessCleanups = append(accessCleanups, dropDatabase(base, name))
	}
	u, err := url.Parse(base)
	if err != nil {
		b.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

func dropDatabase(base, name string) func() {
	return func() {
		if a, err := sql.Open("pgx", base); err == nil {
			_, _ = a.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
			_ = a.Close()
		}
	}
}

// BenchmarkAccessCheck measures the Go-side access work of one member
// request on a warm cache, what the access middleware and the records
// service do before any SQL runs: access.Service.Grant (the cached grant
// of the principal), putting it in and reading it from the context,
// Grant.Require(account, read), Grant.View(snapshot) (the permission set
// hides account.phone, so this is the projected snapshot, cached per set)
// and access.Predicate for account (private, hierarchy access). Target,
// with BenchmarkAccessGet: under 5 % of a single-record read.
//
// parts/* split the lead's check into its steps; reload is the cost of the
// first request after any change to the tenant's policies or organisation
// (casbin policies and the 1,000-user organisation loaded again, the grant
// compiled), paid once per change and instance.
func BenchmarkAccessCheck(b *testing.B) {
	for _, dialect := range testutil.Dialects(b) {
		b.Run(dialect, func(b *testing.B) {
			e := accessFixture(b, dialect)
			obj := e.Snap.Object("account")
			for _, who := range accessMembers {
				p := e.members[who]
				base := identity.WithPrincipal(context.Background(), p)
				b.Run(who, func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						g, err := e.App.Access.Grant(base, p)
						if err != nil {
							b.Fatal(err)
						}
						g = access.FromContext(access.WithGrant(base, g))
						if err := g.Require("account", access.ActRead); err != nil {
							b.Fatal(err)
						}
						if v := g.View(e.Snap).Object("account"); v.Field(HiddenField) != nil {
							b.Fatalf("%s sees account.%s", who, HiddenField)
						}
						if pred, _ := access.Predicate(g, e.Snap, obj, e.ddl, "t", access.Read, false, time.Now().UTC()); pred == "" {
							b.Fatal("no predicate for a member on a private object")
						}
					}
				})
			}

			p := e.members["lead"]
			base := identity.WithPrincipal(context.Background(), p)
			g, err := e.App.Access.Grant(base, p)
			if err != nil {
				b.Fatal(err)
			}
			b.Run("parts/grant", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					g, err := e.App.Access.Grant(base, p)
					if err != nil || access.FromContext(access.WithGrant(base, g)) != g {
						b.Fatal(err)
					}
				}
			})
			b.Run("parts/require", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if err := g.Require("account", access.ActRead); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("parts/view", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if g.View(e.Snap) == e.Snap {
						b.Fatal("no projection")
					}
				}
			})
			b.Run("parts/predicate", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if pred, _ := access.Predicate(g, e.Snap, obj, e.ddl, "t", access.Read, false, time.Now().UTC()); pred == "" {
						b.Fatal("no predicate")
					}
				}
			})
			b.Run("reload", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					e.App.Access.Changed(base, e.Tenant.ID)
					if _, err := e.App.Access.Grant(base, p); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

// BenchmarkAccessGet reads one account by id through record.Service.Get as
// the admin (no predicate) and as each member (the record-access predicate
// in the statement, the phone field projected away), cycling over the
// rep's ~103 accounts, which every caller may read.
func BenchmarkAccessGet(b *testing.B) {
	for _, dialect := range testutil.Dialects(b) {
		b.Run(dialect, func(b *testing.B) {
			e := accessFixture(b, dialect)
			for _, who := range append([]string{"admin"}, accessMembers...) {
				ctx := e.ctxs[who]
				b.Run(who, func(b *testing.B) {
					b.ReportAllocs()
					for i := 0; b.Loop(); i++ {
						id := e.repIDs[(i*7)%len(e.repIDs)]
						rec, err := e.App.Records.Get(ctx, e.Snap, "account", id, record.GetOptions{})
						if err != nil {
							b.Fatal(err)
						}
						if rec["id"] != id {
							b.Fatalf("got %v, want %s", rec["id"], id)
						}
					}
				})
			}
		})
	}
}

// BenchmarkAccessList lists 50 accounts through record.Service.List as the
// admin and as each member, with the default order (newest id first), by
// -created_at (not indexed) and by name (indexed). Target: a member's list
// within 1.3× of the admin's (on PostgreSQL).
func BenchmarkAccessList(b *testing.B) {
	sorts := []struct{ name, sort string }{{"default", ""}, {"created_at_desc", "-created_at"}, {"name", "name"}}
	for _, dialect := range testutil.Dialects(b) {
		b.Run(dialect, func(b *testing.B) {
			e := accessFixture(b, dialect)
			for _, s := range sorts {
				b.Run(s.name, func(b *testing.B) {
					for _, who := range append([]string{"admin"}, accessMembers...) {
						ctx := e.ctxs[who]
						q := record.ListQuery{Sort: s.sort, Limit: ListLimit}
						b.Run(who, func(b *testing.B) {
							b.ReportAllocs()
							for b.Loop() {
								page, err := e.App.Records.List(ctx, e.Snap, "account", q)
								if err != nil {
									b.Fatal(err)
								}
								if len(page.Data) != ListLimit {
									b.Fatalf("listed %d, want %d", len(page.Data), ListLimit)
								}
							}
						})
					}
				})
			}
		})
	}
}
