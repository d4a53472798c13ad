package metadata

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/robfig/cron/v3"

	"github.com/tessera-crm/tessera/internal/problem"
)

// Workflow trigger types.
const (
	TriggerBeforeSave   = "before_save"   // in the write, before it reaches the table
	TriggerAfterCreate  = "after_create"  // on the job queue, after the write commits
	TriggerAfterUpdate  = "after_update"  //
	TriggerAfterSave    = "after_save"    // after create or update
	TriggerAfterDelete  = "after_delete"  //
	TriggerFieldChanged = "field_changed" // after a save that changes a field (to a value)
	TriggerSchedule     = "schedule"      // cron, in the tenant's time zone, on the records a filter selects
	TriggerDateRelative = "date_relative" // a number of days before or after a date field
	TriggerManual       = "manual"        // a button on the record or the list
)

// Workflow action types.
const (
	ActionUpdateFields  = "update_fields"
	ActionCreateRecord  = "create_record"
	ActionNotify        = "notify"
	ActionEmail         = "email"
	ActionWebhook       = "webhook"
	ActionStartApproval = "start_approval"
	ActionPlugin        = "plugin"
	ActionAssignOwner   = "assign_owner"
)

// Limits on workflows.
const (
	MaxWorkflowsPerObject = 50
	MaxActionsPerWorkflow = 20
)

// Workflow is an automation on an object's records: when its trigger
// fires and its condition holds, its actions run in order.
type Workflow struct {
	APIName     string `json:"api_name"`
	Labels      Labels `json:"labels"`
	Description string `json:"description,omitempty"`
	Active      bool   `json:"active"`
	// Order places the workflow among those of the same trigger.
	Order   int     `json:"order"`
	Trigger Trigger `json:"trigger"`
	// Condition is an expression on the record (prior values and
	// is_changed() on saves); empty always holds.
	Condition string   `json:"condition,omitempty"`
	Actions   []Action `json:"actions"`
}

// Trigger says when a workflow runs.
type Trigger struct {
	Type string `json:"type"`
	// Field is the field watched (field_changed) or the date the run is
	// relative to (date_relative).
	Field string `json:"field,omitempty"`
	// To, for field_changed, is the value the field must change to
	// (as text; empty: any change).
	To string `json:"to,omitempty"`
	// OffsetDays, for date_relative: negative runs before the date.
	OffsetDays int `json:"offset_days,omitempty"`
	// OffsetMinutes moves a datetime further (a reminder 30 minutes
	// before a task is due: -30).
	OffsetMinutes int `json:"offset_minutes,omitempty"`
	// Hour of the day (0-23, tenant time zone) date-relative runs happen.
	Hour int `json:"hour,omitempty"`
	// Cron, for schedule: minute hour day month weekday, in the tenant's
	// time zone.
	Cron string `json:"cron,omitempty"`
	// Filter, for schedule, selects the records (list filter language).
	Filter string `json:"filter,omitempty"`
}

// Action is one step of a workflow. Values are expressions evaluated on
// the triggering record; Subject and Body are text templates whose {{…}}
// parts are expressions.
type Action struct {
	Type string `json:"type"`
	// update_fields: Target is "" for the record itself or a lookup field
	// of it for the record it points to.
	Target string `json:"target,omitempty"`
	// create_record: the object to create.
	Object string `json:"object,omitempty"`
	// Values maps field names to expressions (update_fields,
	// create_record).
	Values map[string]string `json:"values,omitempty"`
	// notify, email: recipients: "owner", "manager" (the owner's),
	// "creator", a user field of the record ("field:approver_id"), a user
	// id ("user:<id>") or a role ("role:<api_name>").
	To      []string `json:"to,omitempty"`
	Subject Labels   `json:"subject,omitempty"`
	Body    Labels   `json:"body,omitempty"`
	// webhook: where to POST the record, signed with the tenant's webhook
	// secret.
	URL string `json:"url,omitempty"`
	// start_approval: the approval process.
	Process string `json:"process,omitempty"`
	// assign_owner: To is the pool of users (role:<api name>, user:<id>),
	// taken in turn (round robin); MatchField narrows the pool to the
	// users whose department or team is named like the record's value of
	// that field (a region), when any is.
	MatchField string `json:"match_field,omitempty"`
	// plugin: the action's registered name and its parameters.
	Plugin string            `json:"plugin,omitempty"`
	Params map[string]string `json:"params,omitempty"`
}

