package workflow

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"

	"github.com/tessera-crm/tessera/engine/expression"
	"github.com/tessera-crm/tessera/engine/record"
	"github.com/tessera-crm/tessera/internal/database"
	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/internal/sqldialect"
	"github.com/tessera-crm/tessera/metadata"
)

func bindTime(db *database.DB, t time.Time) any {
	return metadata.BindValue(db.Dialect.Name(), sqldialect.KindDatetime, 0, t)
}

// act runs one action of a run inside the run's transaction.
// origin is what started a set of actions: a workflow run (its job) or an
// approval's outcome.
type origin struct {
	name    string // workflow.<name> or approval.<name>
	trigger string
	jobID   int64
}

func (e *Engine) act(ctx context.Context, snap *metadata.Snapshot, obj *metadata.Object, wf *metadata.Workflow, a metadata.Action, rec record.Record, from origin) (outcome, error) {
	out := outcome{Type: a.Type, Status: StatusSucceeded}
	switch a.Type {
	case metadata.ActionUpdateFields:
		target, id := obj, fmt.Sprint(rec["id"])
		if a.Target != "" {
			lf := obj.Field(a.Target)
			target = snap.Object(lf.Target)
			related, _ := rec[a.Target].(string)
			if related == "" {
				out.Status, out.Detail = StatusSkipped, a.Target+" is blank: no related record to update"
				return out, nil
			}
			id = related
		}
		values, err := e.values(ctx, snap, obj, target, a.Values, rec)
		if err != nil {
			return out, err
		}
		updated, err := e.records.Update(ctx, snap, target.APIName, id, values, nil)
		if err != nil {
			return out, err
		}
		out.Output = map[string]any{"object": target.APIName, "id": id, "values": values, "version": updated["version"]}
	case metadata.ActionCreateRecord:
		target := snap.Object(a.Object)
		if target == nil {
			return out, problem.UnknownObject(a.Object)
		}
		values, err := e.values(ctx, snap, obj, target, a.Values, rec)
		if err != nil {
			return out, err
		}
		if _, given := values["owner_id"]; !given && rec["owner_id"] != nil {
			values["owner_id"] = rec["owner_id"] // the triggering record's owner
		}
		created, err := e.records.Create(ctx, snap, target.APIName, values)
		if err != nil {
			return out, err
		}
		out.Output = map[string]any{"object": target.APIName, "id": created["id"]}
	case metadata.ActionNotify:
		users, err := e.recipients(ctx, snap, a.To, rec)
		if err != nil {
			return out, err
		}
		title, body, err := e.render(ctx, snap, obj, a, rec)
		if err != nil {
			return out, err
		}
		if err := e.notify(ctx, snap, users, title, body, obj.APIName, fmt.Sprint(rec["id"]), strings.Replace(from.name, ".", ":", 1)); err != nil {
			return out, err
		}
		out.Output = map[string]any{"recipients": users, "title": title}
	case metadata.ActionEmail:
		users, err := e.recipients(ctx, snap, a.To, rec)
		if err != nil {
			return out, err
		}
		title, body, err := e.render(ctx, snap, obj, a, rec)
		if err != nil {
			return out, err
		}
		addrs, err := e.emails(ctx, snap, users)
		if err != nil {
			return out, err
		}
		if len(addrs) == 0 {
			out.Status, out.Detail = StatusSkipped, "no recipient has an email address"
			return out, nil
		}
		res, err := e.queue.Enqueue(ctx, EmailArgs{TenantID: snap.Tenant.ID, To: addrs, Subject: title, Body: body}, &river.InsertOpts{MaxAttempts: 10})
		if err != nil {
			return out, err
		}
		out.Output = map[string]any{"to": addrs, "subject": title, "job_id": res.Job.ID}
	case metadata.ActionWebhook:
		payload := map[string]any{"event": from.name, "tenant": snap.Tenant.Key, "object": obj.APIName, "trigger": from.trigger,
			"run_job_id": from.jobID, "record": rec}
		res, err := e.queue.Enqueue(ctx, WebhookArgs{TenantID: snap.Tenant.ID, URL: a.URL, Event: from.name, Payload: payload}, &river.InsertOpts{MaxAttempts: 10})
		if err != nil {
			return out, err
		}
		out.Output = map[string]any{"url": a.URL, "job_id": res.Job.ID}
	case metadata.ActionAssignOwner:
		owner, detail, err := e.nextOwner(ctx, snap, obj, wf, a, rec)
		if err != nil {
			return out, err
		}
		if owner == "" {
			out.Status, out.Detail = StatusSkipped, detail
			return out, nil
		}
		if _, err := e.records.Update(ctx, snap, obj.APIName, fmt.Sprint(rec["id"]), map[string]any{"owner_id": owner}, nil); err != nil {
			return out, err
		}
		rec["owner_id"] = owner // later actions (notify owner) see the new owner
		out.Output, out.Detail = map[string]any{"owner_id": owner}, detail
	case metadata.ActionStartApproval:
		owner, _ := rec["owner_id"].(string)
		ap, err := e.submit(ctx, snap, obj, fmt.Sprint(rec["id"]), a.Process, "", owner)
		if err != nil {
			return out, err
		}
		out.Output = map[string]any{"approval_id": ap.ID, "status": ap.Status}
	case metadata.ActionPlugin:
		return out, problem.Unprocessable("not_available", "no plugin action named %q is installed", a.Plugin)
	default:
		return out, problem.Unprocessable("not_available", "unknown action %q", a.Type)
	}
	return out, nil
}

