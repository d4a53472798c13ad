package metacache

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tessera-crm/tessera/internal/bus"
	"github.com/tessera-crm/tessera/internal/testutil"
	"github.com/tessera-crm/tessera/metadata"
)

func snap(tenantID string, version int64) *metadata.Snapshot {
	return metadata.NewSnapshot(metadata.Tenant{ID: tenantID, Key: "k"}, version, nil)
}

// loaderAt returns a loader that serves the given version and counts calls.
func loaderAt(version *atomic.Int64, calls *atomic.Int64) Loader {
	return func(_ context.Context, id string) (*metadata.Snapshot, error) {
		calls.Add(1)
		return snap(id, version.Load()), nil
	}
}

func redisClient(t *testing.T) *redis.Client {
	opts, err := redis.ParseURL(testutil.RedisURL(t))
	if err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(opts)
	t.Cleanup(func() { c.Close() })
	return c
}

func TestCache_L1HitsDoNotLoad(t *testing.T) {
	var version, calls atomic.Int64
	version.Store(1)
	c := New(loaderAt(&version, &calls), bus.NewLocal(), nil, Options{})
	for i := 0; i < 10; i++ {
		s, err := c.Get(context.Background(), "t1")
		if err != nil || s.Version != 1 {
			t.Fatalf("%v %v", s, err)
		}
	}
	if calls.Load() != 1 {
		t.Fatalf("loads = %d, want 1", calls.Load())
	}
}

func TestCache_AnnouncedVersionEvictsOlderSnapshots(t *testing.T) {
	var version, calls atomic.Int64
	version.Store(1)
	b := bus.NewLocal()
	c := New(loaderAt(&version, &calls), b, nil, Options{})
	ctx := context.Background()
	c.Get(ctx, "t1")
	version.Store(2)
	// Another instance committed version 2 and announced it.
	other := New(loaderAt(&version, &calls), b, nil, Options{})
	other.Publish(ctx, snap("t1", 2))
	s, _ := c.Get(ctx, "t1")
	if s.Version != 2 {
		t.Fatalf("version %d after the announcement, want 2", s.Version)
	}
}

func TestCache_L2NeverGoesBackwards(t *testing.T) {
	rdb := redisClient(t)
	ctx := context.Background()
	tenant := "t-" + testutil.RandomSuffix()
	var version, calls atomic.Int64
	version.Store(5)
	b := bus.NewLocal()
	a := New(loaderAt(&version, &calls), b, rdb, Options{})
	a.Publish(ctx, snap(tenant, 5))
	// A slow loader elsewhere tries to store the version it read earlier.
	a.toL2(ctx, snap(tenant, 4))
	fresh := New(loaderAt(&version, &calls), bus.NewLocal(), rdb, Options{})
	s, err := fresh.Get(ctx, tenant)
	if err != nil || s.Version != 5 {
		t.Fatalf("got %v %v, want version 5 from L2", s, err)
	}
	if calls.Load() != 0 {
		t.Fatalf("the database was read %d times although L2 had the current version", calls.Load())
	}
	// An instance that heard of version 6 does not accept 5 from L2.
	version.Store(6)
	heard := New(loaderAt(&version, &calls), bus.NewLocal(), rdb, Options{})
	heard.onMessage(tenant + ":6")
	s, _ = heard.Get(ctx, tenant)
	if s.Version != 6 || calls.Load() != 1 {
		t.Fatalf("version %d, loads %d; want 6 from the database", s.Version, calls.Load())
	}
}

func TestRedisBus_DeliversToEveryInstance(t *testing.T) {
	rdb := redisClient(t)
	ctx := context.Background()
	b1, err := bus.NewRedis(ctx, rdb)
	if err != nil {
		t.Fatal(err)
	}
	defer b1.Close()
	b2, err := bus.NewRedis(ctx, rdb)
	if err != nil {
		t.Fatal(err)
	}
	defer b2.Close()
	got := make(chan string, 2)
	topic := "test-" + testutil.RandomSuffix()
	b1.Subscribe(topic, func(m string) { got <- "b1:" + m })
	b2.Subscribe(topic, func(m string) { got <- "b2:" + m })
	if err := b1.Publish(ctx, topic, "hello"); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for len(seen) < 2 {
		select {
		case m := <-got:
			seen[m] = true
		case <-time.After(3 * time.Second):
			t.Fatalf("delivered: %v", seen)
		}
	}
	if !seen["b1:hello"] || !seen["b2:hello"] {
		t.Fatalf("delivered: %v", seen)
	}
}
