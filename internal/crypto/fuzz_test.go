package crypto_test

import (
	"context"
	"testing"

	"github.com/tessera-crm/tessera/internal/crypto"
	"github.com/tessera-crm/tessera/internal/testutil"
)

// FuzzOpen feeds arbitrary strings to Open: it must refuse them with an
// error, never panic, and never "open" something it did not seal.
func FuzzOpen(f *testing.F) {
	db := testutil.OpenDB(f, "sqlite")
	tenant := testutil.NewTenantRow(f, db, "fuzz")
	k := newKeyring(f, db, masterKey(f))
	ctx := context.Background()
	valid, err := k.Seal(ctx, tenant, "a.b", "hello")
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{valid, "", "enc:v1:", "enc:v1:====", "enc:v1:AAAA", "enc:v2:" + valid[7:], valid[:len(valid)-1], valid + "A", "enc:v1:\x00\xff"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, sealed string) {
		got, err := k.Open(ctx, tenant, "a.b", sealed)
		if err == nil && got != "hello" {
			// Only a genuine ciphertext (ours, or an equivalent encoding of
			// it) may open.
			t.Fatalf("Open(%q) = %q without an error", sealed, got)
		}
		_ = crypto.Mask(sealed)
	})
}
