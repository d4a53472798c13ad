package workflow

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"github.com/riverqueue/river"

	"github.com/tessera-crm/tessera/internal/httpx"
	"github.com/tessera-crm/tessera/internal/identity"
	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/internal/sqldialect"
	"github.com/tessera-crm/tessera/metadata"
)

// Run is an execution log entry as the API shows it.
type Run struct {
	ID         string          `json:"id"`
	JobID      int64           `json:"job_id"`
	Workflow   string          `json:"workflow"`
	Object     string          `json:"object"`
	RecordID   string          `json:"record_id"`
	Trigger    string          `json:"trigger"`
	Depth      int64           `json:"depth"`
	Status     string          `json:"status"`
	StartedAt  any             `json:"started_at"`
	FinishedAt any             `json:"finished_at"`
	Inputs     json.RawMessage `json:"inputs"`
	Actions    json.RawMessage `json:"actions"`
	Error      string          `json:"error"`
}

// ListRuns serves GET /workflow-runs: the execution log, newest first,
// filtered by object, workflow, record_id and status.
func (e *Engine) ListRuns(c *gin.Context) {
	snap := httpx.Snapshot(c)
	limit := 50
	if s := c.Query("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 200 {
			problem.Write(c, problem.Field("limit", problem.CodeInvalidValue, "limit must be 1 to 200"))
			return
		}
		limit = n
	}
	var where []string
	var args []any
	for _, k := range []string{"object", "workflow", "record_id", "status"} {
		if v := c.Query(k); v != "" {
			where = append(where, k+" = ?")
			args = append(args, v)
		}
	}
	if v := c.Query("job_id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			problem.Write(c, problem.Field("job_id", problem.CodeInvalidValue, "job_id is the number a manual run answered"))
			return
		}
		where = append(where, "job_id = ?")
		args = append(args, id)
	}
	if v := c.Query("before"); v != "" {
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			problem.Write(c, problem.Field("before", problem.CodeInvalidValue, "before must be an RFC 3339 time"))
			return
		}
		where = append(where, "started_at < ?")
		args = append(args, bindTime(e.db, t.UTC()))
	}
	q := fmt.Sprintf(`SELECT id, job_id, workflow, object, record_id, trigger, depth, status, started_at, finished_at, inputs, actions, error FROM %s`,
		e.db.Dialect.Table(snap.Tenant.Key, metadata.TableWorkflowRuns))
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += fmt.Sprintf(" ORDER BY started_at DESC, id DESC LIMIT %d", limit)
	rows, err := e.db.Conn(c.Request.Context()).Raw(q, args...).Rows()
	if err != nil {
		problem.Write(c, fmt.Errorf("list workflow runs: %w", err))
		return
	}
	defer rows.Close()
	out := []Run{}
	for rows.Next() {
		var r Run
		var inputs, actions string
		var started, finished any
		if err := rows.Scan(&r.ID, &r.JobID, &r.Workflow, &r.Object, &r.RecordID, &r.Trigger, &r.Depth, &r.Status, &started, &finished, &inputs, &actions, &r.Error); err != nil {
			problem.Write(c, fmt.Errorf("list workflow runs: %w", err))
			return
		}
		r.StartedAt = metadata.OutputValue(sqldialect.KindDatetime, 0, started)
		r.FinishedAt = metadata.OutputValue(sqldialect.KindDatetime, 0, finished)
		r.Inputs, r.Actions = json.RawMessage(inputs), json.RawMessage(actions)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		problem.Write(c, fmt.Errorf("list workflow runs: %w", err))
		return
	}
	c.JSON(http.StatusOK, gin.H{"data": out})
}

// RunManual serves POST /records/{object}/{id}/workflows/{name}: a user who
// may edit the record starts a manual workflow on it. The run goes on the
// queue; its outcome shows in the execution log.
func (e *Engine) RunManual(c *gin.Context) {
	ctx := c.Request.Context()
	snap := httpx.Snapshot(c)
	object, id, name := c.Param("object"), c.Param("id"), c.Param("name")
	obj := snap.Object(object)
	if obj == nil {
		problem.Write(c, problem.UnknownObject(object))
		return
	}
	var wf *metadata.Workflow
	for i := range obj.Workflows {
		if w := &obj.Workflows[i]; w.APIName == name && w.Active && w.Trigger.Type == metadata.TriggerManual {
			wf = w
		}
	}
	if wf == nil {
		problem.Write(c, problem.NotFound("%s has no active manual workflow %q", object, name))
		return
	}
	if !e.editable(c, snap, object, id, "run its workflows") {
		return
	}
	by := ""
	if p := identity.FromContext(ctx); p != nil {
		by = p.UserID
	}
	res, err := e.queue.Enqueue(ctx, RunArgs{TenantID: snap.Tenant.ID, Object: object, Workflow: name, RecordID: id, Trigger: "manual", By: by,
		Chain: []string{name + ":" + id}}, &river.InsertOpts{MaxAttempts: maxRunAttempts})
	if err != nil {
		problem.Write(c, err)
		return
	}
	c.JSON(http.StatusAccepted, gin.H{"job_id": res.Job.ID})
}

