package app_test

import (
	"context"

	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"gorm.io/gorm"

	"github.com/tessera-crm/tessera/internal/testutil"
	"github.com/tessera-crm/tessera/internal/testutil/testserver"
)

// redisCounter counts the commands a client sends.
type redisCounter struct{ n atomic.Int64 }

func (c *redisCounter) DialHook(next redis.DialHook) redis.DialHook { return next }
func (c *redisCounter) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		c.n.Add(1)
		return next(ctx, cmd)
	}
}
func (c *redisCounter) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		c.n.Add(int64(len(cmds)))
		return next(ctx, cmds)
	}
}

// Two instances share a database and Redis: a metadata change made through
// one is seen by the other without a restart, and the other's hot path
// sends no Redis command while its snapshot is current.
func TestCache_TwoInstancesSeeEachOthersChanges(t *testing.T) {
	redisURL := testutil.RedisURL(t)
	for _, d := range testutil.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			dbURL := testutil.NewDatabaseURL(t, d)
			a := testserver.New(t, d, testserver.Options{DatabaseURL: dbURL, RedisURL: redisURL})
			b := testserver.New(t, d, testserver.Options{DatabaseURL: dbURL, RedisURL: redisURL})
			tokA := a.NewTenant(t, "shared", "none")
			tokB := b.Login(t, "shared", "admin@shared.test", testserver.Password)
			a.Do(t, "POST", "/api/v1/meta/objects", tokA, map[string]any{"api_name": "project", "label": "Project"}).Expect(t, 201)
			rec := create(t, b, tokB, "project", map[string]any{"name": "via b"})

			counter := &redisCounter{}
			b.App.Redis.AddHook(counter)
			for i := 0; i < 20; i++ {
				b.Do(t, "GET", "/api/v1/records/project/"+str(rec["id"]), tokB, nil).Expect(t, 200)
			}
			if n := counter.n.Load(); n != 0 {
				t.Fatalf("instance b sent %d Redis commands on the hot path", n)
			}

			a.Do(t, "POST", "/api/v1/meta/objects/project/fields", tokA, map[string]any{"api_name": "budget", "type": "currency", "label": "Budget"}).Expect(t, 201)
			deadline := time.Now().Add(3 * time.Second)
			for {
				r := b.Do(t, "POST", "/api/v1/records/project", tokB, map[string]any{"name": "after", "budget": "12.50"})
				if r.Status == 201 {
					if got := r.JSON(t)["budget"]; got != "12.50" {
						t.Fatalf("budget = %v", got)
					}
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("instance b never saw the new field: %d %s", r.Status, r.Body)
				}
				time.Sleep(20 * time.Millisecond)
			}
			// A third instance starting now reads the snapshot from L2 and
			// sees the current version.
			c := testserver.New(t, d, testserver.Options{DatabaseURL: dbURL, RedisURL: redisURL})
			tokC := c.Login(t, "shared", "admin@shared.test", testserver.Password)
			obj := c.Do(t, "GET", "/api/v1/meta/objects/project", tokC, nil).Expect(t, 200).JSON(t)
			if len(obj["fields"].([]any)) != 2 {
				t.Fatalf("instance c sees %d fields, want 2", len(obj["fields"].([]any)))
			}
			// Logging out on one instance revokes the token on the others.
			b.Do(t, "GET", "/api/v1/auth/me", tokC, nil).Expect(t, 200)
			c.Do(t, "POST", "/api/v1/auth/logout", tokC, nil).Expect(t, 204)
			deadline = time.Now().Add(3 * time.Second)
			for b.Do(t, "GET", "/api/v1/auth/me", tokC, nil).Status != 401 {
				if time.Now().After(deadline) {
					t.Fatal("a logged-out token still works on another instance")
				}
				time.Sleep(20 * time.Millisecond)
			}
		})
	}
}

// The request budgets do not depend on the machine, so tests hold them.
func TestBudgets_StatementsPerRequest(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		tok := s.NewTenant(t, "acme", "sales")
		acct := create(t, s, tok, "account", map[string]any{"name": "Northwind"})
		opp := create(t, s, tok, "opportunity", map[string]any{"name": "Deal", "account_id": acct["id"], "close_date": "2026-06-30"})
		path := "/api/v1/records/opportunity/" + str(opp["id"])
		s.Do(t, "GET", path, tok, nil).Expect(t, 200) // warm the session and snapshot caches
		sql := countSQL(s)

		s.Do(t, "GET", path, tok, nil).Expect(t, 200)
		if stmts := sql.reset(); len(stmts) != 1 {
			t.Fatalf("get by id ran %d statements, want 1: %v", len(stmts), stmts)
		}
		s.Do(t, "GET", "/api/v1/records/opportunity?limit=50&sort=-amount&filter=amount%20%3E%200", tok, nil).Expect(t, 200)
		if stmts := sql.reset(); len(stmts) != 1 || containsAny(stmts, "COUNT(") {
			t.Fatalf("list ran %v, want one statement and no COUNT", stmts)
		}
		s.Do(t, "GET", "/api/v1/records/opportunity?count=true", tok, nil).Expect(t, 200)
		if stmts := sql.reset(); len(stmts) != 2 || !containsAny(stmts, "COUNT(") {
			t.Fatalf("count=true ran %v, want the page and one COUNT", stmts)
		}
		// A create with a lookup and a pipeline: the insert (which verifies
		// the lookup), the stage history and the audit entry, in one
		// transaction.
		create(t, s, tok, "opportunity", map[string]any{"name": "Deal 2", "account_id": acct["id"], "close_date": "2026-06-30"})
		if stmts := sql.reset(); len(stmts) != 3 || !containsAny(stmts, "_AUDIT_LOG") {
			t.Fatalf("create ran %d statements, want 3 (insert, stage history, audit): %v", len(stmts), stmts)
		}
		// An update locates (and locks) the record, which checks access and
		// reads what the audit entry records as before, then writes.
		s.Do(t, "PATCH", path, tok, map[string]any{"name": "Deal renamed", "account_id": acct["id"]}).Expect(t, 200)
		if stmts := sql.reset(); len(stmts) != 3 {
			t.Fatalf("an update that writes a lookup ran %d statements, want 3 (locate, update, audit): %v", len(stmts), stmts)
		}
		create(t, s, tok, "product", map[string]any{"name": "Widget", "code": "W-1"})
		if stmts := sql.reset(); len(stmts) != 2 {
			t.Fatalf("plain create ran %d statements, want 2 (insert, audit): %v", len(stmts), stmts)
		}
		if _, ok := s.App.DB.Gorm.Statement.ConnPool.(*gorm.PreparedStmtDB); !ok {
			t.Fatalf("prepared statements are off: conn pool is %T", s.App.DB.Gorm.Statement.ConnPool)
		}
	})
}
