// Package crypto encrypts sensitive field values. Each tenant has its own
// random data key; the data keys are stored in tenants.data_key wrapped
// (AES-256-GCM) by the master key, which never touches the database. Values
// are sealed with AES-256-GCM under the tenant's data key, bound by
// additional data to the place they belong (object.field), so a ciphertext
// copied into another column or another tenant does not open.
package crypto

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"

	"gorm.io/gorm"

	"github.com/tessera-crm/tessera/internal/database"
)

// Formats. The version prefix leaves room for another algorithm or key
// scheme without guessing what a stored string is.
const (
	// SealedPrefix starts every sealed value.
	SealedPrefix = "enc:v1:"
	// wrappedPrefix starts a wrapped data key in tenants.data_key.
	wrappedPrefix = "v1:"
)

var (
	// ErrDecrypt means a sealed value or wrapped key did not open: it was
	// altered, belongs to another place or tenant, or the key is wrong. The
	// causes are deliberately not told apart.
	ErrDecrypt = errors.New("decryption failed")
	// ErrNotSealed means Open was given a string that is not a sealed value.
	ErrNotSealed = errors.New("value is not sealed")
	// ErrUnknownTenant means the tenant has no row, so it has no data key.
	ErrUnknownTenant = errors.New("unknown tenant")
)

// Keyring seals and opens values with the tenants' data keys. It is safe for
// concurrent use.
type Keyring struct {
	db *database.DB

	mu     sync.RWMutex
	master cipher.AEAD
	// keys caches unwrapped data keys by tenant id. Only keys known to be
	// committed are cached: a key created inside a transaction that later
	// rolls back must not outlive it.
	keys map[string]cipher.AEAD
}

// New returns a keyring over the platform database with a 32-byte master key.
func New(db *database.DB, master []byte) (*Keyring, error) {
	m, err := newAEAD(master)
	if err != nil {
		return nil, fmt.Errorf("master key: %w", err)
	}
	return &Keyring{db: db, master: m, keys: map[string]cipher.AEAD{}}, nil
}

// IsSealed reports whether s is a sealed value (by its prefix; it may still
// fail to open).
func IsSealed(s string) bool { return strings.HasPrefix(s, SealedPrefix) }

// Seal encrypts plaintext under the tenant's data key, creating the key on
// first use. aad names the value's place, e.g. "account.phone"; Open must be
// given the same.
func (k *Keyring) Seal(ctx context.Context, tenantID, aad, plaintext string) (string, error) {
	key, err := k.dataKey(ctx, tenantID)
	if err != nil {
		return "", err
	}
	return seal(key, aad, plaintext)
}

// Open decrypts a value Seal returned for the same tenant and aad.
func (k *Keyring) Open(ctx context.Context, tenantID, aad, sealed string) (string, error) {
	if !IsSealed(sealed) {
		return "", ErrNotSealed
	}
	key, err := k.dataKey(ctx, tenantID)
	if err != nil {
		return "", err
	}
	return open(key, aad, sealed)
}

func seal(key cipher.AEAD, aad, plaintext string) (string, error) {
	nonce, err := randomBytes(key.NonceSize())
	if err != nil {
		return "", err
	}
	out := key.Seal(nonce, nonce, []byte(plaintext), []byte(aad))
	return SealedPrefix + base64.RawStdEncoding.EncodeToString(out), nil
}

func open(key cipher.AEAD, aad, sealed string) (string, error) {
	body, ok := strings.CutPrefix(sealed, SealedPrefix)
	if !ok {
		return "", ErrNotSealed
	}
	raw, err := base64.RawStdEncoding.DecodeString(body)
	if err != nil || len(raw) < key.NonceSize()+key.Overhead() {
		return "", ErrDecrypt
	}
	n := key.NonceSize()
	plain, err := key.Open(nil, raw[:n], raw[n:], []byte(aad))
	if err != nil {
		return "", ErrDecrypt
	}
	return string(plain), nil
}

// dataKey returns the tenant's data key, creating it on first need.
//
// The committed key is looked up through the pool, outside any transaction
// the caller holds, so that what is cached is what every instance sees. A
// missing key is created through the caller's transaction when there is one
// (on SQLite a second writer beside it would wait for it forever) and is then
// not cached, because that transaction may still roll back; values sealed
// with it roll back together with it.
func (k *Keyring) dataKey(ctx context.Context, tenantID string) (cipher.AEAD, error) {
	k.mu.RLock()
	key, ok := k.keys[tenantID]
	k.mu.RUnlock()
	if ok {
		return key, nil
	}
	wrapped, err := k.readWrapped(ctx, k.db.Gorm.WithContext(ctx), tenantID)
	if err != nil {
		return nil, err
	}
	committed := wrapped != ""
	if !committed {
		if wrapped, err = k.create(ctx, tenantID); err != nil {
			return nil, err
		}
		committed = !database.InTransaction(ctx)
	}
	k.mu.RLock()
	master := k.master
	k.mu.RUnlock()
	key, err = unwrap(master, tenantID, wrapped)
	if err != nil {
		return nil, fmt.Errorf("data key of tenant %s: %w", tenantID, err)
	}
	if committed {
		k.mu.Lock()
		k.keys[tenantID] = key
		k.mu.Unlock()
	}
	return key, nil
}

