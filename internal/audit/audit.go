// Package audit appends to a tenant's operation log. Entries are written
// through the caller's transaction (database.Conn), so an entry exists if and
// only if the change it describes was committed.
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/tessera-crm/tessera/internal/database"
	"github.com/tessera-crm/tessera/internal/identity"
	"github.com/tessera-crm/tessera/internal/sqldialect"
	"github.com/tessera-crm/tessera/metadata"
)

// Entry is one operation. Before and After are JSON-encoded as given; for
// metadata and security changes they are the definitions, for records the
// changed fields.
type Entry struct {
	Action   string
	Object   string
	RecordID string
	Summary  string
	Before   any
	After    any
}

// Request describes where a request came from.
type Request struct {
	IP        string
	Client    string
	RequestID string
}

type requestKey struct{}

// WithRequest returns ctx carrying the request's origin for entries written
// while serving it.
func WithRequest(ctx context.Context, r Request) context.Context {
	return context.WithValue(ctx, requestKey{}, r)
}

// RequestFrom returns the request's origin, or the zero value for work that
// no request started.
func RequestFrom(ctx context.Context) Request {
	r, _ := ctx.Value(requestKey{}).(Request)
	return r
}

// Actor kinds.
const (
	ActorUser     = "user"
	ActorAPIKey   = "api_key"
	ActorOperator = "operator"
	ActorSystem   = "system"
)

// Write appends e to the log of the tenant whose namespace key is tenantKey.
func Write(ctx context.Context, db *database.DB, tenantKey string, e Entry) error {
	req := RequestFrom(ctx)
	kind, name := ActorSystem, ""
	var actor any
	if p := identity.FromContext(ctx); p != nil {
		kind, name, actor = ActorUser, p.Name, p.UserID
		switch {
		case p.Operator:
			kind = ActorOperator
		case p.APIKeyID != "":
			kind, name = ActorAPIKey, p.Name+" ("+p.APIKeyName+")"
		}
	}
	before, err := encode(e.Before)
	if err != nil {
		return err
	}
	after, err := encode(e.After)
	if err != nil {
		return err
	}
	table := db.Dialect.Table(tenantKey, metadata.TableAuditLog)
	now := metadata.BindValue(db.Dialect.Name(), sqldialect.KindDatetime, 0, time.Now().UTC())
	err = db.Conn(ctx).Exec(`INSERT INTO `+table+` (id, at, actor_id, actor_kind, actor_name, ip, client, request_id, action, object, record_id, summary, before, after)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		uuid.Must(uuid.NewV7()).String(), now, actor, kind, name, req.IP, truncate(req.Client, 300), req.RequestID,
		e.Action, e.Object, e.RecordID, truncate(e.Summary, 500), before, after).Error
	if err != nil {
		return fmt.Errorf("write audit entry %s: %w", e.Action, err)
	}
	return nil
}

func encode(v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	if raw, ok := v.(json.RawMessage); ok {
		return string(raw), nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode audit value: %w", err)
	}
	return string(b), nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	r := []rune(s)
	if len(r) > n {
		r = r[:n]
	}
	return string(r)
}
