package bench

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/tessera-crm/tessera/internal/app"
	"github.com/tessera-crm/tessera/internal/testutil"
)

// newApp builds the server (services, no listener) on a fresh database of
// the dialect, closed when the benchmark ends.
func newApp(b *testing.B, dialect string) *app.App {
	b.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := app.New(context.Background(), app.Config{DatabaseURL: testutil.NewDatabaseURL(b, dialect), MasterKeyFile: filepath.Join(b.TempDir(), "master.key")}, log)
	if err != nil {
		b.Fatalf("start %s: %v", dialect, err)
	}
	b.Cleanup(a.Close)
	return a
}

// postgresOnly returns TEST_DATABASE_URL's dialect or skips; under CI an
// unreachable PostgreSQL fails instead (testutil.PostgresURL).
func postgresOnly(b *testing.B) {
	b.Helper()
	if testutil.PostgresURL(b) == "" {
		b.Skip("TEST_DATABASE_URL is not set or PostgreSQL does not answer")
	}
}

func TestOpportunityValues_AreAcceptedByTheEngine(t *testing.T) {
	a, err := app.New(context.Background(), app.Config{DatabaseURL: testutil.NewDatabaseURL(t, "sqlite"), MasterKeyFile: filepath.Join(t.TempDir(), "master.key")}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	s, err := Provision(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	seeded, err := s.Seed(3, 450, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(seeded.Opportunities) != 450 || seeded.Opportunities[449] == "" {
		t.Fatalf("seeded %d opportunities, last %q", len(seeded.Opportunities), seeded.Opportunities[449])
	}
}