// create stores a new wrapped data key unless someone stored one first, and
// returns the one that is stored: concurrent first uses (in this process or
// another instance) all end up with the same key.
func (k *Keyring) create(ctx context.Context, tenantID string) (string, error) {
	raw, err := randomBytes(KeySize)
	if err != nil {
		return "", err
	}
	k.mu.RLock()
	wrapped, err := wrap(k.master, tenantID, raw)
	k.mu.RUnlock()
	if err != nil {
		return "", err
	}
	conn := k.db.Conn(ctx)
	if err := conn.Exec(`UPDATE tenants SET data_key = ? WHERE id = ? AND data_key = ''`, wrapped, tenantID).Error; err != nil {
		return "", fmt.Errorf("store data key of tenant %s: %w", tenantID, err)
	}
	stored, err := k.readWrapped(ctx, conn, tenantID)
	if err != nil {
		return "", err
	}
	if stored == "" {
		return "", fmt.Errorf("store data key of tenant %s: key not stored", tenantID)
	}
	return stored, nil
}

// readWrapped returns the tenant's stored wrapped key, "" when it has none.
func (k *Keyring) readWrapped(ctx context.Context, conn *gorm.DB, tenantID string) (string, error) {
	var rows []string
	if err := conn.WithContext(ctx).Raw(`SELECT data_key FROM tenants WHERE id = ?`, tenantID).Scan(&rows).Error; err != nil {
		return "", fmt.Errorf("read data key of tenant %s: %w", tenantID, err)
	}
	if len(rows) == 0 {
		return "", fmt.Errorf("data key of tenant %s: %w", tenantID, ErrUnknownTenant)
	}
	return rows[0], nil
}

func randomBytes(n int) ([]byte, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("read random bytes: %w", err)
	}
	return b, nil
}

func newAEAD(key []byte) (cipher.AEAD, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("key is %d bytes, want %d", len(key), KeySize)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// wrap seals a data key under the master key, bound to its tenant so that a
// wrapped key copied to another tenant's row does not open.
func wrap(master cipher.AEAD, tenantID string, key []byte) (string, error) {
	nonce, err := randomBytes(master.NonceSize())
	if err != nil {
		return "", err
	}
	out := master.Seal(nonce, nonce, key, []byte(tenantID))
	return wrappedPrefix + base64.RawStdEncoding.EncodeToString(out), nil
}

func unwrapRaw(master cipher.AEAD, tenantID, wrapped string) ([]byte, error) {
	body, ok := strings.CutPrefix(wrapped, wrappedPrefix)
	if !ok {
		return nil, fmt.Errorf("unknown data key format: %w", ErrDecrypt)
	}
	raw, err := base64.RawStdEncoding.DecodeString(body)
	if err != nil || len(raw) < master.NonceSize()+master.Overhead() {
		return nil, ErrDecrypt
	}
	n := master.NonceSize()
	key, err := master.Open(nil, raw[:n], raw[n:], []byte(tenantID))
	if err != nil {
		return nil, fmt.Errorf("unwrap with the master key (is it the one the key was created with?): %w", ErrDecrypt)
	}
	return key, nil
}

func unwrap(master cipher.AEAD, tenantID, wrapped string) (cipher.AEAD, error) {
	raw, err := unwrapRaw(master, tenantID, wrapped)
	if err != nil {
		return nil, err
	}
	return newAEAD(raw)
}

// WebhookSecret returns the tenant's webhook signing secret, creating it on
// first use. It is stored sealed under the tenant's data key; concurrent
// first uses end with the one stored first.
func (k *Keyring) WebhookSecret(ctx context.Context, tenantID string) (string, error) {
	const aad = "tenants.webhook_secret"
	read := func() (string, error) {
		var rows []string
		if err := k.db.Conn(ctx).Raw(`SELECT webhook_secret FROM tenants WHERE id = ?`, tenantID).Scan(&rows).Error; err != nil {
			return "", fmt.Errorf("read webhook secret of tenant %s: %w", tenantID, err)
		}
		if len(rows) == 0 {
			return "", fmt.Errorf("webhook secret of tenant %s: %w", tenantID, ErrUnknownTenant)
		}
		return rows[0], nil
	}
	sealed, err := read()
	if err != nil {
		return "", err
	}
	if sealed == "" {
		raw, err := randomBytes(32)
		if err != nil {
			return "", err
		}
		fresh, err := k.Seal(ctx, tenantID, aad, "whsec_"+hex.EncodeToString(raw))
		if err != nil {
			return "", err
		}
		if err := k.db.Conn(ctx).Exec(`UPDATE tenants SET webhook_secret = ? WHERE id = ? AND webhook_secret = ''`, fresh, tenantID).Error; err != nil {
			return "", fmt.Errorf("store webhook secret of tenant %s: %w", tenantID, err)
		}
		if sealed, err = read(); err != nil {
			return "", err
		}
	}
	return k.Open(ctx, tenantID, aad, sealed)
}
