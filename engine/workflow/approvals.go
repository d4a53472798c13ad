package workflow

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/tessera-crm/tessera/engine/expression"
	"github.com/tessera-crm/tessera/engine/record"
	"github.com/tessera-crm/tessera/internal/database"
	"github.com/tessera-crm/tessera/internal/identity"
	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/internal/sqldialect"
	"github.com/tessera-crm/tessera/metadata"
)

// Approval statuses; tasks add approved, rejected, reassigned, skipped.
const (
	ApprovalPending  = "pending"
	ApprovalApproved = "approved"
	ApprovalRejected = "rejected"
	ApprovalRecalled = "recalled"
	taskPending      = "pending"
	taskSkipped      = "skipped"
	taskReassigned   = "reassigned"
)

// Approval is a submitted approval with its tasks.
type Approval struct {
	ID          string  `json:"id"`
	Object      string  `json:"object"`
	RecordID    string  `json:"record_id"`
	Process     string  `json:"process"`
	Status      string  `json:"status"`
	Step        int64   `json:"step"`
	SubmittedBy *string `json:"submitted_by"`
	SubmittedAt any     `json:"submitted_at"`
	DecidedAt   any     `json:"decided_at"`
	Comment     string  `json:"comment"`
	Tasks       []Task  `json:"tasks"`
}

// Task is one approver's part in a step.
type Task struct {
	ID         string `json:"id"`
	ApprovalID string `json:"approval_id"`
	Step       int64  `json:"step"`
	ApproverID string `json:"approver_id"`
	Status     string `json:"status"`
	Comment    string `json:"comment"`
	CreatedAt  any    `json:"created_at"`
	DecidedAt  any    `json:"decided_at"`
}

func (e *Engine) tables(snap *metadata.Snapshot) (approvals, tasks string) {
	return e.db.Dialect.Table(snap.Tenant.Key, metadata.TableApprovals), e.db.Dialect.Table(snap.Tenant.Key, metadata.TableApprovalTasks)
}