// values evaluates an action's field expressions on the triggering record
// and returns them in the API's form, as input to a write on target.
func (e *Engine) values(ctx context.Context, snap *metadata.Snapshot, obj, target *metadata.Object, exprs map[string]string, rec record.Record) (map[string]any, error) {
	names := make([]string, 0, len(exprs))
	for k := range exprs {
		names = append(names, k)
	}
	slices.Sort(names)
	out := make(map[string]any, len(names))
	for _, name := range names {
		ex := metadata.Expression{Source: exprs[name], Any: true}
		if f := target.Field(name); f != nil && target == obj {
			ex.Field, ex.Any = f, false
		}
		p, err := expression.Compile(exprs[name], record.CheckEnv(snap, obj, ex))
		if err != nil {
			return nil, err
		}
		v, err := e.evaluate(ctx, snap, obj, p, rec)
		if err != nil {
			return nil, problem.Unprocessable(problem.CodeInvalidExpression, "the value of %s could not be computed: %v", name, err)
		}
		if f := target.Field(name); f != nil {
			if v, err = expression.Canonical(f, v, location(snap)); err != nil {
				return nil, problem.Unprocessable(problem.CodeInvalidValue, "the value computed for %s does not fit it: %v", name, err)
			}
		}
		out[name] = expression.JSON(v)
	}
	return out, nil
}

func (e *Engine) evaluate(ctx context.Context, snap *metadata.Snapshot, obj *metadata.Object, p *expression.Program, rec record.Record) (any, error) {
	related, err := e.records.Related(ctx, snap, obj, p.Related, rec)
	if err != nil {
		return nil, err
	}
	return p.Run(expression.Vars(&expression.Input{Record: rec, Related: related, Now: e.now()}, p))
}

// render fills the action's subject and body templates in the tenant's
// language: each {{expression}} is replaced by its value as text.
func (e *Engine) render(ctx context.Context, snap *metadata.Snapshot, obj *metadata.Object, a metadata.Action, rec record.Record) (string, string, error) {
	fill := func(tmpl string) (string, error) {
		var b strings.Builder
		for {
			start := strings.Index(tmpl, "{{")
			end := strings.Index(tmpl, "}}")
			if start < 0 || end < start {
				b.WriteString(tmpl)
				return b.String(), nil
			}
			b.WriteString(tmpl[:start])
			src := strings.TrimSpace(tmpl[start+2 : end])
			p, err := expression.Compile(src, record.CheckEnv(snap, obj, metadata.Expression{Source: src, Any: true}))
			if err != nil {
				return "", err
			}
			v, err := e.evaluate(ctx, snap, obj, p, rec)
			if err != nil {
				v = nil // a part that cannot be computed shows blank
			}
			b.WriteString(expression.AsText(v, location(snap)))
			tmpl = tmpl[end+2:]
		}
	}
	locale := snap.Tenant.Locale
	title, err := fill(a.Subject.Pick(locale))
	if err != nil {
		return "", "", err
	}
	body, err := fill(a.Body.Pick(locale))
	return title, body, err
}

func location(snap *metadata.Snapshot) *time.Location {
	return snap.Location()
}

