package metadata

import (
	"context"
	"fmt"
	"strings"

	"github.com/tessera-crm/tessera/internal/problem"
)

// Approval step modes: the first answer decides, or every approver must
// approve (one rejection rejects).
const (
	ApprovalAny = "any"
	ApprovalAll = "all"
)

// Limits on approval processes.
const (
	MaxApprovalProcesses = 20
	MaxApprovalSteps     = 10
)

// ApprovalProcess routes a submitted record through steps of approvers.
// While it is pending the record is locked: only admins change it.
type ApprovalProcess struct {
	APIName     string `json:"api_name"`
	Labels      Labels `json:"labels"`
	Description string `json:"description,omitempty"`
	Active      bool   `json:"active"`
	// EntryCriteria must hold for a record to be submitted (empty: any).
	EntryCriteria string         `json:"entry_criteria,omitempty"`
	Steps         []ApprovalStep `json:"steps"`
	// OnApprove and OnReject run when the process ends that way, in the
	// deciding transaction (the actions of workflows).
	OnApprove []Action `json:"on_approve,omitempty"`
	OnReject  []Action `json:"on_reject,omitempty"`
}

// ApprovalStep is one stage. Steps run in order; within a step the
// approvers are asked together.
type ApprovalStep struct {
	Name   string `json:"name"`
	Labels Labels `json:"labels"`
	// Approvers: "manager" (the submitter's), "user:<id>", "role:<api
	// name>" (everyone in the role; with mode any it is a queue).
	Approvers []string `json:"approvers"`
	Mode      string   `json:"mode"`
	// Condition, when set, makes the step apply only to records meeting
	// it ("discount > 20": the director's step).
	Condition string `json:"condition,omitempty"`
}

// approvalExpressions lists a process's expressions for the checker.
func approvalExpressions(o *Object, p *ApprovalProcess, out []Expression) []Expression {
	base := "approval_processes." + p.APIName
	if p.EntryCriteria != "" {
		out = append(out, Expression{Path: base + ".entry_criteria", Source: p.EntryCriteria})
	}
	for i, st := range p.Steps {
		if st.Condition != "" {
			out = append(out, Expression{Path: fmt.Sprintf("%s.steps[%d].condition", base, i), Source: st.Condition})
		}
	}
	pseudo := &Workflow{APIName: base, Trigger: Trigger{Type: TriggerManual}, Actions: append(append([]Action(nil), p.OnApprove...), p.OnReject...)}
	for _, e := range workflowExpressions(o, pseudo, nil) {
		e.Path = strings.Replace(e.Path, "workflows."+base+".", base+".", 1)
		out = append(out, e)
	}
	return out
}