// Notification is an in-app notification as the API shows it.
type Notification struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Body      string `json:"body"`
	Object    string `json:"object"`
	RecordID  string `json:"record_id"`
	Source    string `json:"source"`
	CreatedAt any    `json:"created_at"`
	ReadAt    any    `json:"read_at"`
}

// ListNotifications serves GET /notifications: the caller's own, newest
// first (?unread=true for the unread only), with the unread count.
func (e *Engine) ListNotifications(c *gin.Context) {
	ctx := c.Request.Context()
	snap := httpx.Snapshot(c)
	user := identity.FromContext(ctx).UserID
	table := e.db.Dialect.Table(snap.Tenant.Key, metadata.TableNotifications)
	q := fmt.Sprintf(`SELECT id, title, body, object, record_id, source, created_at, read_at FROM %s WHERE user_id = ?`, table)
	if c.Query("unread") == "true" {
		q += " AND read_at IS NULL"
	}
	q += " ORDER BY created_at DESC, id DESC LIMIT 100"
	rows, err := e.db.Conn(ctx).Raw(q, user).Rows()
	if err != nil {
		problem.Write(c, fmt.Errorf("list notifications: %w", err))
		return
	}
	defer rows.Close()
	out := []Notification{}
	for rows.Next() {
		var n Notification
		var created, read any
		if err := rows.Scan(&n.ID, &n.Title, &n.Body, &n.Object, &n.RecordID, &n.Source, &created, &read); err != nil {
			problem.Write(c, fmt.Errorf("list notifications: %w", err))
			return
		}
		n.CreatedAt = metadata.OutputValue(sqldialect.KindDatetime, 0, created)
		n.ReadAt = metadata.OutputValue(sqldialect.KindDatetime, 0, read)
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		problem.Write(c, fmt.Errorf("list notifications: %w", err))
		return
	}
	var unread int64
	if err := e.db.Conn(ctx).Raw(fmt.Sprintf(`SELECT COUNT(*) FROM %s WHERE user_id = ? AND read_at IS NULL`, table), user).Scan(&unread).Error; err != nil {
		problem.Write(c, fmt.Errorf("count notifications: %w", err))
		return
	}
	c.JSON(http.StatusOK, gin.H{"data": out, "unread": unread})
}

type readInput struct {
	IDs []string `json:"ids"`
	All bool     `json:"all"`
}

// MarkRead serves POST /notifications/read: {"ids": [...]} or {"all": true}
// marks the caller's notifications read.
func (e *Engine) MarkRead(c *gin.Context) {
	var in readInput
	if err := httpx.BindJSON(c, &in); err != nil {
		problem.Write(c, err)
		return
	}
	if !in.All && len(in.IDs) == 0 {
		problem.Write(c, problem.Field("ids", problem.CodeRequired, "name the notifications to mark read, or send all: true"))
		return
	}
	if len(in.IDs) > 500 {
		problem.Write(c, problem.Field("ids", problem.CodeTooLong, "at most 500 ids at a time"))
		return
	}
	for i, id := range in.IDs {
		if _, err := uuid.Parse(id); err != nil {
			problem.Write(c, problem.Field(fmt.Sprintf("ids[%d]", i), problem.CodeInvalidType, "an id is a UUID"))
			return
		}
	}
	ctx := c.Request.Context()
	snap := httpx.Snapshot(c)
	q := fmt.Sprintf(`UPDATE %s SET read_at = ? WHERE user_id = ? AND read_at IS NULL`, e.db.Dialect.Table(snap.Tenant.Key, metadata.TableNotifications))
	args := []any{bindTime(e.db, e.now()), identity.FromContext(ctx).UserID}
	if !in.All {
		q += fmt.Sprintf(" AND id IN (%s)", strings.TrimSuffix(strings.Repeat("?, ", len(in.IDs)), ", "))
		for _, id := range in.IDs {
			args = append(args, id)
		}
	}
	res := e.db.Conn(ctx).Exec(q, args...)
	if res.Error != nil {
		problem.Write(c, fmt.Errorf("mark notifications read: %w", res.Error))
		return
	}
	c.JSON(http.StatusOK, gin.H{"marked": res.RowsAffected})
}

// editable answers whether the caller may change the record, writing the
// refusal (404 when they cannot read it, 403 when only read) otherwise.
func (e *Engine) editable(c *gin.Context, snap *metadata.Snapshot, object, id, what string) bool {
	acc, err := e.records.Access(c.Request.Context(), snap, object, id)
	if err != nil {
		problem.Write(c, err)
		return false
	}
	if !acc.Edit {
		problem.Write(c, problem.Forbidden("you may read this "+object+" but not change it, so you cannot "+what))
		return false
	}
	return true
}
