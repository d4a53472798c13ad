// Package workflow runs tenants' workflows. Saves tell it of each write
// inside the write's transaction (record.Automation): it evaluates the
// conditions of the after-save workflows there, with the record's prior
// values, and enqueues a run for each that holds, in the same transaction.
// Runs execute on the durable job queue (internal/jobs): their database
// effects, their execution log entry and the job's completion commit
// together, so a run happens once even across a crash; webhooks and emails
// go out as jobs of their own, retried with backoff.
package workflow

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/riverqueue/river"

	"github.com/tessera-crm/tessera/engine/expression"
	"github.com/tessera-crm/tessera/engine/record"
	"github.com/tessera-crm/tessera/internal/access"
	"github.com/tessera-crm/tessera/internal/database"
	"github.com/tessera-crm/tessera/internal/identity"
	"github.com/tessera-crm/tessera/internal/jobs"
	"github.com/tessera-crm/tessera/metadata"
)

// MaxDepth bounds chains of workflows triggered by other workflows'
// writes.
const MaxDepth = 5

// Snapshots gives a tenant's current metadata.
type Snapshots interface {
	Get(ctx context.Context, tenantID string) (*metadata.Snapshot, error)
}

// Secrets gives a tenant's webhook signing secret.
type Secrets interface {
	WebhookSecret(ctx context.Context, tenantID string) (string, error)
}

// Mailer sends an email; see mail.go.
type Mailer interface {
	Send(ctx context.Context, m Mail) error
}

// Engine evaluates and runs workflows.
type Engine struct {
	db        *database.DB
	records   *record.Service
	queue     *jobs.Queue
	snapshots Snapshots
	secrets   Secrets
	mailer    Mailer
	http      *http.Client
	now       func() time.Time
	log       *slog.Logger
}

// Options are the engine's collaborators beyond the database.
type Options struct {
	Records   *record.Service
	Queue     *jobs.Queue
	Snapshots Snapshots
	Secrets   Secrets
	Mailer    Mailer
	// HTTPClient sends webhooks (default: 10 s timeout, refusing private
	// addresses unless AllowPrivateWebhooks).
	HTTPClient *http.Client
	// AllowPrivateWebhooks lets webhooks reach loopback, private and
	// link-local addresses: for a single-company installation whose
	// receivers are on its own network. Off, a tenant admin cannot make
	// the server call its neighbours (the cloud metadata service, Redis).
	AllowPrivateWebhooks bool
	Logger               *slog.Logger
}

// New returns the engine and registers its workers on the queue.
func New(db *database.DB, opts Options) (*Engine, error) {
	e := &Engine{db: db, records: opts.Records, queue: opts.Queue, snapshots: opts.Snapshots, secrets: opts.Secrets, mailer: opts.Mailer,
		http: opts.HTTPClient, now: func() time.Time { return time.Now().UTC() }, log: opts.Logger}
	if e.http == nil {
		e.http = webhookClient(opts.AllowPrivateWebhooks)
	}
	if e.log == nil {
		e.log = slog.Default()
	}
	if e.mailer == nil {
		e.mailer = logMailer{log: e.log}
	}
	for _, err := range []error{
		jobs.Register(opts.Queue, &runWorker{e: e}),
		jobs.Register(opts.Queue, &webhookWorker{e: e}),
		jobs.Register(opts.Queue, &emailWorker{e: e}),
		e.registerSchedules(),
	} {
		if err != nil {
			return nil, err
		}
	}
	return e, nil
}

// compiled is a workflow with its condition compiled.
type compiled struct {
	w         *metadata.Workflow
	condition *expression.Program // nil: always
}

type workflowsKey struct{}

// workflows returns obj's active workflows that run after a write or on a
// date, in order.
func (e *Engine) workflows(snap *metadata.Snapshot, obj *metadata.Object) []*compiled {
	return obj.Memo(workflowsKey{}, func() any {
		var out []*compiled
		for i := range obj.Workflows {
			w := &obj.Workflows[i]
			if !w.Active || !w.Trigger.IsAsync() {
				continue
			}
			c := &compiled{w: w}
			if w.Condition != "" {
				p, err := expression.Compile(w.Condition, record.CheckEnv(snap, obj, metadata.Expression{Source: w.Condition, Prior: onSave(w.Trigger)}))
				if err != nil {
					e.log.Warn("skipping a workflow whose condition does not compile", "tenant", snap.Tenant.Key, "object", obj.APIName, "workflow", w.APIName, "err", err)
					continue
				}
				c.condition = p
			}
			out = append(out, c)
		}
		slices.SortStableFunc(out, func(a, b *compiled) int { return a.w.Order - b.w.Order })
		return out
	}).([]*compiled)
}

// onSave reports triggers that fire from a save, whose conditions see
// prior values.
func onSave(t metadata.Trigger) bool {
	switch t.Type {
	case metadata.TriggerAfterCreate, metadata.TriggerAfterUpdate, metadata.TriggerAfterSave, metadata.TriggerAfterDelete, metadata.TriggerFieldChanged:
		return true
	}
	return false
}

