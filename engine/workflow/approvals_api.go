package workflow

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tessera-crm/tessera/internal/access"
	"github.com/tessera-crm/tessera/internal/httpx"
	"github.com/tessera-crm/tessera/internal/identity"
	"github.com/tessera-crm/tessera/internal/problem"
)

type submitInput struct {
	Process string `json:"process"`
	Comment string `json:"comment"`
}

func tooLong(comment string) error {
	if len(comment) > 2000 {
		return problem.Field("comment", problem.CodeTooLong, "a comment is at most 2000 bytes")
	}
	return nil
}

// Submit serves POST /records/{object}/{id}/approvals: a user who may edit
// the record submits it to a process.
func (e *Engine) Submit(c *gin.Context) {
	var in submitInput
	if err := httpx.BindJSON(c, &in); err != nil {
		problem.Write(c, err)
		return
	}
	if in.Process == "" {
		problem.Write(c, problem.Field("process", problem.CodeRequired, "process names the approval process"))
		return
	}
	if err := tooLong(in.Comment); err != nil {
		problem.Write(c, err)
		return
	}
	ctx := c.Request.Context()
	snap := httpx.Snapshot(c)
	object, id := c.Param("object"), c.Param("id")
	obj := snap.Object(object)
	if obj == nil {
		problem.Write(c, problem.UnknownObject(object))
		return
	}
	if !e.editable(c, snap, object, id, "submit it for approval") {
		return
	}
	ap, err := e.submit(ctx, snap, obj, id, in.Process, in.Comment, identity.FromContext(ctx).UserID)
	if err != nil {
		problem.Write(c, err)
		return
	}
	if ap, err = e.load(ctx, snap, ap.ID, false); err != nil {
		problem.Write(c, err)
		return
	}
	c.JSON(http.StatusCreated, ap)
}

// RecordApprovals serves GET /records/{object}/{id}/approvals to those who
// can read the record.
func (e *Engine) RecordApprovals(c *gin.Context) {
	ctx := c.Request.Context()
	snap := httpx.Snapshot(c)
	if _, err := e.records.Access(ctx, snap, c.Param("object"), c.Param("id")); err != nil {
		problem.Write(c, err)
		return
	}
	list, err := e.recordApprovals(ctx, snap, c.Param("object"), c.Param("id"))
	if err != nil {
		problem.Write(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"data": list})
}

// Inbox serves GET /approvals/inbox: the caller's pending approvals.
func (e *Engine) Inbox(c *gin.Context) {
	ctx := c.Request.Context()
	items, err := e.inbox(ctx, httpx.Snapshot(c), identity.FromContext(ctx).UserID)
	if err != nil {
		problem.Write(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"data": items})
}

type decisionInput struct {
	Comment string `json:"comment"`
	// To and From are for reassignment: the new approver, and (admins)
	// whose task is handed over.
	To   string `json:"to"`
	From string `json:"from"`
}

// Decide serves POST /approvals/{id}/approve, /reject, /recall and
// /reassign.
func (e *Engine) Decide(action string) gin.HandlerFunc {
	return func(c *gin.Context) {
		var in decisionInput
		if err := httpx.BindJSON(c, &in); err != nil {
			problem.Write(c, err)
			return
		}
		if err := tooLong(in.Comment); err != nil {
			problem.Write(c, err)
			return
		}
		ctx := c.Request.Context()
		snap := httpx.Snapshot(c)
		user := identity.FromContext(ctx).UserID
		admin := false
		if g := access.FromContext(ctx); g != nil {
			admin = g.Admin
		}
		var ap *Approval
		var err error
		switch action {
		case DecideApprove, DecideReject:
			if action == DecideReject && in.Comment == "" {
				problem.Write(c, problem.Field("comment", problem.CodeRequired, "say why the approval is rejected"))
				return
			}
			ap, err = e.decide(ctx, snap, c.Param("id"), user, action, in.Comment)
		case "recall":
			ap, err = e.recall(ctx, snap, c.Param("id"), user, admin, in.Comment)
		case "reassign":
			if in.To == "" {
				problem.Write(c, problem.Field("to", problem.CodeRequired, "to names the new approver"))
				return
			}
			ap, err = e.reassign(ctx, snap, c.Param("id"), user, admin, in.From, in.To, in.Comment)
		}
		if err != nil {
			problem.Write(c, err)
			return
		}
		c.JSON(http.StatusOK, ap)
	}
}