func checkApprovalProcess(o *Object, s *Snapshot, p *ApprovalProcess) []problem.FieldError {
	var errs []problem.FieldError
	add := func(field, code, format string, args ...any) {
		errs = append(errs, problem.FieldError{Field: field, Code: code, Message: fmt.Sprintf(format, args...)})
	}
	if msg := ValidateAPIName(p.APIName); msg != "" {
		add("api_name", problem.CodeInvalidValue, "api_name %s", msg)
	}
	errs = append(errs, checkLabels(p.Labels, "labels")...)
	if len(p.Steps) == 0 {
		add("steps", problem.CodeRequired, "a process needs at least one step")
	}
	if len(p.Steps) > MaxApprovalSteps {
		add("steps", problem.CodeLimitExceeded, "a process has at most %d steps", MaxApprovalSteps)
	}
	seen := map[string]bool{}
	for i, st := range p.Steps {
		path := fmt.Sprintf("steps[%d].", i)
		if msg := ValidateAPIName(st.Name); msg != "" {
			add(path+"name", problem.CodeInvalidValue, "name %s", msg)
		} else if seen[st.Name] {
			add(path+"name", problem.CodeConflict, "two steps are named %q", st.Name)
		}
		seen[st.Name] = true
		if st.Mode != ApprovalAny && st.Mode != ApprovalAll {
			add(path+"mode", problem.CodeInvalidValue, "mode must be any (the first answer decides) or all (everyone must approve)")
		}
		if len(st.Approvers) == 0 {
			add(path+"approvers", problem.CodeRequired, "a step needs approvers")
		}
		for j, a := range st.Approvers {
			kind, val, _ := strings.Cut(a, ":")
			if a != "manager" && !((kind == "user" || kind == "role") && val != "") {
				add(fmt.Sprintf("%sapprovers[%d]", path, j), problem.CodeInvalidValue, "an approver is manager, user:<id> or role:<api name>")
			}
		}
		if len(st.Condition) > MaxExpressionLength {
			add(path+"condition", problem.CodeTooLong, "condition is at most %d bytes", MaxExpressionLength)
		}
	}
	pseudo := &Workflow{APIName: p.APIName, Trigger: Trigger{Type: TriggerAfterSave}}
	for i, a := range p.OnApprove {
		if a.Type == ActionStartApproval {
			add(fmt.Sprintf("on_approve[%d].type", i), problem.CodeInvalidValue, "an approval's outcome cannot start another approval")
			continue
		}
		errs = append(errs, checkAction(o, s, pseudo, a, fmt.Sprintf("on_approve[%d].", i))...)
	}
	for i, a := range p.OnReject {
		if a.Type == ActionStartApproval {
			add(fmt.Sprintf("on_reject[%d].type", i), problem.CodeInvalidValue, "an approval's outcome cannot start another approval")
			continue
		}
		errs = append(errs, checkAction(o, s, pseudo, a, fmt.Sprintf("on_reject[%d].", i))...)
	}
	return errs
}

// ApprovalProcess returns the object's process with the given name.
func (o *Object) ApprovalProcess(name string) *ApprovalProcess {
	for i := range o.ApprovalProcesses {
		if o.ApprovalProcesses[i].APIName == name {
			return &o.ApprovalProcesses[i]
		}
	}
	return nil
}

var approvalItem = item[ApprovalProcess]{name: func(p *ApprovalProcess) string { return p.APIName }}

// PutApprovalProcess adds (create) or replaces an approval process.
func (s *Service) PutApprovalProcess(ctx context.Context, tenantID, object string, p ApprovalProcess, create bool) (*Snapshot, error) {
	return s.apply(ctx, tenantID, func(cs *changeSet) error {
		o := cs.mutable(object)
		if o == nil {
			return problem.UnknownObject(object)
		}
		if create && len(o.ApprovalProcesses) >= MaxApprovalProcesses {
			return problem.Unprocessable(problem.CodeLimitExceeded, "%s has %d approval processes, the most an object may have", object, MaxApprovalProcesses)
		}
		for _, e := range approvalExpressions(o, &p, nil) {
			cs.focus[object+"."+e.Path] = strings.TrimPrefix(e.Path, "approval_processes."+p.APIName+".")
		}
		return putNamed(&o.ApprovalProcesses, p, approvalItem, create, "approval process", func(p *ApprovalProcess) error {
			return invalid(checkApprovalProcess(o, cs.next(), p))
		})
	})
}

// DeleteApprovalProcess removes a process; one named by a workflow's
// start_approval action cannot be deleted.
func (s *Service) DeleteApprovalProcess(ctx context.Context, tenantID, object, name string) (*Snapshot, error) {
	return s.apply(ctx, tenantID, func(cs *changeSet) error {
		o := cs.mutable(object)
		if o == nil {
			return problem.UnknownObject(object)
		}
		for _, w := range o.Workflows {
			for _, a := range w.Actions {
				if a.Type == ActionStartApproval && a.Process == name {
					return problem.Conflict(problem.CodeReferenced, "the workflow %s starts %s; change it first", w.APIName, name)
				}
			}
		}
		return deleteNamed(&o.ApprovalProcesses, name, approvalItem, object, "approval process")
	})
}
