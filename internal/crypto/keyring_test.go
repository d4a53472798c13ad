package crypto_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/tessera-crm/tessera/internal/crypto"
	"github.com/tessera-crm/tessera/internal/database"
	"github.com/tessera-crm/tessera/internal/testutil"
)

func newKeyring(t testing.TB, db *database.DB, master []byte) *crypto.Keyring {
	t.Helper()
	k, err := crypto.New(db, master)
	if err != nil {
		t.Fatalf("new keyring: %v", err)
	}
	return k
}

func masterKey(t testing.TB) []byte {
	t.Helper()
	m, err := crypto.NewMasterKey()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func storedKey(t *testing.T, db *database.DB, tenantID string) string {
	t.Helper()
	var key string
	if err := db.Gorm.Raw(`SELECT data_key FROM tenants WHERE id = ?`, tenantID).Scan(&key).Error; err != nil {
		t.Fatalf("read data key: %v", err)
	}
	return key
}

func TestKeyring_SealOpenRoundTripAndBindings(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		acme := testutil.NewTenantRow(t, db, "acme")
		globex := testutil.NewTenantRow(t, db, "globex")
		k := newKeyring(t, db, masterKey(t))

		for _, plain := range []string{"13812345678", "", "张三 zhang@example.com", strings.Repeat("x", 5000)} {
			sealed, err := k.Seal(ctx, acme, "account.phone", plain)
			if err != nil {
				t.Fatalf("seal: %v", err)
			}
			if !crypto.IsSealed(sealed) || (plain != "" && strings.Contains(sealed, plain)) {
				t.Fatalf("sealed %q does not look sealed", sealed)
			}
			got, err := k.Open(ctx, acme, "account.phone", sealed)
			if err != nil || got != plain {
				t.Fatalf("open = %q, %v; want %q", got, err, plain)
			}
		}

		sealed, err := k.Seal(ctx, acme, "account.phone", "13812345678")
		if err != nil {
			t.Fatal(err)
		}
		again, _ := k.Seal(ctx, acme, "account.phone", "13812345678")
		if again == sealed {
			t.Error("sealing twice gave the same ciphertext: the nonce is not random")
		}
		if _, err := k.Open(ctx, acme, "contact.phone", sealed); !errors.Is(err, crypto.ErrDecrypt) {
			t.Errorf("open under another AAD: %v, want ErrDecrypt", err)
		}
		if _, err := k.Open(ctx, globex, "account.phone", sealed); !errors.Is(err, crypto.ErrDecrypt) {
			t.Errorf("open with another tenant's key: %v, want ErrDecrypt", err)
		}
		// Flip one bit in every position of the payload.
		body := []byte(sealed)
		for i := len(crypto.SealedPrefix); i < len(body); i++ {
			tampered := append([]byte(nil), body...)
			tampered[i] ^= 0x01
			if _, err := k.Open(ctx, acme, "account.phone", string(tampered)); err == nil {
				t.Fatalf("tampered ciphertext (byte %d) opened", i)
			}
		}
		if _, err := k.Open(ctx, acme, "account.phone", "13812345678"); !errors.Is(err, crypto.ErrNotSealed) {
			t.Errorf("open of clear text: %v, want ErrNotSealed", err)
		}
		if _, err := k.Seal(ctx, "0190a0b0-0000-7000-8000-000000000001", "a.b", "x"); !errors.Is(err, crypto.ErrUnknownTenant) {
			t.Errorf("seal for a missing tenant: %v, want ErrUnknownTenant", err)
		}
	})
}

func TestKeyring_DataKeyIsWrappedPersistedAndReusedAcrossInstances(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		acme := testutil.NewTenantRow(t, db, "acme")
		master := masterKey(t)
		if got := storedKey(t, db, acme); got != "" {
			t.Fatalf("data key exists before first use: %q", got)
		}
		sealed, err := newKeyring(t, db, master).Seal(ctx, acme, "lead.email", "li@example.com")
		if err != nil {
			t.Fatal(err)
		}
		wrapped := storedKey(t, db, acme)
		if !strings.HasPrefix(wrapped, "v1:") {
			t.Fatalf("stored data key %q, want v1:<base64>", wrapped)
		}
		// A new process with the same master key reads the same data key.
		other := newKeyring(t, db, master)
		if got, err := other.Open(ctx, acme, "lead.email", sealed); err != nil || got != "li@example.com" {
			t.Fatalf("second keyring opened %q, %v", got, err)
		}
		if _, err := other.Seal(ctx, acme, "lead.email", "x"); err != nil {
			t.Fatal(err)
		}
		if storedKey(t, db, acme) != wrapped {
			t.Fatal("the second keyring replaced the data key")
		}
		// Another master key cannot unwrap it.
		if _, err := newKeyring(t, db, masterKey(t)).Open(ctx, acme, "lead.email", sealed); !errors.Is(err, crypto.ErrDecrypt) {
			t.Fatalf("open under a different master key: %v, want ErrDecrypt", err)
		}
	})
}