// submit starts process on a record in the caller's transaction: the
// entry criteria must hold and no other approval of the record may be
// pending. Steps whose condition does not hold are skipped; a process
// left with no step is approved at once.
func (e *Engine) submit(ctx context.Context, snap *metadata.Snapshot, obj *metadata.Object, id, process, comment, submitter string) (*Approval, error) {
	p := obj.ApprovalProcess(process)
	if p == nil || !p.Active {
		return nil, problem.Field("process", problem.CodeInvalidValue, "%s has no active approval process %q", obj.APIName, process)
	}
	var ap *Approval
	err := e.db.InTx(ctx, func(ctx context.Context) error {
		rec, err := e.records.Get(asSystem(ctx), snap, obj.APIName, id, record.GetOptions{})
		if err != nil {
			return err
		}
		if p.EntryCriteria != "" {
			ok, err := e.judge(ctx, snap, obj, p.EntryCriteria, rec)
			if err != nil || !ok {
				return problem.Unprocessable("entry_criteria", "this %s does not meet the entry criteria of %s", obj.APIName, process)
			}
		}
		approvals, _ := e.tables(snap)
		ap = &Approval{ID: uuid.Must(uuid.NewV7()).String(), Object: obj.APIName, RecordID: id, Process: process, Status: ApprovalPending, Step: -1, Comment: comment}
		var by any
		if submitter != "" {
			ap.SubmittedBy, by = &submitter, submitter
		}
		q := fmt.Sprintf(`INSERT INTO %s (id, object, record_id, process, status, step, submitted_by, submitted_at, comment) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, approvals)
		if err := e.db.Conn(ctx).Exec(q, ap.ID, ap.Object, id, process, ap.Status, ap.Step, by, bindTime(e.db, e.now()), comment).Error; err != nil {
			if database.IsUniqueViolation(err) {
				return problem.Conflict("approval_pending", "this %s is already waiting for approval", obj.APIName)
			}
			return fmt.Errorf("submit approval: %w", err)
		}
		return e.advance(ctx, snap, obj, p, ap, rec, 0)
	})
	if err != nil {
		return nil, err
	}
	return ap, nil
}

// asSystem is ctx (and its transaction) without the caller: reads and
// writes the engine makes on its own behalf, past record access.
func asSystem(ctx context.Context) context.Context { return identity.WithPrincipal(ctx, nil) }

// judge evaluates a condition of a process on a record as it is.
func (e *Engine) judge(ctx context.Context, snap *metadata.Snapshot, obj *metadata.Object, src string, rec record.Record) (bool, error) {
	p, err := expression.Compile(src, record.CheckEnv(snap, obj, metadata.Expression{Source: src}))
	if err != nil {
		return false, err
	}
	return e.holds(ctx, snap, obj, p, rec, nil)
}

// advance moves an approval to the first step from `from` that applies,
// creating its tasks, or approves it when none is left.
func (e *Engine) advance(ctx context.Context, snap *metadata.Snapshot, obj *metadata.Object, p *metadata.ApprovalProcess, ap *Approval, rec record.Record, from int) error {
	approvals, tasks := e.tables(snap)
	for i := from; i < len(p.Steps); i++ {
		st := p.Steps[i]
		if st.Condition != "" {
			ok, err := e.judge(ctx, snap, obj, st.Condition, rec)
			if err != nil {
				return problem.Unprocessable(problem.CodeInvalidExpression, "the condition of step %s could not be evaluated: %v", st.Name, err)
			}
			if !ok {
				continue
			}
		}
		approvers, err := e.approvers(ctx, snap, st, ap)
		if err != nil {
			return err
		}
		if len(approvers) == 0 {
			return problem.Unprocessable("no_approver", "step %s has no one to approve it (no manager, or an empty role)", st.Name)
		}
		now := bindTime(e.db, e.now())
		for _, u := range approvers {
			q := fmt.Sprintf(`INSERT INTO %s (id, approval_id, step, approver_id, status, comment, created_at) VALUES (?, ?, ?, ?, ?, '', ?)`, tasks)
			if err := e.db.Conn(ctx).Exec(q, uuid.Must(uuid.NewV7()).String(), ap.ID, i, u, taskPending, now).Error; err != nil {
				return fmt.Errorf("approval task: %w", err)
			}
		}
		if err := e.db.Conn(ctx).Exec(fmt.Sprintf(`UPDATE %s SET step = ? WHERE id = ?`, approvals), i, ap.ID).Error; err != nil {
			return fmt.Errorf("approval step: %w", err)
		}
		ap.Step = int64(i)
		title := fmt.Sprintf("%s: %s", labelOf(p.Labels, snap), nameOf(obj, rec))
		return e.notify(ctx, snap, approvers, title, approvalBody(snap, "requested"), obj.APIName, ap.RecordID, "approval:"+p.APIName)
	}
	return e.finish2(ctx, snap, obj, p, ap, rec, ApprovalApproved)
}

// approvers resolves a step's approvers to active users.
func (e *Engine) approvers(ctx context.Context, snap *metadata.Snapshot, st metadata.ApprovalStep, ap *Approval) ([]string, error) {
	var to []string
	for _, a := range st.Approvers {
		if a != "manager" {
			to = append(to, a)
			continue
		}
		if ap.SubmittedBy == nil {
			continue
		}
		var ids []string
		if err := e.db.Conn(ctx).Raw(`SELECT manager_id FROM users WHERE tenant_id = ? AND id = ? AND manager_id IS NOT NULL`, snap.Tenant.ID, *ap.SubmittedBy).Scan(&ids).Error; err != nil {
			return nil, fmt.Errorf("manager of %s: %w", *ap.SubmittedBy, err)
		}
		for _, id := range ids {
			to = append(to, "user:"+id)
		}
	}
	return e.recipients(ctx, snap, to, record.Record{})
}

// finish2 ends an approval as approved or rejected, unlocking the record,
// then runs the process's outcome actions and tells the submitter.
func (e *Engine) finish2(ctx context.Context, snap *metadata.Snapshot, obj *metadata.Object, p *metadata.ApprovalProcess, ap *Approval, rec record.Record, status string) error {
	approvals, tasks := e.tables(snap)
	now := bindTime(e.db, e.now())
	if err := e.db.Conn(ctx).Exec(fmt.Sprintf(`UPDATE %s SET status = ?, decided_at = ? WHERE id = ?`, approvals), status, now, ap.ID).Error; err != nil {
		return fmt.Errorf("finish approval: %w", err)
	}
	if err := e.db.Conn(ctx).Exec(fmt.Sprintf(`UPDATE %s SET status = ?, decided_at = ? WHERE approval_id = ? AND status = ?`, tasks), taskSkipped, now, ap.ID, taskPending).Error; err != nil {
		return fmt.Errorf("finish approval tasks: %w", err)
	}
	ap.Status = status
	actions := p.OnApprove
	if status == ApprovalRejected {
		actions = p.OnReject
	}
	wf := &metadata.Workflow{APIName: p.APIName}
	actx := record.WithChain(asSystem(ctx), record.Chain{"approval." + p.APIName + ":" + ap.RecordID})
	for i, a := range actions {
		if _, err := e.act(actx, snap, obj, wf, a, rec, origin{name: "approval." + p.APIName, trigger: status}); err != nil {
			return fmt.Errorf("%s action %d (%s): %w", status, i+1, a.Type, err)
		}
	}
	if ap.SubmittedBy != nil {
		title := fmt.Sprintf("%s: %s", labelOf(p.Labels, snap), nameOf(obj, rec))
		return e.notify(ctx, snap, []string{*ap.SubmittedBy}, title, approvalBody(snap, status), obj.APIName, ap.RecordID, "approval:"+p.APIName)
	}
	return nil
}

func labelOf(l metadata.Labels, snap *metadata.Snapshot) string { return l.Pick(snap.Tenant.Locale) }

func nameOf(obj *metadata.Object, rec record.Record) string {
	if v, ok := rec[obj.NameField]; ok && v != nil {
		return fmt.Sprint(v)
	}
	return fmt.Sprint(rec["id"])
}

var approvalTexts = map[string]metadata.Labels{
	"requested":      {"en": "Your approval is requested.", "zh-CN": "请您审批。"},
	ApprovalApproved: {"en": "Approved.", "zh-CN": "已批准。"},
	ApprovalRejected: {"en": "Rejected.", "zh-CN": "已驳回。"},
	ApprovalRecalled: {"en": "Recalled by the submitter.", "zh-CN": "提交人已撤回。"},
	taskReassigned:   {"en": "Reassigned to you for approval.", "zh-CN": "已转交给您审批。"},
}

func approvalBody(snap *metadata.Snapshot, what string) string {
	return approvalTexts[what].Pick(snap.Tenant.Locale)
}

// load reads an approval with its tasks, locking it for a decision.
func (e *Engine) load(ctx context.Context, snap *metadata.Snapshot, id string, lock bool) (*Approval, error) {
	if _, err := uuid.Parse(id); err != nil {
		return nil, problem.NotFound("no approval %s", id)
	}
	approvals, tasks := e.tables(snap)
	q := fmt.Sprintf(`SELECT id, object, record_id, process, status, step, submitted_by, submitted_at, decided_at, comment FROM %s WHERE id = ?`, approvals)
	if lock && e.db.Dialect.SupportsForUpdate() {
		q += " FOR UPDATE"
	}
	list, err := e.scanApprovals(ctx, q, id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, problem.NotFound("no approval %s", id)
	}
	ap := list[0]
	if ap.Tasks, err = e.scanTasks(ctx, fmt.Sprintf(`SELECT id, approval_id, step, approver_id, status, comment, created_at, decided_at FROM %s WHERE approval_id = ? ORDER BY step, created_at, id`, tasks), id); err != nil {
		return nil, err
	}
	return ap, nil
}

func (e *Engine) scanApprovals(ctx context.Context, q string, args ...any) ([]*Approval, error) {
	rows, err := e.db.Conn(ctx).Raw(q, args...).Rows()
	if err != nil {
		return nil, fmt.Errorf("read approvals: %w", err)
	}
	defer rows.Close()
	var out []*Approval
	for rows.Next() {
		var a Approval
		var by, submitted, decided any
		if err := rows.Scan(&a.ID, &a.Object, &a.RecordID, &a.Process, &a.Status, &a.Step, &by, &submitted, &decided, &a.Comment); err != nil {
			return nil, fmt.Errorf("read approvals: %w", err)
		}
		if s, ok := metadata.OutputValue(sqldialect.KindUUID, 0, by).(string); ok && s != "" {
			a.SubmittedBy = &s
		}
		a.SubmittedAt = metadata.OutputValue(sqldialect.KindDatetime, 0, submitted)
		a.DecidedAt = metadata.OutputValue(sqldialect.KindDatetime, 0, decided)
		a.ID = fmt.Sprint(metadata.OutputValue(sqldialect.KindUUID, 0, a.ID))
		a.RecordID = fmt.Sprint(metadata.OutputValue(sqldialect.KindUUID, 0, a.RecordID))
		a.Tasks = []Task{}
		out = append(out, &a)
	}
	return out, rows.Err()
}

func (e *Engine) scanTasks(ctx context.Context, q string, args ...any) ([]Task, error) {
	rows, err := e.db.Conn(ctx).Raw(q, args...).Rows()
	if err != nil {
		return nil, fmt.Errorf("read approval tasks: %w", err)
	}
	defer rows.Close()
	out := []Task{}
	for rows.Next() {
		var t Task
		var created, decided any
		if err := rows.Scan(&t.ID, &t.ApprovalID, &t.Step, &t.ApproverID, &t.Status, &t.Comment, &created, &decided); err != nil {
			return nil, fmt.Errorf("read approval tasks: %w", err)
		}
		t.CreatedAt = metadata.OutputValue(sqldialect.KindDatetime, 0, created)
		t.DecidedAt = metadata.OutputValue(sqldialect.KindDatetime, 0, decided)
		out = append(out, t)
	}
	return out, rows.Err()
}

// Decision kinds.
const (
	DecideApprove = "approve"
	DecideReject  = "reject"
)

// decide records an approver's answer and moves the approval on.
func (e *Engine) decide(ctx context.Context, snap *metadata.Snapshot, id, user, decision, comment string) (*Approval, error) {
	var ap *Approval
	err := e.db.InTx(ctx, func(ctx context.Context) error {
		var err error
		if ap, err = e.load(ctx, snap, id, true); err != nil {
			return err
		}
		if ap.Status != ApprovalPending {
			return problem.Conflict("approval_closed", "this approval is %s", ap.Status)
		}
		idx := slices.IndexFunc(ap.Tasks, func(t Task) bool {
			return t.Step == ap.Step && t.ApproverID == user && t.Status == taskPending
		})
		if idx < 0 {
			return problem.Forbidden("you are not an approver of the current step")
		}
		obj := snap.Object(ap.Object)
		p := obj.ApprovalProcess(ap.Process)
		if p == nil || int(ap.Step) >= len(p.Steps) {
			return problem.Conflict("approval_closed", "the approval process %s no longer exists", ap.Process)
		}
		_, tasks := e.tables(snap)
		status := map[string]string{DecideApprove: ApprovalApproved, DecideReject: ApprovalRejected}[decision]
		now := bindTime(e.db, e.now())
		if err := e.db.Conn(ctx).Exec(fmt.Sprintf(`UPDATE %s SET status = ?, comment = ?, decided_at = ? WHERE id = ?`, tasks), status, comment, now, ap.Tasks[idx].ID).Error; err != nil {
			return fmt.Errorf("decide approval: %w", err)
		}
		ap.Tasks[idx].Status = status
		rec, err := e.records.Get(asSystem(ctx), snap, ap.Object, ap.RecordID, record.GetOptions{})
		if err != nil {
			return err
		}
		if decision == DecideReject {
			return e.finish2(ctx, snap, obj, p, ap, rec, ApprovalRejected)
		}
		if p.Steps[ap.Step].Mode == metadata.ApprovalAll {
			for _, t := range ap.Tasks {
				if t.Step == ap.Step && t.Status == taskPending {
					return nil // others of this step have yet to approve
				}
			}
		}
		if err := e.db.Conn(ctx).Exec(fmt.Sprintf(`UPDATE %s SET status = ?, decided_at = ? WHERE approval_id = ? AND step = ? AND status = ?`, tasks),
			taskSkipped, now, ap.ID, ap.Step, taskPending).Error; err != nil {
			return fmt.Errorf("close approval step: %w", err)
		}
		return e.advance(ctx, snap, obj, p, ap, rec, int(ap.Step)+1)
	})
	if err != nil {
		return nil, err
	}
	return e.load(ctx, snap, id, false)
}

// recall withdraws a pending approval: its submitter or an admin.
func (e *Engine) recall(ctx context.Context, snap *metadata.Snapshot, id, user string, admin bool, comment string) (*Approval, error) {
	err := e.db.InTx(ctx, func(ctx context.Context) error {
		ap, err := e.load(ctx, snap, id, true)
		if err != nil {
			return err
		}
		if ap.Status != ApprovalPending {
			return problem.Conflict("approval_closed", "this approval is %s", ap.Status)
		}
		if !admin && (ap.SubmittedBy == nil || *ap.SubmittedBy != user) {
			return problem.Forbidden("only the submitter or an admin may recall an approval")
		}
		approvals, tasks := e.tables(snap)
		now := bindTime(e.db, e.now())
		if err := e.db.Conn(ctx).Exec(fmt.Sprintf(`UPDATE %s SET status = ?, decided_at = ?, comment = CASE WHEN ? = '' THEN comment ELSE ? END WHERE id = ?`, approvals),
			ApprovalRecalled, now, comment, comment, id).Error; err != nil {
			return fmt.Errorf("recall approval: %w", err)
		}
		var waiting []string
		for _, t := range ap.Tasks {
			if t.Status == taskPending {
				waiting = append(waiting, t.ApproverID)
			}
		}
		if err := e.db.Conn(ctx).Exec(fmt.Sprintf(`UPDATE %s SET status = ?, decided_at = ? WHERE approval_id = ? AND status = ?`, tasks), taskSkipped, now, id, taskPending).Error; err != nil {
			return fmt.Errorf("recall approval tasks: %w", err)
		}
		obj := snap.Object(ap.Object)
		title := ap.Process
		if p := obj.ApprovalProcess(ap.Process); p != nil {
			title = labelOf(p.Labels, snap)
		}
		return e.notify(ctx, snap, waiting, title, approvalBody(snap, ApprovalRecalled), ap.Object, ap.RecordID, "approval:"+ap.Process)
	})
	if err != nil {
		return nil, err
	}
	return e.load(ctx, snap, id, false)
}

// reassign hands a pending task to another active user: its approver or
// an admin.
func (e *Engine) reassign(ctx context.Context, snap *metadata.Snapshot, id, user string, admin bool, from, to, comment string) (*Approval, error) {
	err := e.db.InTx(ctx, func(ctx context.Context) error {
		ap, err := e.load(ctx, snap, id, true)
		if err != nil {
			return err
		}
		if ap.Status != ApprovalPending {
			return problem.Conflict("approval_closed", "this approval is %s", ap.Status)
		}
		if from == "" {
			from = user
		}
		if !admin && from != user {
			return problem.Forbidden("you may reassign only your own approval task")
		}
		idx := slices.IndexFunc(ap.Tasks, func(t Task) bool { return t.Step == ap.Step && t.ApproverID == from && t.Status == taskPending })
		if idx < 0 {
			return problem.Forbidden("there is no pending task of that approver in the current step")
		}
		active, err := e.recipients(ctx, snap, []string{"user:" + to}, record.Record{})
		if err != nil {
			return err
		}
		if len(active) == 0 {
			return problem.Field("to", problem.CodeInvalidValue, "to must be an active user of the tenant")
		}
		if slices.ContainsFunc(ap.Tasks, func(t Task) bool { return t.Step == ap.Step && t.ApproverID == to && t.Status == taskPending }) {
			return problem.Field("to", problem.CodeConflict, "that user already has this approval")
		}
		_, tasks := e.tables(snap)
		now := bindTime(e.db, e.now())
		if err := e.db.Conn(ctx).Exec(fmt.Sprintf(`UPDATE %s SET status = ?, comment = ?, decided_at = ? WHERE id = ?`, tasks), taskReassigned, comment, now, ap.Tasks[idx].ID).Error; err != nil {
			return fmt.Errorf("reassign approval: %w", err)
		}
		q := fmt.Sprintf(`INSERT INTO %s (id, approval_id, step, approver_id, status, comment, created_at) VALUES (?, ?, ?, ?, ?, '', ?)`, tasks)
		if err := e.db.Conn(ctx).Exec(q, uuid.Must(uuid.NewV7()).String(), ap.ID, ap.Step, to, taskPending, now).Error; err != nil {
			return fmt.Errorf("reassign approval: %w", err)
		}
		return e.notify(ctx, snap, []string{to}, ap.Process, approvalBody(snap, taskReassigned), ap.Object, ap.RecordID, "approval:"+ap.Process)
	})
	if err != nil {
		return nil, err
	}
	return e.load(ctx, snap, id, false)
}

// Locked reports whether a record waits for approval: record writes by
// members other than admins are then refused (record.Locker).
func (e *Engine) Locked(ctx context.Context, snap *metadata.Snapshot, obj *metadata.Object, id string) (bool, error) {
	if len(obj.ApprovalProcesses) == 0 {
		return false, nil
	}
	approvals, _ := e.tables(snap)
	var n int64
	q := fmt.Sprintf(`SELECT COUNT(*) FROM %s WHERE object = ? AND record_id = ? AND status = ?`, approvals)
	if err := e.db.Conn(ctx).Raw(q, obj.APIName, id, ApprovalPending).Scan(&n).Error; err != nil {
		return false, fmt.Errorf("approval lock of %s %s: %w", obj.APIName, id, err)
	}
	return n > 0, nil
}

// recordApprovals lists a record's approvals, newest first, with tasks.
func (e *Engine) recordApprovals(ctx context.Context, snap *metadata.Snapshot, object, id string) ([]*Approval, error) {
	approvals, tasks := e.tables(snap)
	list, err := e.scanApprovals(ctx, fmt.Sprintf(`SELECT id, object, record_id, process, status, step, submitted_by, submitted_at, decided_at, comment FROM %s WHERE object = ? AND record_id = ? ORDER BY submitted_at DESC, id DESC LIMIT 50`, approvals), object, id)
	if err != nil {
		return nil, err
	}
	for _, ap := range list {
		if ap.Tasks, err = e.scanTasks(ctx, fmt.Sprintf(`SELECT id, approval_id, step, approver_id, status, comment, created_at, decided_at FROM %s WHERE approval_id = ? ORDER BY step, created_at, id`, tasks), ap.ID); err != nil {
			return nil, err
		}
	}
	return list, nil
}

// inboxItem is a pending task with its approval and the record's name.
type inboxItem struct {
	Task     Task     `json:"task"`
	Approval Approval `json:"approval"`
	Name     string   `json:"record_name"`
}

// inbox lists the caller's pending approval tasks, oldest first: one
// query for the tasks, one for their approvals and their tasks, and one
// per object for the records' names.
func (e *Engine) inbox(ctx context.Context, snap *metadata.Snapshot, user string) ([]inboxItem, error) {
	approvals, tasks := e.tables(snap)
	ts, err := e.scanTasks(ctx, fmt.Sprintf(`SELECT t.id, t.approval_id, t.step, t.approver_id, t.status, t.comment, t.created_at, t.decided_at FROM %s t JOIN %s a ON a.id = t.approval_id
		WHERE t.approver_id = ? AND t.status = ? AND a.status = ? AND a.step = t.step ORDER BY t.created_at, t.id LIMIT 200`, tasks, approvals), user, taskPending, ApprovalPending)
	if err != nil || len(ts) == 0 {
		return []inboxItem{}, err
	}
	ids := make([]any, len(ts))
	for i, t := range ts {
		ids[i] = t.ApprovalID
	}
	in := placeholders(len(ids))
	list, err := e.scanApprovals(ctx, fmt.Sprintf(`SELECT id, object, record_id, process, status, step, submitted_by, submitted_at, decided_at, comment FROM %s WHERE id IN (%s)`, approvals, in), ids...)
	if err != nil {
		return nil, err
	}
	all, err := e.scanTasks(ctx, fmt.Sprintf(`SELECT id, approval_id, step, approver_id, status, comment, created_at, decided_at FROM %s WHERE approval_id IN (%s) ORDER BY step, created_at, id`, tasks, in), ids...)
	if err != nil {
		return nil, err
	}
	byID := map[string]*Approval{}
	records := map[string][]string{}
	for _, ap := range list {
		byID[ap.ID] = ap
		records[ap.Object] = append(records[ap.Object], ap.RecordID)
	}
	for _, t := range all {
		if ap := byID[t.ApprovalID]; ap != nil {
			ap.Tasks = append(ap.Tasks, t)
		}
	}
	names, err := e.recordNames(ctx, snap, records)
	if err != nil {
		return nil, err
	}
	out := make([]inboxItem, 0, len(ts))
	for _, t := range ts {
		ap := byID[t.ApprovalID]
		if ap == nil {
			continue
		}
		name := names[ap.Object+":"+ap.RecordID]
		if name == "" {
			name = ap.RecordID
		}
		out = append(out, inboxItem{Task: t, Approval: *ap, Name: name})
	}
	return out, nil
}

// recordNames reads the name field of records, by object ("object:id").
func (e *Engine) recordNames(ctx context.Context, snap *metadata.Snapshot, ids map[string][]string) (map[string]string, error) {
	out := map[string]string{}
	for object, list := range ids {
		obj := snap.Object(object)
		if obj == nil || obj.NameField == "" {
			continue
		}
		args := make([]any, len(list))
		for i, id := range list {
			args[i] = id
		}
		q := fmt.Sprintf("SELECT id, %s FROM %s WHERE id IN (%s)", e.db.Dialect.Quote(obj.NameField), e.db.Dialect.Table(snap.Tenant.Key, object), placeholders(len(list)))
		rows, err := e.db.Conn(ctx).Raw(q, args...).Rows()
		if err != nil {
			return nil, fmt.Errorf("names of %s: %w", object, err)
		}
		for rows.Next() {
			var id, name any
			if err := rows.Scan(&id, &name); err != nil {
				rows.Close()
				return nil, fmt.Errorf("names of %s: %w", object, err)
			}
			out[object+":"+fmt.Sprint(metadata.OutputValue(sqldialect.KindUUID, 0, id))] = strings.TrimSpace(fmt.Sprint(metadata.OutputValue(sqldialect.KindText, 0, name)))
		}
		rows.Close()
	}
	return out, nil
}

func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }
