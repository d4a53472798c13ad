// Package record is the generic records service: it interprets a tenant's
// metadata snapshot to create, read, update, delete and query the records of
// any object in its real table. Standard and custom objects take the same
// path.
package record

import (
	"context"
	"time"

	"github.com/tessera-crm/tessera/internal/database"
	"github.com/tessera-crm/tessera/internal/identity"
	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/metadata"
)

// Record is a record in its API form: field api names to JSON-ready values.
type Record map[string]any

// Service runs record operations against the platform database.
type Service struct {
	db  *database.DB
	now func() time.Time
}

// NewService returns the records service.
func NewService(db *database.DB) *Service {
	return &Service{db: db, now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
}

// DB returns the database the service writes to, for callers that wrap
// several operations in one transaction.
func (s *Service) DB() *database.DB { return s.db }

// scope is what one operation works on.
type scope struct {
	snap *metadata.Snapshot
	obj  *metadata.Object
	ddl  metadata.DDL
	user string // acting user id, "" for system work
}

func (s *Service) scope(ctx context.Context, snap *metadata.Snapshot, object string) (*scope, error) {
	obj := snap.Object(object)
	if obj == nil {
		return nil, problem.UnknownObject(object)
	}
	sc := &scope{snap: snap, obj: obj, ddl: metadata.DDL{D: s.db.Dialect, Key: snap.Tenant.Key}}
	if p := identity.FromContext(ctx); p != nil && !p.Operator {
		sc.user = p.UserID
	}
	return sc, nil
}

func (sc *scope) table() string { return sc.ddl.Table(sc.obj.APIName) }
func (sc *scope) q(ident string) string {
	return sc.ddl.D.Quote(ident)
}

// tableOf returns the quoted table of another object of the snapshot.
func (sc *scope) tableOf(object string) string { return sc.ddl.Table(object) }
