package identity

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tessera-crm/tessera/internal/problem"
)

// Limiter counts failures per key. A key whose count reaches the limit is
// locked until its counter expires.
type Limiter interface {
	// Locked returns how long key stays locked; 0 when it is not.
	Locked(ctx context.Context, key string, limit int) (time.Duration, error)
	// Fail counts a failure of key. The first failure opens a window; the
	// failure that reaches limit locks the key for lockout from then.
	Fail(ctx context.Context, key string, limit int, window, lockout time.Duration) error
	// Reset forgets key's failures.
	Reset(ctx context.Context, key string) error
}

// LoginThrottle locks out guessing: too many failed logins for one account,
// or from one address, within Window lock that account or address for
// Lockout. A nil throttle limits nothing.
type LoginThrottle struct {
	Limiter      Limiter
	AccountLimit int
	IPLimit      int
	Window       time.Duration
	Lockout      time.Duration
}

// NewLoginThrottle returns the documented policy: 5 failures per account or
// 20 per address within 15 minutes lock for 15 minutes.
func NewLoginThrottle(l Limiter) *LoginThrottle {
	return &LoginThrottle{Limiter: l, AccountLimit: 5, IPLimit: 20, Window: 15 * time.Minute, Lockout: 15 * time.Minute}
}

// throttleKeys are the counters one attempt touches; empty ones are skipped.
type throttleKeys struct{ account, ip string }

// accountKeys names an account by tenant key and email as typed (normalized),
// whether or not it exists, so that a lockout says nothing about existence.
// The key is a hash: Redis holds no addresses.
func (t *LoginThrottle) accountKeys(tenantKey, email string) throttleKeys {
	e, err := NormalizeEmail(email)
	if err != nil {
		e = strings.ToLower(strings.TrimSpace(email))
	}
	sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(tenantKey)) + "\x00" + e))
	return throttleKeys{account: "acct:" + hex.EncodeToString(sum[:16])}
}

func (t *LoginThrottle) loginKeys(tenantKey, email, ip string) throttleKeys {
	k := t.accountKeys(tenantKey, email)
	if ip != "" {
		k.ip = "ip:" + ip
	}
	return k
}

// check refuses with 429 while the account or the address is locked. A
// limiter that fails (Redis down) lets the attempt through: logins must
// keep working while Redis degrades.
func (t *LoginThrottle) check(ctx context.Context, k throttleKeys) error {
	if t == nil {
		return nil
	}
	var wait time.Duration
	for _, c := range []struct {
		key   string
		limit int
	}{{k.account, t.AccountLimit}, {k.ip, t.IPLimit}} {
		if c.key == "" {
			continue
		}
		d, err := t.Limiter.Locked(ctx, c.key, c.limit)
		if err != nil {
			slog.WarnContext(ctx, "login throttle unavailable; not limiting", "err", err)
			return nil
		}
		wait = max(wait, d)
	}
	if wait <= 0 {
		return nil
	}
	secs := int(math.Ceil(wait.Seconds()))
	return problem.TooManyAttempts(secs, fmt.Sprintf("too many failed logins; try again in %d minutes", (secs+59)/60))
}

// fail counts a failure against every key of the attempt.
func (t *LoginThrottle) fail(ctx context.Context, k throttleKeys) {
	if t == nil {
		return
	}
	if k.account != "" {
		if err := t.Limiter.Fail(ctx, k.account, t.AccountLimit, t.Window, t.Lockout); err != nil {
			slog.WarnContext(ctx, "login throttle: count failure", "err", err)
		}
	}
	if k.ip != "" {
		if err := t.Limiter.Fail(ctx, k.ip, t.IPLimit, t.Window, t.Lockout); err != nil {
			slog.WarnContext(ctx, "login throttle: count failure", "err", err)
		}
	}
}

// succeed clears the account's counter; the address's stays, or a guesser
// with one valid account could reset it at will.
func (t *LoginThrottle) succeed(ctx context.Context, k throttleKeys) {
	if t == nil || k.account == "" {
		return
	}
	if err := t.Limiter.Reset(ctx, k.account); err != nil {
		slog.WarnContext(ctx, "login throttle: reset", "err", err)
	}
}