// IsAsync reports whether the trigger runs on the job queue after the
// write commits (every trigger but before_save).
func (t Trigger) IsAsync() bool { return t.Type != TriggerBeforeSave }

// CronParser reads the five-field schedules of workflows.
var CronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// workflowExpressions lists a workflow's expressions for the checker.
func workflowExpressions(o *Object, w *Workflow, out []Expression) []Expression {
	base := "workflows." + w.APIName
	prior := w.Trigger.Type != TriggerSchedule && w.Trigger.Type != TriggerDateRelative && w.Trigger.Type != TriggerManual
	if w.Condition != "" {
		out = append(out, Expression{Path: base + ".condition", Source: w.Condition, Prior: prior})
	}
	if w.Trigger.Type == TriggerSchedule && w.Trigger.Filter != "" {
		out = append(out, Expression{Path: base + ".trigger.filter", Source: w.Trigger.Filter, Filter: true, On: o.APIName})
	}
	for i, a := range w.Actions {
		keys := make([]string, 0, len(a.Values))
		for k := range a.Values {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		target := o
		switch {
		case a.Type == ActionCreateRecord:
			target = nil
		case a.Target != "":
			target = nil
			if lf := o.Field(a.Target); lf != nil {
				target = objectByName(o, lf.Target)
			}
		}
		for _, k := range keys {
			e := Expression{Path: fmt.Sprintf("%s.actions[%d].values.%s", base, i, k), Source: a.Values[k], Prior: prior, Any: true}
			if target != nil {
				if f := target.Field(k); f != nil {
					e.Field, e.Any = f, false // typed as the field it sets
				}
			}
			out = append(out, e)
		}
		for _, tmpl := range []struct {
			name   string
			labels Labels
		}{{"subject", a.Subject}, {"body", a.Body}} {
			for _, locale := range []string{"en", "zh-CN"} {
				for j, part := range TemplateParts(tmpl.labels[locale]) {
					out = append(out, Expression{Path: fmt.Sprintf("%s.actions[%d].%s.%s[%d]", base, i, tmpl.name, locale, j), Source: part, Prior: prior, Any: true})
				}
			}
		}
	}
	return out
}

// TemplateParts returns the expressions of a text template's {{…}} parts.
func TemplateParts(tmpl string) []string {
	var out []string
	for {
		start := strings.Index(tmpl, "{{")
		if start < 0 {
			return out
		}
		end := strings.Index(tmpl[start:], "}}")
		if end < 0 {
			return out
		}
		out = append(out, strings.TrimSpace(tmpl[start+2:start+end]))
		tmpl = tmpl[start+end+2:]
	}
}

func checkWorkflow(o *Object, s *Snapshot, w *Workflow) []problem.FieldError {
	var errs []problem.FieldError
	add := func(field, code, format string, args ...any) {
		errs = append(errs, problem.FieldError{Field: field, Code: code, Message: fmt.Sprintf(format, args...)})
	}
	if msg := ValidateAPIName(w.APIName); msg != "" {
		add("api_name", problem.CodeInvalidValue, "api_name %s", msg)
	}
	errs = append(errs, checkLabels(w.Labels, "labels")...)
	if len(w.Condition) > MaxExpressionLength {
		add("condition", problem.CodeTooLong, "condition is at most %d bytes", MaxExpressionLength)
	}
	t := w.Trigger
	switch t.Type {
	case TriggerBeforeSave, TriggerAfterCreate, TriggerAfterUpdate, TriggerAfterSave, TriggerAfterDelete, TriggerManual:
	case TriggerFieldChanged:
		if f := o.Field(t.Field); f == nil || !f.Active {
			add("trigger.field", problem.CodeUnknownField, "%s has no active field %q", o.APIName, t.Field)
		}
	case TriggerDateRelative:
		if f := o.Field(t.Field); f == nil || !f.Active || (f.Type != TypeDate && f.Type != TypeDatetime) {
			add("trigger.field", problem.CodeInvalidValue, "trigger.field must be a date or datetime field of %s", o.APIName)
		}
		if t.OffsetDays < -3650 || t.OffsetDays > 3650 {
			add("trigger.offset_days", problem.CodeOutOfRange, "offset_days must be within ten years")
		}
		if t.Hour < 0 || t.Hour > 23 {
			add("trigger.hour", problem.CodeOutOfRange, "hour must be 0 to 23")
		}
		if t.OffsetMinutes < -10080 || t.OffsetMinutes > 10080 {
			add("trigger.offset_minutes", problem.CodeOutOfRange, "offset_minutes must be within a week")
		}
	case TriggerSchedule:
		if _, err := CronParser.Parse(t.Cron); err != nil || t.Cron == "" {
			add("trigger.cron", problem.CodeInvalidValue, "cron must be five fields (minute hour day month weekday), e.g. \"0 9 * * 1\"")
		}
	default:
		add("trigger.type", problem.CodeInvalidValue, "trigger.type must be one of before_save, after_create, after_update, after_save, after_delete, field_changed, schedule, date_relative, manual")
	}
	if len(w.Actions) == 0 {
		add("actions", problem.CodeRequired, "a workflow needs at least one action")
	}
	if len(w.Actions) > MaxActionsPerWorkflow {
		add("actions", problem.CodeLimitExceeded, "a workflow has at most %d actions", MaxActionsPerWorkflow)
	}
	for i, a := range w.Actions {
		errs = append(errs, checkAction(o, s, w, a, fmt.Sprintf("actions[%d].", i))...)
	}
	return errs
}

func checkAction(o *Object, s *Snapshot, w *Workflow, a Action, path string) []problem.FieldError {
	var errs []problem.FieldError
	add := func(field, code, format string, args ...any) {
		errs = append(errs, problem.FieldError{Field: path + field, Code: code, Message: fmt.Sprintf(format, args...)})
	}
	writable := func(target *Object) {
		if len(a.Values) == 0 {
			add("values", problem.CodeRequired, "values names the fields to set")
		}
		for name, src := range a.Values {
			f := target.Field(name)
			switch {
			case name == "owner_id":
			case f == nil || !f.Active:
				add("values."+name, problem.CodeUnknownField, "%s has no active field %q", target.APIName, name)
			case f.IsReadOnly():
				add("values."+name, problem.CodeReadOnly, "%s is computed and cannot be set", name)
			}
			if len(src) > MaxExpressionLength {
				add("values."+name, problem.CodeTooLong, "an expression is at most %d bytes", MaxExpressionLength)
			}
		}
	}
	if w.Trigger.Type == TriggerBeforeSave && a.Type != ActionUpdateFields {
		add("type", problem.CodeInvalidValue, "a before_save workflow can only update the record's own fields; use an after_save trigger for other actions")
	}
	switch a.Type {
	case ActionUpdateFields:
		target := o
		if a.Target != "" {
			lf := o.Field(a.Target)
			if lf == nil || lf.Type != TypeLookup || s.Object(lf.Target) == nil {
				add("target", problem.CodeInvalidValue, "target must be empty (this record) or a lookup field of %s", o.APIName)
				return errs
			}
			if w.Trigger.Type == TriggerBeforeSave {
				add("target", problem.CodeInvalidValue, "a before_save workflow can only update the record itself")
			}
			target = s.Object(lf.Target)
		}
		writable(target)
	case ActionCreateRecord:
		target := s.Object(a.Object)
		if target == nil {
			add("object", problem.CodeUnknownObject, "object %q does not exist", a.Object)
			return errs
		}
		writable(target)
	case ActionNotify, ActionEmail:
		if len(a.To) == 0 {
			add("to", problem.CodeRequired, "to names who is told")
		}
		for j, to := range a.To {
			if !validRecipient(o, to) {
				add(fmt.Sprintf("to[%d]", j), problem.CodeInvalidValue, "a recipient is owner, manager, creator, field:<user field>, user:<id> or role:<api name>")
			}
		}
		if a.Subject.Pick("en") == "" {
			add("subject", problem.CodeRequired, "a subject is required")
		}
	case ActionAssignOwner:
		if len(a.To) == 0 {
			add("to", problem.CodeRequired, "to names the users to assign in turn: role:<api name> or user:<id>")
		}
		for j, to := range a.To {
			if kind, _, _ := strings.Cut(to, ":"); kind != "role" && kind != "user" {
				add(fmt.Sprintf("to[%d]", j), problem.CodeInvalidValue, "the pool is made of role:<api name> and user:<id>")
			}
		}
		if a.MatchField != "" {
			if f := o.Field(a.MatchField); f == nil || !f.Active {
				add("match_field", problem.CodeUnknownField, "%s has no active field %q", o.APIName, a.MatchField)
			}
		}
	case ActionWebhook:
		u, err := url.Parse(a.URL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			add("url", problem.CodeInvalidValue, "url must be an absolute http(s) address")
		}
	case ActionStartApproval:
		if p := o.ApprovalProcess(a.Process); p == nil || !p.Active {
			add("process", problem.CodeInvalidValue, "%s has no active approval process %q", o.APIName, a.Process)
		}
	case ActionPlugin:
		// No plugin registers actions yet: no plugin can be named.
		add("plugin", problem.CodeInvalidValue, "no plugin action named %q is installed", a.Plugin)
	default:
		add("type", problem.CodeInvalidValue, "type must be update_fields, create_record, assign_owner, notify, email, webhook, start_approval or plugin")
	}
	return errs
}

func validRecipient(o *Object, to string) bool {
	switch to {
	case "owner", "manager", "creator":
		return true
	}
	kind, val, ok := strings.Cut(to, ":")
	if !ok || val == "" {
		return false
	}
	switch kind {
	case "field":
		f := o.Field(val)
		return f != nil && f.Type == TypeLookup && f.Target == "user"
	case "user", "role":
		return true
	}
	return false
}

var workflowItem = item[Workflow]{name: func(w *Workflow) string { return w.APIName }}

// PutWorkflow adds (create) or replaces a workflow; its expressions are
// compiled with the rest of the change.
func (s *Service) PutWorkflow(ctx context.Context, tenantID, object string, w Workflow, create bool) (*Snapshot, error) {
	return s.apply(ctx, tenantID, func(cs *changeSet) error {
		o := cs.mutable(object)
		if o == nil {
			return problem.UnknownObject(object)
		}
		if create && len(o.Workflows) >= MaxWorkflowsPerObject {
			return problem.Unprocessable(problem.CodeLimitExceeded, "%s has %d workflows, the most an object may have", object, MaxWorkflowsPerObject)
		}
		for _, e := range workflowExpressions(o, &w, nil) {
			cs.focus[object+"."+e.Path] = strings.TrimPrefix(e.Path, "workflows."+w.APIName+".")
		}
		return putNamed(&o.Workflows, w, workflowItem, create, "workflow", func(w *Workflow) error {
			return invalid(checkWorkflow(o, cs.next(), w))
		})
	})
}

// DeleteWorkflow removes a workflow.
func (s *Service) DeleteWorkflow(ctx context.Context, tenantID, object, name string) (*Snapshot, error) {
	return s.apply(ctx, tenantID, func(cs *changeSet) error {
		o := cs.mutable(object)
		if o == nil {
			return problem.UnknownObject(object)
		}
		return deleteNamed(&o.Workflows, name, workflowItem, object, "workflow")
	})
}

// objectByName finds a lookup's target for typing action values: the
// object itself for self-lookups, else none (values into other objects
// are converted when they run).
func objectByName(o *Object, name string) *Object {
	if o.APIName == name {
		return o
	}
	return nil
}
