package recordapi

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/tessera-crm/tessera/engine/record"
	"github.com/tessera-crm/tessera/internal/httpx"
	"github.com/tessera-crm/tessera/internal/problem"
)

// Access answers what the caller may do with a record.
func (h *Handlers) Access(c *gin.Context) {
	out, err := h.Records.Access(c.Request.Context(), httpx.Snapshot(c), c.Param("object"), c.Param("id"))
	if err != nil {
		problem.Write(c, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

// Shares lists a record's shares.
func (h *Handlers) Shares(c *gin.Context) {
	out, err := h.Records.Shares(c.Request.Context(), httpx.Snapshot(c), c.Param("object"), c.Param("id"))
	if err != nil {
		problem.Write(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"data": out})
}

// AddShare shares a record with a user, unit or role.
func (h *Handlers) AddShare(c *gin.Context) {
	var in record.NewShare
	if err := httpx.BindJSON(c, &in); err != nil {
		problem.Write(c, err)
		return
	}
	out, err := h.Records.AddShare(c.Request.Context(), httpx.Snapshot(c), c.Param("object"), c.Param("id"), in)
	if err != nil {
		problem.Write(c, err)
		return
	}
	c.JSON(http.StatusCreated, out)
}

// DeleteShare removes a share.
func (h *Handlers) DeleteShare(c *gin.Context) {
	if err := h.Records.DeleteShare(c.Request.Context(), httpx.Snapshot(c), c.Param("object"), c.Param("id"), c.Param("share")); err != nil {
		problem.Write(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

type transferRequest struct {
	IDs      []string `json:"ids"`
	OwnerID  string   `json:"owner_id"`
	Children bool     `json:"children"`
}

// Transfer gives records (and optionally their children) a new owner.
func (h *Handlers) Transfer(c *gin.Context) {
	var in transferRequest
	if err := httpx.BindJSON(c, &in); err != nil {
		problem.Write(c, err)
		return
	}
	out, err := h.Records.Transfer(c.Request.Context(), httpx.Snapshot(c), c.Param("object"), in.IDs, in.OwnerID, in.Children)
	if err != nil {
		problem.Write(c, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

// FieldHistory returns a record's tracked field changes.
func (h *Handlers) FieldHistory(c *gin.Context) {
	limit := 0
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 500 {
			problem.Write(c, problem.Field("limit", problem.CodeOutOfRange, "limit must be between 1 and 500"))
			return
		}
		limit = n
	}
	out, err := h.Records.FieldHistory(c.Request.Context(), httpx.Snapshot(c), c.Param("object"), c.Param("id"), limit)
	if err != nil {
		problem.Write(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"data": out})
}
