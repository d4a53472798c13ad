// Package bench measures Tessera: the cost of the metadata engine over
// hand-written gorm (tax_test.go), tenant provisioning (provision_test.go)
// and adding a field to a large table (addfield_test.go). The commands under
// bench/cmd load-test the HTTP API and a bare pgx/database/sql server on the
// same tables; bench/run.sh runs them end to end. docs/benchmarks.md has the
// results.
package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"

	"github.com/tessera-crm/tessera/engine/record"
	"github.com/tessera-crm/tessera/internal/app"
	"github.com/tessera-crm/tessera/internal/identity"
	"github.com/tessera-crm/tessera/metadata"
	"github.com/tessera-crm/tessera/tenants"
)

// Tenant key and admin of every benchmark tenant.
const (
	TenantKey     = "bench"
	AdminEmail    = "admin@bench.local"
	AdminPassword = "bench-pass-123"
)

// ListFilter and ListSort are the list every benchmark runs: open proposals
// above 100k, largest first. About one opportunity in seven matches.
const (
	ListFilter = `stage == "proposal" && amount > 100000`
	ListSort   = "-amount"
	ListLimit  = 50
)

// Session is a provisioned tenant seen from inside the server: the snapshot
// and a context acting as its admin, which is what the records service needs.
type Session struct {
	App    *app.App
	Tenant *tenants.Tenant
	Admin  *identity.User
	Snap   *metadata.Snapshot
	Ctx    context.Context
}

// Provision creates the benchmark tenant with the sales template.
func Provision(ctx context.Context, a *app.App) (*Session, error) {
	t, admin, err := a.Tenants.Create(ctx, tenants.CreateInput{Key: TenantKey, Name: "Bench", Locale: "en",
		AdminEmail: AdminEmail, AdminName: "Bench Admin", AdminPassword: AdminPassword})
	if err != nil {
		return nil, fmt.Errorf("provision tenant %s: %w", TenantKey, err)
	}
	return Open(ctx, a, t, admin)
}

// Open returns a session on an existing tenant, acting as admin.
func Open(ctx context.Context, a *app.App, t *tenants.Tenant, admin *identity.User) (*Session, error) {
	snap, err := a.Snapshots.Get(ctx, t.ID)
	if err != nil {
		return nil, fmt.Errorf("load snapshot of %s: %w", t.Key, err)
	}
	ctx, err = a.ActAs(ctx, &identity.Principal{UserID: admin.ID, TenantID: t.ID, TenantKey: t.Key,
		Email: admin.Email, Name: admin.Name, Role: identity.RoleAdmin})
	if err != nil {
		return nil, err
	}
	return &Session{App: a, Tenant: t, Admin: admin, Snap: snap, Ctx: ctx}, nil
}

// Seeded is what Seed created.
type Seeded struct {
	Accounts      []string
	Opportunities []string
}

// Seed creates accounts, then opportunities spread over them, through the
// records service in atomic batches of record.MaxBulk, with up to workers
// batches in flight (SQLite serializes writers, so more than one only helps
// on PostgreSQL). The data is deterministic for a seed.
func (s *Session) Seed(accounts, opportunities, workers int, seed uint64) (*Seeded, error) {
	if opportunities > 0 && accounts < 1 {
		return nil, fmt.Errorf("seed: opportunities need at least one account")
	}
	out := &Seeded{}
	var err error
	out.Accounts, err = s.createAll("account", accounts, workers, seed, func(r *rand.Rand, i int) map[string]any {
		return AccountValues(r, i)
	})
	if err != nil {
		return nil, err
	}
	out.Opportunities, err = s.createAll("opportunity", opportunities, workers, seed+1, func(r *rand.Rand, i int) map[string]any {
		return OpportunityValues(r, out.Accounts[r.IntN(len(out.Accounts))], i)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Session) createAll(object string, n, workers int, seed uint64, values func(r *rand.Rand, i int) map[string]any) ([]string, error) {
	ids := make([]string, n)
	batches := make(chan int)
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for range max(workers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for start := range batches {
				// One generator per batch keeps the data independent of
				// which worker writes it.
				r := rand.New(rand.NewPCG(seed, uint64(start)))
				end := min(start+record.MaxBulk, n)
				ops := make([]record.BulkOp, 0, end-start)
				for i := start; i < end; i++ {
					ops = append(ops, record.BulkOp{Op: record.OpCreate, Values: values(r, i)})
				}
				res, err := s.App.Records.Bulk(s.Ctx, s.Snap, object, ops)
				if err != nil {
					errs <- fmt.Errorf("seed %s %d-%d: %w", object, start, end, err)
					return
				}
				for i, x := range res {
					ids[start+i] = x.ID
				}
			}
		}()
	}
	var err error
feed:
	for start := 0; start < n; start += record.MaxBulk {
		select {
		case batches <- start:
		case err = <-errs:
			break feed
		}
	}
	close(batches)
	wg.Wait()
	if err == nil {
		select {
		case err = <-errs:
		default:
		}
	}
	if err != nil {
		return nil, err
	}
	return ids, nil
}

var (
	industries = []string{"manufacturing", "ict", "retail", "finance", "healthcare", "education", "energy", "logistics", "professional_services", "other"}
	regions    = []string{"east_china", "north_china", "south_china", "central_china", "southwest_china", "northwest_china", "northeast_china", "overseas"}
	stages     = []string{"qualification", "needs_analysis", "proposal", "negotiation", "closed_won", "closed_lost"}
	oppTypes   = []string{"new_business", "renewal", "upsell"}
	sources    = []string{"website", "referral", "exhibition", "cold_call", "partner", "advertising", "other"}
)

// AccountValues is the i-th generated account.
func AccountValues(r *rand.Rand, i int) map[string]any {
	return map[string]any{
		"name":     fmt.Sprintf("Bench Account %06d", i),
		"industry": industries[r.IntN(len(industries))],
		"region":   regions[r.IntN(len(regions))],
	}
}

// OpportunityValues is the i-th generated opportunity: amounts spread
// uniformly over 1,000-1,000,000 CNY, stages uniformly over the pipeline,
// close dates over 2025-2027.
func OpportunityValues(r *rand.Rand, accountID string, i int) map[string]any {
	cents := 100_000 + r.Int64N(99_900_000)
	return map[string]any{
		"name":       fmt.Sprintf("Bench Opportunity %07d", i),
		"account_id": accountID,
		"amount":     strconv.FormatInt(cents/100, 10) + "." + fmt.Sprintf("%02d", cents%100),
		"currency":   "CNY",
		"close_date": fmt.Sprintf("%d-%02d-%02d", 2025+r.IntN(3), 1+r.IntN(12), 1+r.IntN(28)),
		"stage":      stages[r.IntN(len(stages))],
		"type":       oppTypes[r.IntN(len(oppTypes))],
		"source":     sources[r.IntN(len(sources))],
		"next_step":  "Call back",
	}
}
