package record

import (
	"context"
	"slices"

	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/metadata"
)

// Automation learns of each record write inside the write's transaction:
// the workflow engine enqueues its after-save runs there, so that a run
// exists exactly when the write committed.
type Automation interface {
	Saved(ctx context.Context, ev Event) error
	// Reads lists the fields of obj the automation reads from an event's
	// records, so that updates and deletes read them before they write.
	Reads(snap *metadata.Snapshot, obj *metadata.Object) []string
}

// Event kinds.
const (
	EventCreate = "create"
	EventUpdate = "update"
	EventDelete = "delete"
)

// Event is one write as automation sees it. Before is nil on create and
// After nil on delete; each holds at least the fields Reads named, the id
// and the owner.
type Event struct {
	Snapshot *metadata.Snapshot
	Object   *metadata.Object
	Kind     string
	ID       string
	Before   map[string]any
	After    map[string]any
	UserID   string
}

// Locker says whether a record is locked (waiting for approval): only
// admins and the engine's own work change it then.
type Locker interface {
	Locked(ctx context.Context, snap *metadata.Snapshot, obj *metadata.Object, id string) (bool, error)
}

// checkUnlocked refuses a member's change of a locked record.
func (s *Service) checkUnlocked(ctx context.Context, sc *scope, id string) error {
	if s.Locker == nil || sc.grant == nil || sc.grant.Admin {
		return nil
	}
	locked, err := s.Locker.Locked(ctx, sc.snap, sc.obj, id)
	if err != nil {
		return err
	}
	if locked {
		return problem.Conflict("record_locked", "this %s is waiting for approval and cannot be changed until it is decided or recalled", sc.obj.APIName)
	}
	return nil
}

type chainKey struct{}

// Chain is the workflow runs that led to a write ("workflow:record" keys),
// carried from a run into the writes its actions make, so that a workflow
// is not re-triggered by its own effects and chains stop at a depth.
type Chain []string

// WithChain returns ctx carrying chain.
func WithChain(ctx context.Context, chain Chain) context.Context {
	return context.WithValue(ctx, chainKey{}, chain)
}

// ChainOf returns the chain ctx carries (nil outside workflow runs).
func ChainOf(ctx context.Context) Chain {
	c, _ := ctx.Value(chainKey{}).(Chain)
	return c
}

// Has reports whether the chain already ran workflow on record.
func (c Chain) Has(workflow, record string) bool { return slices.Contains(c, workflow+":"+record) }

// With returns the chain extended by workflow on record.
func (c Chain) With(workflow, record string) Chain {
	return append(slices.Clone(c), workflow+":"+record)
}

func (s *Service) saved(ctx context.Context, sc *scope, kind, id string, before, after map[string]any) error {
	if s.Automation == nil {
		return nil
	}
	return s.Automation.Saved(ctx, Event{Snapshot: sc.snap, Object: sc.obj, Kind: kind, ID: id, Before: before, After: after, UserID: sc.user})
}

// automationReads are the fields automation reads of sc's object.
func (s *Service) automationReads(sc *scope) []string {
	if s.Automation == nil {
		return nil
	}
	return s.Automation.Reads(sc.snap, sc.obj)
}