// MemoryLimiter keeps counters in process: for a single instance.
type MemoryLimiter struct {
	mu      sync.Mutex
	entries map[string]*memoryCount
	ops     int
	now     func() time.Time
}

type memoryCount struct {
	n       int
	expires time.Time
}

// NewMemoryLimiter returns an in-process limiter.
func NewMemoryLimiter() *MemoryLimiter {
	return &MemoryLimiter{entries: map[string]*memoryCount{}, now: time.Now}
}

// live returns key's unexpired counter, dropping an expired one. Every so
// often it sweeps the whole map so that keys seen once do not accumulate.
func (m *MemoryLimiter) live(key string, now time.Time) *memoryCount {
	m.ops++
	if m.ops%1024 == 0 {
		for k, e := range m.entries {
			if !now.Before(e.expires) {
				delete(m.entries, k)
			}
		}
	}
	e, ok := m.entries[key]
	if ok && !now.Before(e.expires) {
		delete(m.entries, key)
		return nil
	}
	return e
}

// Locked implements Limiter.
func (m *MemoryLimiter) Locked(_ context.Context, key string, limit int) (time.Duration, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	if e := m.live(key, now); e != nil && e.n >= limit {
		return e.expires.Sub(now), nil
	}
	return 0, nil
}

// Fail implements Limiter.
func (m *MemoryLimiter) Fail(_ context.Context, key string, limit int, window, lockout time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	e := m.live(key, now)
	if e == nil {
		e = &memoryCount{expires: now.Add(window)}
		m.entries[key] = e
	}
	e.n++
	if e.n == limit {
		e.expires = now.Add(lockout)
	}
	return nil
}

// Reset implements Limiter.
func (m *MemoryLimiter) Reset(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.entries, key)
	return nil
}

// RedisLimiter keeps counters in Redis, shared by every instance.
type RedisLimiter struct {
	rdb    redis.UniversalClient
	prefix string
}

// LoginKeyPrefix prefixes the login throttle's Redis keys.
const LoginKeyPrefix = "tessera:login:"

// NewRedisLimiter returns a limiter whose keys start with prefix.
func NewRedisLimiter(rdb redis.UniversalClient, prefix string) *RedisLimiter {
	return &RedisLimiter{rdb: rdb, prefix: prefix}
}

// failScript counts atomically: a crash between INCR and EXPIRE must not
// leave a counter without expiry (a lock for ever).
var failScript = redis.NewScript(`
local n = redis.call('INCR', KEYS[1])
if n == tonumber(ARGV[2]) then
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
elseif n == 1 or redis.call('PTTL', KEYS[1]) < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return n`)

// Locked implements Limiter.
func (r *RedisLimiter) Locked(ctx context.Context, key string, limit int) (time.Duration, error) {
	pipe := r.rdb.Pipeline()
	get := pipe.Get(ctx, r.prefix+key)
	ttl := pipe.PTTL(ctx, r.prefix+key)
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return 0, fmt.Errorf("read login counter: %w", err)
	}
	n, err := get.Int()
	if err != nil || n < limit {
		return 0, nil
	}
	if d := ttl.Val(); d > 0 {
		return d, nil
	}
	return 0, nil
}

// Fail implements Limiter.
func (r *RedisLimiter) Fail(ctx context.Context, key string, limit int, window, lockout time.Duration) error {
	err := failScript.Run(ctx, r.rdb, []string{r.prefix + key}, window.Milliseconds(), limit, lockout.Milliseconds()).Err()
	if err != nil {
		return fmt.Errorf("count login failure: %w", err)
	}
	return nil
}

// Reset implements Limiter.
func (r *RedisLimiter) Reset(ctx context.Context, key string) error {
	if err := r.rdb.Del(ctx, r.prefix+key).Err(); err != nil {
		return fmt.Errorf("reset login counter: %w", err)
	}
	return nil
}

var (
	_ Limiter = (*MemoryLimiter)(nil)
	_ Limiter = (*RedisLimiter)(nil)
)
