package identity_test

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tessera-crm/tessera/internal/identity"
	"github.com/tessera-crm/tessera/internal/testutil"
)

// exerciseLimiter runs the Limiter contract: a limit of 3 in a window, a
// lockout from the failure that reaches it, and resets. wait advances time.
func exerciseLimiter(t *testing.T, l identity.Limiter, window, lockout time.Duration, wait func(time.Duration)) {
	ctx := context.Background()
	locked := func(key string) time.Duration {
		t.Helper()
		d, err := l.Locked(ctx, key, 3)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	fail := func(key string) {
		t.Helper()
		if err := l.Fail(ctx, key, 3, window, lockout); err != nil {
			t.Fatal(err)
		}
	}
	fail("a")
	fail("a")
	if locked("a") != 0 {
		t.Fatal("locked below the limit")
	}
	fail("a")
	if d := locked("a"); d <= 0 || d > lockout {
		t.Fatalf("locked for %v at the limit, want up to %v", d, lockout)
	}
	if locked("b") != 0 {
		t.Fatal("another key is locked")
	}
	if err := l.Reset(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if locked("a") != 0 {
		t.Fatal("still locked after a reset")
	}
	// Failures spread beyond the window do not add up.
	fail("c")
	fail("c")
	wait(window + 50*time.Millisecond)
	fail("c")
	if locked("c") != 0 {
		t.Fatal("failures of an expired window still count")
	}
	// A lock ends after the lockout.
	fail("d")
	fail("d")
	fail("d")
	wait(lockout + 50*time.Millisecond)
	if locked("d") != 0 {
		t.Fatal("still locked after the lockout")
	}
}

func TestMemoryLimiter_LocksAtTheLimitAndExpires(t *testing.T) {
	l := identity.NewMemoryLimiter()
	now := time.Now()
	identity.SetLimiterClock(l, func() time.Time { return now })
	exerciseLimiter(t, l, 15*time.Minute, 20*time.Minute, func(d time.Duration) { now = now.Add(d) })
}

func TestRedisLimiter_LocksAtTheLimitAndExpires(t *testing.T) {
	opts, err := redis.ParseURL(testutil.RedisURL(t))
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opts)
	t.Cleanup(func() { _ = rdb.Close() })
	// A prefix of its own: runs and other tests share the Redis.
	l := identity.NewRedisLimiter(rdb, identity.LoginKeyPrefix+"test:"+testutil.RandomSuffix()+":")
	exerciseLimiter(t, l, 300*time.Millisecond, 400*time.Millisecond, time.Sleep)
}
