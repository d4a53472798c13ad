// Package record is the generic records service: it interprets a tenant's
// metadata snapshot to create, read, update, delete and query the records of
// any object in its real table. Standard and custom objects take the same
// path.
package record

import (
	"context"
	"fmt"
	"time"

	"github.com/tessera-crm/tessera/internal/access"
	"github.com/tessera-crm/tessera/internal/database"
	"github.com/tessera-crm/tessera/internal/identity"
	"github.com/tessera-crm/tessera/internal/jobs"
	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/metadata"
)

// Record is a record in its API form: field api names to JSON-ready values.
type Record map[string]any

// Service runs record operations against the platform database.
type Service struct {
	db  *database.DB
	now func() time.Time
	// Sealer encrypts encrypted fields; Mask hides them in lists.
	Sealer Sealer
	Mask   func(string) string
	// Automation, when set, learns of every write in its transaction.
	Automation Automation
	// Locker, when set, keeps members off records waiting for approval.
	Locker Locker
	// Queue, when set, takes the refreshes of stored formulas that read
	// a changed record through a lookup (refresh.go).
	Queue *jobs.Queue
}

// NewService returns the records service.
func NewService(db *database.DB) *Service {
	return &Service{db: db, now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) },
		Mask: func(string) string { return "****" }}
}

// DB returns the database the service writes to, for callers that wrap
// several operations in one transaction.
func (s *Service) DB() *database.DB { return s.db }

// scope is what one operation works on. snap and obj are the whole
// metadata, for the engine's own work (cascades, lookup guards, sharing
// rules); view and vobj are what the caller may see, for everything that
// reads or names fields on the caller's behalf.
type scope struct {
	snap  *metadata.Snapshot
	obj   *metadata.Object
	view  *metadata.Snapshot
	vobj  *metadata.Object
	ddl   metadata.DDL
	user  string        // acting user id, "" for system work
	grant *access.Grant // nil for system work, which may do everything
}

func (s *Service) scope(ctx context.Context, snap *metadata.Snapshot, object string) (*scope, error) {
	obj := snap.Object(object)
	if obj == nil {
		return nil, problem.UnknownObject(object)
	}
	sc := &scope{snap: snap, obj: obj, view: snap, vobj: obj, ddl: metadata.DDL{D: s.db.Dialect, Key: snap.Tenant.Key}}
	if p := identity.FromContext(ctx); p != nil && !p.Operator {
		sc.user = p.UserID
		sc.grant = access.FromContext(ctx)
		if sc.grant == nil {
			// A member's request without a grant would bypass record
			// access: refuse rather than serve it.
			return nil, fmt.Errorf("records of %s: request of user %s carries no access grant", object, p.UserID)
		}
		if err := sc.require(access.ActRead); err != nil {
			return nil, err
		}
		sc.view = sc.grant.View(snap)
		sc.vobj = sc.view.Object(object)
	}
	return sc, nil
}

func (sc *scope) table() string { return sc.ddl.Table(sc.obj.APIName) }
func (sc *scope) q(ident string) string {
	return sc.ddl.D.Quote(ident)
}

// tableOf returns the quoted table of another object of the snapshot.
func (sc *scope) tableOf(object string) string { return sc.ddl.Table(object) }