// Reads lists the fields saves must read for the workflows of obj: what
// their conditions read and the fields their triggers watch.
func (e *Engine) Reads(snap *metadata.Snapshot, obj *metadata.Object) []string {
	var out []string
	add := func(names ...string) {
		for _, n := range names {
			if n != "" && !slices.Contains(out, n) {
				out = append(out, n)
			}
		}
	}
	for _, c := range e.workflows(snap, obj) {
		add(c.w.Trigger.Field)
		if c.condition != nil {
			add(c.condition.Fields...)
		}
	}
	return out
}

// Saved is told of a write inside its transaction and enqueues the runs
// of the workflows it triggers there.
func (e *Engine) Saved(ctx context.Context, ev record.Event) error {
	chain := record.ChainOf(ctx)
	for _, c := range e.workflows(ev.Snapshot, ev.Object) {
		t := c.w.Trigger
		if t.Type == metadata.TriggerDateRelative {
			if ev.Kind != record.EventDelete {
				if err := e.scheduleDate(ctx, ev, c.w); err != nil {
					return err
				}
			}
			continue
		}
		if !fires(t, ev) {
			continue
		}
		if chain.Has(c.w.APIName, ev.ID) || len(chain) >= MaxDepth {
			e.log.Info("workflow not triggered again by its own chain", "tenant", ev.Snapshot.Tenant.Key, "object", ev.Object.APIName,
				"workflow", c.w.APIName, "record", ev.ID, "depth", len(chain))
			continue
		}
		cur, prior := ev.After, ev.Before
		if ev.Kind == record.EventDelete {
			cur, prior = ev.Before, nil
		}
		if c.condition != nil {
			ok, err := e.holds(ctx, ev.Snapshot, ev.Object, c.condition, cur, prior)
			if err != nil {
				e.log.Warn("workflow condition could not be evaluated", "tenant", ev.Snapshot.Tenant.Key, "workflow", c.w.APIName, "record", ev.ID, "err", err)
			}
			if !ok {
				continue
			}
		}
		args := RunArgs{TenantID: ev.Snapshot.Tenant.ID, Object: ev.Object.APIName, Workflow: c.w.APIName, RecordID: ev.ID, Trigger: ev.Kind, Chain: chain.With(c.w.APIName, ev.ID)}
		if _, err := e.queue.Enqueue(ctx, args, &river.InsertOpts{MaxAttempts: maxRunAttempts}); err != nil {
			return fmt.Errorf("enqueue workflow %s: %w", c.w.APIName, err)
		}
	}
	return nil
}

// holds evaluates a condition on a record (with its prior values on an
// update), reading the records its lookup paths follow.
func (e *Engine) holds(ctx context.Context, snap *metadata.Snapshot, obj *metadata.Object, p *expression.Program, rec, prior map[string]any) (bool, error) {
	related, err := e.records.Related(ctx, snap, obj, p.Related, rec)
	if err != nil {
		return false, err
	}
	return p.Bool(expression.Vars(&expression.Input{Record: rec, Prior: prior, Related: related, User: userOf(ctx), Now: e.now()}, p))
}

// userOf is $user for the request ctx carries: the user whose write
// triggered a condition (blank in runs, which act on their own).
func userOf(ctx context.Context) expression.User {
	p := identity.FromContext(ctx)
	if p == nil || p.Operator {
		return expression.User{}
	}
	u := expression.User{ID: p.UserID, Email: p.Email, Name: p.Name}
	if g := access.FromContext(ctx); g != nil {
		u.Role, u.Team, u.Manager = g.Profile()
	}
	return u
}

// fires reports whether a save of kind ev.Kind meets trigger t.
func fires(t metadata.Trigger, ev record.Event) bool {
	switch t.Type {
	case metadata.TriggerAfterCreate:
		return ev.Kind == record.EventCreate
	case metadata.TriggerAfterUpdate:
		return ev.Kind == record.EventUpdate
	case metadata.TriggerAfterSave:
		return ev.Kind == record.EventCreate || ev.Kind == record.EventUpdate
	case metadata.TriggerAfterDelete:
		return ev.Kind == record.EventDelete
	case metadata.TriggerFieldChanged:
		f := ev.Object.Field(t.Field)
		if ev.Kind == record.EventDelete || f == nil {
			return false
		}
		now := ev.After[t.Field]
		if ev.Kind == record.EventCreate {
			if expression.IsBlank(expression.FieldValue(f, now)) {
				return false
			}
		} else if expression.SameFieldValue(f, ev.Before[t.Field], now) {
			return false
		}
		return t.To == "" || expression.SameFieldValue(f, t.To, now)
	}
	return false
}

// findWorkflow returns the object and its workflow of that name; either is
// nil when the metadata no longer has it.
func findWorkflow(snap *metadata.Snapshot, object, name string) (*metadata.Object, *metadata.Workflow) {
	obj := snap.Object(object)
	if obj == nil {
		return nil, nil
	}
	for i := range obj.Workflows {
		if obj.Workflows[i].APIName == name {
			return obj, &obj.Workflows[i]
		}
	}
	return obj, nil
}
