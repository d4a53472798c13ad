// Package metacache keeps tenants' metadata snapshots close to the request:
// an in-process L1 (no network on the hot path), Redis as L2 shared by the
// instances, and invalidation over the bus. It wraps the metadata store as a
// layer, the store itself knows nothing of caching.
package metacache

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/maypok86/otter/v2"
	"github.com/redis/go-redis/v9"

	"github.com/tessera-crm/tessera/internal/bus"
	"github.com/tessera-crm/tessera/metadata"
)

const topic = "meta"

// Loader reads a snapshot from the database.
type Loader func(ctx context.Context, tenantID string) (*metadata.Snapshot, error)

// Cache returns current snapshots.
type Cache struct {
	l1   *otter.Cache[string, *metadata.Snapshot]
	rdb  redis.UniversalClient // nil without Redis
	bus  bus.Bus
	load Loader
	ttl  time.Duration

	mu sync.Mutex
	// announced is the highest version each tenant's invalidations named: a
	// snapshot older than that, from L2 or a load racing the change, is never
	// kept.
	announced map[string]int64
}

// Options configure the cache.
type Options struct {
	// MaxTenants bounds L1.
	MaxTenants int
	// TTL bounds how long an L1 entry lives without an invalidation; it is
	// the safety net should an invalidation be lost, not the freshness
	// mechanism.
	TTL time.Duration
}

// New returns a cache; rdb may be nil.
func New(load Loader, b bus.Bus, rdb redis.UniversalClient, opts Options) *Cache {
	if opts.MaxTenants <= 0 {
		opts.MaxTenants = 10000
	}
	if opts.TTL <= 0 {
		opts.TTL = 10 * time.Minute
	}
	c := &Cache{rdb: rdb, bus: b, load: load, ttl: opts.TTL, announced: map[string]int64{}}
	c.l1 = otter.Must(&otter.Options[string, *metadata.Snapshot]{
		MaximumSize:      opts.MaxTenants,
		ExpiryCalculator: otter.ExpiryWriting[string, *metadata.Snapshot](opts.TTL),
	})
	b.Subscribe(topic, c.onMessage)
	b.OnReset(c.l1.InvalidateAll)
	return c
}

// Get returns the tenant's current snapshot. While L1 holds it, no database
// or Redis command runs; concurrent misses share one load.
func (c *Cache) Get(ctx context.Context, tenantID string) (*metadata.Snapshot, error) {
	if s, ok := c.l1.GetIfPresent(tenantID); ok {
		return s, nil
	}
	return c.l1.Get(ctx, tenantID, otter.LoaderFunc[string, *metadata.Snapshot](c.loadThrough))
}

func (c *Cache) loadThrough(ctx context.Context, tenantID string) (*metadata.Snapshot, error) {
	floor := c.floor(tenantID)
	if c.rdb != nil {
		if s := c.fromL2(ctx, tenantID); s != nil && s.Version >= floor {
			return s, nil
		}
	}
	s, err := c.load(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	c.toL2(ctx, s)
	return s, nil
}

func (c *Cache) floor(tenantID string) int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.announced[tenantID]
}

// Publish installs a just-committed snapshot here and tells the other
// instances; they drop older versions.
func (c *Cache) Publish(ctx context.Context, s *metadata.Snapshot) {
	c.raise(s.Tenant.ID, s.Version)
	c.l1.Set(s.Tenant.ID, s)
	c.toL2(ctx, s)
	if err := c.bus.Publish(ctx, topic, s.Tenant.ID+":"+strconv.FormatInt(s.Version, 10)); err != nil {
		slog.WarnContext(ctx, "metacache: publish invalidation", "tenant", s.Tenant.ID, "err", err)
	}
}

// Forget drops a tenant everywhere (tenant deleted).
func (c *Cache) Forget(ctx context.Context, tenantID string) {
	c.l1.Invalidate(tenantID)
	if c.rdb != nil {
		c.rdb.Del(ctx, snapshotKey(tenantID), versionKey(tenantID))
	}
	_ = c.bus.Publish(ctx, topic, tenantID+":"+strconv.FormatInt(1<<62, 10))
}

func (c *Cache) raise(tenantID string, v int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v > c.announced[tenantID] {
		c.announced[tenantID] = v
	}
}

func (c *Cache) onMessage(msg string) {
	tenantID, vs, ok := strings.Cut(msg, ":")
	if !ok {
		return
	}
	v, err := strconv.ParseInt(vs, 10, 64)
	if err != nil {
		return
	}
	c.raise(tenantID, v)
	if cur, ok := c.l1.GetIfPresent(tenantID); ok && cur.Version < v {
		c.l1.Invalidate(tenantID)
	}
}

func snapshotKey(tenantID string) string { return "tessera:meta:{" + tenantID + "}:snapshot" }
func versionKey(tenantID string) string  { return "tessera:meta:{" + tenantID + "}:version" }

func (c *Cache) fromL2(ctx context.Context, tenantID string) *metadata.Snapshot {
	b, err := c.rdb.Get(ctx, snapshotKey(tenantID)).Bytes()
	if err != nil {
		if err != redis.Nil {
			slog.WarnContext(ctx, "metacache: read L2", "tenant", tenantID, "err", err)
		}
		return nil
	}
	s, err := metadata.UnmarshalSnapshot(b)
	if err != nil {
		slog.WarnContext(ctx, "metacache: decode L2", "tenant", tenantID, "err", err)
		return nil
	}
	return s
}

// storeIfNewer keeps L2 monotonic: a slow loader holding an old snapshot
// cannot overwrite a newer one another instance stored.
var storeIfNewer = redis.NewScript(`
local cur = redis.call('GET', KEYS[2])
if cur and tonumber(cur) >= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[3])
return 1`)

func (c *Cache) toL2(ctx context.Context, s *metadata.Snapshot) {
	if c.rdb == nil {
		return
	}
	b, err := metadata.MarshalSnapshot(s)
	if err != nil {
		slog.WarnContext(ctx, "metacache: encode snapshot", "err", err)
		return
	}
	ttl := (6 * c.ttl).Milliseconds()
	err = storeIfNewer.Run(ctx, c.rdb, []string{snapshotKey(s.Tenant.ID), versionKey(s.Tenant.ID)}, s.Version, b, ttl).Err()
	if err != nil {
		slog.WarnContext(ctx, "metacache: write L2", "tenant", s.Tenant.ID, "err", fmt.Errorf("store snapshot: %w", err))
	}
}