func TestKeyring_ConcurrentFirstUseCreatesOneKey(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		acme := testutil.NewTenantRow(t, db, "acme")
		master := masterKey(t)
		// Separate keyrings behave like separate instances: no shared cache.
		const n = 8
		sealed := make([]string, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Go(func() {
				<-start
				sealed[i], errs[i] = newKeyring(t, db, master).Seal(ctx, acme, "account.phone", "value")
			})
		}
		close(start)
		wg.Wait()
		fresh := newKeyring(t, db, master)
		for i := range n {
			if errs[i] != nil {
				t.Fatalf("seal %d: %v", i, errs[i])
			}
			if got, err := fresh.Open(ctx, acme, "account.phone", sealed[i]); err != nil || got != "value" {
				t.Fatalf("value %d sealed during the race does not open with the stored key: %q, %v", i, got, err)
			}
		}
	})
}

func TestKeyring_KeyCreatedInRolledBackTransactionIsNotKept(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		acme := testutil.NewTenantRow(t, db, "acme")
		master := masterKey(t)
		k := newKeyring(t, db, master)
		var inTx string
		err := db.InTx(ctx, func(ctx context.Context) error {
			var err error
			if inTx, err = k.Seal(ctx, acme, "a.b", "rolled back"); err != nil {
				return err
			}
			// The same transaction still opens what it sealed.
			if got, err := k.Open(ctx, acme, "a.b", inTx); err != nil || got != "rolled back" {
				t.Errorf("open in the sealing transaction: %q, %v", got, err)
			}
			return errors.New("roll back")
		})
		if err == nil || storedKey(t, db, acme) != "" {
			t.Fatalf("after rollback: err %v, stored key %q", err, storedKey(t, db, acme))
		}
		sealed, err := k.Seal(ctx, acme, "a.b", "kept")
		if err != nil {
			t.Fatal(err)
		}
		if storedKey(t, db, acme) == "" {
			t.Fatal("no key stored after a committed first use")
		}
		if got, err := newKeyring(t, db, master).Open(ctx, acme, "a.b", sealed); err != nil || got != "kept" {
			t.Fatalf("open with a fresh keyring: %q, %v", got, err)
		}
	})
}

func TestKeyring_RewrapAllKeepsValuesReadableUnderTheNewMasterKey(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		acme := testutil.NewTenantRow(t, db, "acme")
		testutil.NewTenantRow(t, db, "unused") // no data key yet: left alone
		oldMaster, newMaster := masterKey(t), masterKey(t)
		k := newKeyring(t, db, oldMaster)
		sealed, err := k.Seal(ctx, acme, "a.b", "secret")
		if err != nil {
			t.Fatal(err)
		}
		n, err := k.RewrapAll(ctx, newMaster)
		if err != nil || n != 1 {
			t.Fatalf("rewrap: %d, %v; want 1", n, err)
		}
		if got, err := newKeyring(t, db, newMaster).Open(ctx, acme, "a.b", sealed); err != nil || got != "secret" {
			t.Fatalf("open under the new master key: %q, %v", got, err)
		}
		if _, err := newKeyring(t, db, oldMaster).Open(ctx, acme, "a.b", sealed); !errors.Is(err, crypto.ErrDecrypt) {
			t.Fatalf("old master key still unwraps: %v", err)
		}
		if got, err := k.Open(ctx, acme, "a.b", sealed); err != nil || got != "secret" {
			t.Fatalf("rotated keyring: %q, %v", got, err)
		}
	})
}

func TestLoadMasterKey(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	dir := t.TempDir()
	file := filepath.Join(dir, "sub", "master.key")

	first, err := crypto.LoadMasterKey("", file, log)
	if err != nil || len(first) != crypto.KeySize {
		t.Fatalf("generate: %d bytes, %v", len(first), err)
	}
	st, err := os.Stat(file)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, %v; want 0600", st.Mode().Perm(), err)
	}
	second, err := crypto.LoadMasterKey("", file, log)
	if err != nil || string(second) != string(first) {
		t.Fatalf("second start read another key (%v)", err)
	}
	explicit, err := crypto.LoadMasterKey(crypto.EncodeMasterKey(first), "", log)
	if err != nil || string(explicit) != string(first) {
		t.Fatalf("explicit key: %v", err)
	}
	for _, bad := range []string{"not base64!!", "c2hvcnQ=", crypto.EncodeMasterKey(make([]byte, 31))} {
		if _, err := crypto.LoadMasterKey(bad, file, log); err == nil || !strings.Contains(err.Error(), "TESSERA_MASTER_KEY") {
			t.Errorf("LoadMasterKey(%q) = %v, want an error naming TESSERA_MASTER_KEY", bad, err)
		}
	}
	corrupt := filepath.Join(dir, "corrupt.key")
	if err := os.WriteFile(corrupt, []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := crypto.LoadMasterKey("", corrupt, log); err == nil || !strings.Contains(err.Error(), corrupt) {
		t.Errorf("corrupt key file: %v, want an error naming the file", err)
	}
}
