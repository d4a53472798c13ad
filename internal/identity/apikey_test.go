package identity_test

import (
	"context"
	"testing"
	"time"

	"github.com/tessera-crm/tessera/internal/bus"
	"github.com/tessera-crm/tessera/internal/database"
	"github.com/tessera-crm/tessera/internal/identity"
	"github.com/tessera-crm/tessera/internal/testutil"
)

func keyOwner(t *testing.T, db *database.DB, ids *identity.Service) *identity.Principal {
	t.Helper()
	tenantID := testutil.NewTenantRow(t, db, "acme")
	u, err := ids.CreateUser(context.Background(), tenantID, identity.NewUserInput{Email: "dev@acme.test", Password: "correct-horse-9", Role: identity.RoleMember})
	if err != nil {
		t.Fatal(err)
	}
	return &identity.Principal{UserID: u.ID, TenantID: tenantID, TenantKey: "acme", Email: u.Email, Name: u.Name, Role: u.Role}
}

func lastUsed(t *testing.T, db *database.DB, id string) time.Time {
	t.Helper()
	var k struct{ LastUsedAt *time.Time }
	if err := db.Conn(context.Background()).Raw(`SELECT last_used_at FROM api_keys WHERE id = ?`, id).Scan(&k).Error; err != nil {
		t.Fatal(err)
	}
	if k.LastUsedAt == nil {
		return time.Time{}
	}
	return k.LastUsedAt.UTC()
}

func TestAPIKey_LastUsedIsWrittenAtMostOnceAMinute(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, db *database.DB) {
		ids := identity.NewService(db, bus.NewLocal())
		now := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)
		identity.SetClock(ids, func() time.Time { return now })
		owner := keyOwner(t, db, ids)
		k, secret, err := ids.CreateAPIKey(context.Background(), owner, identity.NewAPIKey{Name: "ci", PermissionSets: []string{"sales_rep"}})
		if err != nil {
			t.Fatal(err)
		}
		p, err := ids.Authenticate(context.Background(), secret)
		if err != nil {
			t.Fatal(err)
		}
		if p.UserID != owner.UserID || p.APIKeyID != k.ID || p.APIKeyName != "ci" || len(p.PermissionSets) != 1 || p.PermissionSets[0] != "sales_rep" {
			t.Fatalf("principal %+v", p)
		}
		if got := lastUsed(t, db, k.ID); !got.Equal(now) {
			t.Fatalf("last_used_at %v after the first use, want %v", got, now)
		}
		first := now
		now = now.Add(59 * time.Second)
		if _, err := ids.Authenticate(context.Background(), secret); err != nil {
			t.Fatal(err)
		}
		if got := lastUsed(t, db, k.ID); !got.Equal(first) {
			t.Fatalf("last_used_at rewritten within a minute: %v", got)
		}
		now = now.Add(2 * time.Second)
		if _, err := ids.Authenticate(context.Background(), secret); err != nil {
			t.Fatal(err)
		}
		if got := lastUsed(t, db, k.ID); !got.Equal(now) {
			t.Fatalf("last_used_at %v after a minute, want %v", got, now)
		}
	})
}

func TestAPIKey_RefusesTamperedExpiredAndRevokedKeys(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, db *database.DB) {
		ids := identity.NewService(db, bus.NewLocal())
		now := time.Now().UTC()
		identity.SetClock(ids, func() time.Time { return now })
		owner := keyOwner(t, db, ids)
		expires := now.Add(time.Hour)
		k, secret, err := ids.CreateAPIKey(context.Background(), owner, identity.NewAPIKey{Name: "ci", ExpiresAt: &expires})
		if err != nil {
			t.Fatal(err)
		}
		if p, err := ids.Authenticate(context.Background(), secret); err != nil || p.PermissionSets != nil {
			t.Fatalf("a key without sets: %+v %v (want the owner's own sets: nil)", p, err)
		}
		tampered := secret[:len(secret)-1] + "0"
		if tampered == secret {
			tampered = secret[:len(secret)-1] + "1"
		}
		for _, bad := range []string{tampered, "tsk_", "tsk_abc_def", secret + "0", "tsk_0000000000000000_" + secret[len(secret)-64:]} {
			if _, err := ids.Authenticate(context.Background(), bad); err == nil {
				t.Fatalf("%q authenticated", bad)
			}
		}
		now = expires
		if _, err := ids.Authenticate(context.Background(), secret); err == nil {
			t.Fatal("an expired key authenticated")
		}
		now = expires.Add(-time.Minute)
		if err := ids.RevokeAPIKey(context.Background(), owner, k.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := ids.Authenticate(context.Background(), secret); err == nil {
			t.Fatal("a revoked key authenticated")
		}
	})
}
