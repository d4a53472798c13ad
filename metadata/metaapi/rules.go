package metaapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tessera-crm/tessera/internal/httpx"
	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/metadata"
)

// CreateValidationRule adds a validation rule; the answer is the object.
func (h *Handlers) CreateValidationRule(c *gin.Context) { h.putValidationRule(c, true) }

// ReplaceValidationRule replaces a validation rule.
func (h *Handlers) ReplaceValidationRule(c *gin.Context) { h.putValidationRule(c, false) }

func (h *Handlers) putValidationRule(c *gin.Context, create bool) {
	var r metadata.ValidationRule
	if err := httpx.BindJSON(c, &r); err != nil {
		problem.Write(c, err)
		return
	}
	if !create {
		r.APIName = c.Param("name")
	}
	snap, err := h.Meta.PutValidationRule(c.Request.Context(), httpx.Snapshot(c).Tenant.ID, c.Param("object"), r, create)
	if err != nil {
		problem.Write(c, err)
		return
	}
	c.JSON(putStatus(create), view(snap.Object(c.Param("object")), snap.Tenant.Locale))
}

// DeleteValidationRule removes a validation rule.
func (h *Handlers) DeleteValidationRule(c *gin.Context) {
	if _, err := h.Meta.DeleteValidationRule(c.Request.Context(), httpx.Snapshot(c).Tenant.ID, c.Param("object"), c.Param("name")); err != nil {
		problem.Write(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// CreateWorkflow adds a workflow; the answer is the object.
func (h *Handlers) CreateWorkflow(c *gin.Context) { h.putWorkflow(c, true) }

// ReplaceWorkflow replaces a workflow.
func (h *Handlers) ReplaceWorkflow(c *gin.Context) { h.putWorkflow(c, false) }

func (h *Handlers) putWorkflow(c *gin.Context, create bool) {
	var w metadata.Workflow
	if err := httpx.BindJSON(c, &w); err != nil {
		problem.Write(c, err)
		return
	}
	if !create {
		w.APIName = c.Param("name")
	}
	snap, err := h.Meta.PutWorkflow(c.Request.Context(), httpx.Snapshot(c).Tenant.ID, c.Param("object"), w, create)
	if err != nil {
		problem.Write(c, err)
		return
	}
	c.JSON(putStatus(create), view(snap.Object(c.Param("object")), snap.Tenant.Locale))
}

// DeleteWorkflow removes a workflow.
func (h *Handlers) DeleteWorkflow(c *gin.Context) {
	if _, err := h.Meta.DeleteWorkflow(c.Request.Context(), httpx.Snapshot(c).Tenant.ID, c.Param("object"), c.Param("name")); err != nil {
		problem.Write(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// CreateApprovalProcess adds an approval process; the answer is the object.
func (h *Handlers) CreateApprovalProcess(c *gin.Context) { h.putApprovalProcess(c, true) }

// ReplaceApprovalProcess replaces an approval process.
func (h *Handlers) ReplaceApprovalProcess(c *gin.Context) { h.putApprovalProcess(c, false) }

func (h *Handlers) putApprovalProcess(c *gin.Context, create bool) {
	var p metadata.ApprovalProcess
	if err := httpx.BindJSON(c, &p); err != nil {
		problem.Write(c, err)
		return
	}
	if !create {
		p.APIName = c.Param("name")
	}
	snap, err := h.Meta.PutApprovalProcess(c.Request.Context(), httpx.Snapshot(c).Tenant.ID, c.Param("object"), p, create)
	if err != nil {
		problem.Write(c, err)
		return
	}
	c.JSON(putStatus(create), view(snap.Object(c.Param("object")), snap.Tenant.Locale))
}

// DeleteApprovalProcess removes an approval process.
func (h *Handlers) DeleteApprovalProcess(c *gin.Context) {
	if _, err := h.Meta.DeleteApprovalProcess(c.Request.Context(), httpx.Snapshot(c).Tenant.ID, c.Param("object"), c.Param("name")); err != nil {
		problem.Write(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