// recipients resolves an action's "to" into user ids of the tenant.
func (e *Engine) recipients(ctx context.Context, snap *metadata.Snapshot, to []string, rec record.Record) ([]string, error) {
	var out []string
	add := func(ids ...string) {
		for _, id := range ids {
			if id != "" && id != "<nil>" && !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	conn := e.db.Conn(ctx)
	for _, r := range to {
		kind, val, _ := strings.Cut(r, ":")
		switch kind {
		case "owner":
			add(fmt.Sprint(rec["owner_id"]))
		case "creator":
			add(fmt.Sprint(rec["created_by"]))
		case "manager":
			var ids []string
			if err := conn.Raw(`SELECT manager_id FROM users WHERE tenant_id = ? AND id = ? AND manager_id IS NOT NULL`, snap.Tenant.ID, fmt.Sprint(rec["owner_id"])).Scan(&ids).Error; err != nil {
				return nil, fmt.Errorf("manager of %v: %w", rec["owner_id"], err)
			}
			add(ids...)
		case "field":
			add(fmt.Sprint(rec[val]))
		case "user":
			add(val)
		case "role":
			var ids []string
			if err := conn.Raw(`SELECT u.id FROM users u JOIN roles r ON r.id = u.role_id WHERE u.tenant_id = ? AND r.tenant_id = ? AND r.api_name = ? AND u.status = 'active'`,
				snap.Tenant.ID, snap.Tenant.ID, val).Scan(&ids).Error; err != nil {
				return nil, fmt.Errorf("users of role %s: %w", val, err)
			}
			add(ids...)
		}
	}
	// Only active users of this tenant are told.
	if len(out) == 0 {
		return out, nil
	}
	var active []string
	q := fmt.Sprintf(`SELECT id FROM users WHERE tenant_id = ? AND status = 'active' AND id IN (%s) ORDER BY id`, strings.TrimSuffix(strings.Repeat("?, ", len(out)), ", "))
	args := []any{snap.Tenant.ID}
	for _, id := range out {
		if _, err := uuid.Parse(id); err == nil {
			args = append(args, id)
		} else {
			args = append(args, uuid.Nil.String())
		}
	}
	if err := conn.Raw(q, args...).Scan(&active).Error; err != nil {
		return nil, fmt.Errorf("recipients: %w", err)
	}
	return active, nil
}

func (e *Engine) emails(ctx context.Context, snap *metadata.Snapshot, users []string) ([]string, error) {
	if len(users) == 0 {
		return nil, nil
	}
	var out []string
	q := fmt.Sprintf(`SELECT email FROM users WHERE tenant_id = ? AND id IN (%s) ORDER BY email`, strings.TrimSuffix(strings.Repeat("?, ", len(users)), ", "))
	args := []any{snap.Tenant.ID}
	for _, u := range users {
		args = append(args, u)
	}
	if err := e.db.Conn(ctx).Raw(q, args...).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("emails of recipients: %w", err)
	}
	return out, nil
}

// nextOwner takes the next user of an assign_owner action's pool in turn.
// The turn is a counter in the tenant's sequences, one per workflow and
// matched value, taken in the run's transaction: concurrent runs get
// consecutive turns.
func (e *Engine) nextOwner(ctx context.Context, snap *metadata.Snapshot, obj *metadata.Object, wf *metadata.Workflow, a metadata.Action, rec record.Record) (string, string, error) {
	pool, err := e.recipients(ctx, snap, a.To, rec)
	if err != nil {
		return "", "", err
	}
	key := obj.APIName + "." + wf.APIName
	detail := "round robin over " + strings.Join(a.To, ", ")
	if a.MatchField != "" {
		value := fmt.Sprint(rec[a.MatchField])
		names := []string{value}
		if f := obj.Field(a.MatchField); f != nil {
			if o := f.Option(value); o != nil {
				for _, l := range o.Labels {
					names = append(names, l)
				}
			}
		}
		matched, err := e.usersInUnits(ctx, snap, pool, names)
		if err != nil {
			return "", "", err
		}
		if len(matched) > 0 {
			pool, key = matched, key+":"+value
			detail += " in the team of " + value
		} else {
			detail += " (no team named " + value + ": the whole pool)"
		}
	}
	if len(pool) == 0 {
		return "", "no active user in the pool", nil
	}
	ddl := metadata.DDL{D: e.db.Dialect, Key: snap.Tenant.Key}
	var n int64
	q := fmt.Sprintf(`INSERT INTO %s AS s (name, value) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET value = s.value + 1 RETURNING value`, ddl.D.Table(ddl.Key, metadata.TableSequences))
	if err := e.db.Conn(ctx).Raw(q, "assign:"+key).Scan(&n).Error; err != nil {
		return "", "", fmt.Errorf("assignment turn: %w", err)
	}
	return pool[(n-1)%int64(len(pool))], detail, nil
}

// usersInUnits keeps the users of pool whose org unit is named one of
// names, in id order.
func (e *Engine) usersInUnits(ctx context.Context, snap *metadata.Snapshot, pool, names []string) ([]string, error) {
	if len(pool) == 0 || len(names) == 0 {
		return nil, nil
	}
	q := fmt.Sprintf(`SELECT u.id FROM users u JOIN org_units o ON o.id = u.unit_id WHERE u.tenant_id = ? AND o.tenant_id = ? AND u.id IN (%s) AND o.name IN (%s) ORDER BY u.id`,
		strings.TrimSuffix(strings.Repeat("?, ", len(pool)), ", "), strings.TrimSuffix(strings.Repeat("?, ", len(names)), ", "))
	args := []any{snap.Tenant.ID, snap.Tenant.ID}
	for _, p := range pool {
		args = append(args, p)
	}
	for _, n := range names {
		args = append(args, n)
	}
	var out []string
	if err := e.db.Conn(ctx).Raw(q, args...).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("users of the team: %w", err)
	}
	return out, nil
}
