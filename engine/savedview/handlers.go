package savedview

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tessera-crm/tessera/internal/httpx"
	"github.com/tessera-crm/tessera/internal/problem"
)

// Handlers serve /api/v1/views/{object}.
type Handlers struct {
	Views *Service
}

// List returns the caller's and the shared views.
func (h *Handlers) List(c *gin.Context) {
	views, err := h.Views.List(c.Request.Context(), httpx.Snapshot(c), c.Param("object"))
	if err != nil {
		problem.Write(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"data": views})
}

// Create saves a view.
func (h *Handlers) Create(c *gin.Context) {
	var in Input
	if err := httpx.BindJSON(c, &in); err != nil {
		problem.Write(c, err)
		return
	}
	v, err := h.Views.Create(c.Request.Context(), httpx.Snapshot(c), c.Param("object"), in)
	if err != nil {
		problem.Write(c, err)
		return
	}
	c.JSON(http.StatusCreated, v)
}

// Update replaces a view.
func (h *Handlers) Update(c *gin.Context) {
	var in Input
	if err := httpx.BindJSON(c, &in); err != nil {
		problem.Write(c, err)
		return
	}
	v, err := h.Views.Update(c.Request.Context(), httpx.Snapshot(c), c.Param("object"), c.Param("id"), in)
	if err != nil {
		problem.Write(c, err)
		return
	}
	c.JSON(http.StatusOK, v)
}

// Delete removes a view.
func (h *Handlers) Delete(c *gin.Context) {
	if err := h.Views.Delete(c.Request.Context(), httpx.Snapshot(c), c.Param("object"), c.Param("id")); err != nil {
		problem.Write(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
