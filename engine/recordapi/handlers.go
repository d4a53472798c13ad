// Package recordapi serves the generic records API over any object:
// /api/v1/records/{object}. Handlers bind input, call the records service
// and map errors; the rules live in the service.
package recordapi

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/tessera-crm/tessera/engine/record"
	"github.com/tessera-crm/tessera/internal/httpx"
	"github.com/tessera-crm/tessera/internal/problem"
)

// Handlers serve the records routes.
type Handlers struct {
	Records *record.Service
}

func etag(rec record.Record) string {
	v, _ := rec["version"].(int64)
	return `"` + strconv.FormatInt(v, 10) + `"`
}

// ifMatch parses If-Match: a version in quotes (weak or strong), or nothing.
func ifMatch(c *gin.Context) (*int64, error) {
	h := strings.TrimSpace(c.GetHeader("If-Match"))
	if h == "" || h == "*" {
		return nil, nil
	}
	h = strings.Trim(strings.TrimPrefix(h, "W/"), `"`)
	v, err := strconv.ParseInt(h, 10, 64)
	if err != nil || v < 1 {
		return nil, problem.Field("If-Match", problem.CodeInvalidValue, "If-Match must be the record's ETag, such as \"3\"")
	}
	return &v, nil
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// List returns a page of records.
func (h *Handlers) List(c *gin.Context) {
	q := record.ListQuery{
		Filter:  c.Query("filter"),
		Q:       c.Query("q"),
		Sort:    c.Query("sort"),
		Cursor:  c.Query("cursor"),
		Fields:  splitList(c.Query("fields")),
		Expand:  splitList(c.Query("expand")),
		Count:   c.Query("count") == "true",
		Deleted: c.Query("deleted") == "true",
	}
	if l := c.Query("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil {
			problem.Write(c, problem.Field("limit", problem.CodeInvalidType, "limit must be a whole number"))
			return
		}
		q.Limit = n
	}
	page, err := h.Records.List(c.Request.Context(), httpx.Snapshot(c), c.Param("object"), q)
	if err != nil {
		problem.Write(c, err)
		return
	}
	c.JSON(http.StatusOK, page)
}

// Create inserts a record; an Idempotency-Key replays the first response.
func (h *Handlers) Create(c *gin.Context) {
	body, err := httpx.ReadBody(c)
	if err != nil {
		problem.Write(c, err)
		return
	}
	h.idempotent(c, body, func(c *gin.Context) (int, any, error) {
		input, err := httpx.DecodeRecord(body)
		if err != nil {
			return 0, nil, err
		}
		rec, err := h.Records.Create(withLayout(c), httpx.Snapshot(c), c.Param("object"), input)
		if err != nil {
			return 0, nil, err
		}
		c.Header("ETag", etag(rec))
		c.Header("Location", "/api/v1/records/"+c.Param("object")+"/"+rec["id"].(string))
		return http.StatusCreated, rec, nil
	})
}

// Get reads one record.
func (h *Handlers) Get(c *gin.Context) {
	rec, err := h.Records.Get(c.Request.Context(), httpx.Snapshot(c), c.Param("object"), c.Param("id"), record.GetOptions{
		Fields: splitList(c.Query("fields")), Expand: splitList(c.Query("expand")), Deleted: c.Query("deleted") == "true",
	})
	if err != nil {
		problem.Write(c, err)
		return
	}
	tag := etag(rec)
	c.Header("ETag", tag)
	if inm := c.GetHeader("If-None-Match"); inm != "" && strings.Trim(strings.TrimPrefix(inm, "W/"), `"`) == strings.Trim(tag, `"`) {
		c.Status(http.StatusNotModified)
		return
	}
	c.JSON(http.StatusOK, rec)
}

// Update applies a partial update.
func (h *Handlers) Update(c *gin.Context) {
	version, err := ifMatch(c)
	if err != nil {
		problem.Write(c, err)
		return
	}
	input, err := httpx.BindRecord(c)
	if err != nil {
		problem.Write(c, err)
		return
	}
	rec, err := h.Records.Update(withLayout(c), httpx.Snapshot(c), c.Param("object"), c.Param("id"), input, version)
	if err != nil {
		problem.Write(c, err)
		return
	}
	c.Header("ETag", etag(rec))
	c.JSON(http.StatusOK, rec)
}

// Delete moves a record to the recycle bin.
func (h *Handlers) Delete(c *gin.Context) {
	version, err := ifMatch(c)
	if err != nil {
		problem.Write(c, err)
		return
	}
	if err := h.Records.Delete(c.Request.Context(), httpx.Snapshot(c), c.Param("object"), c.Param("id"), version); err != nil {
		problem.Write(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// Restore brings a record back from the recycle bin.
func (h *Handlers) Restore(c *gin.Context) {
	rec, err := h.Records.Restore(c.Request.Context(), httpx.Snapshot(c), c.Param("object"), c.Param("id"))
	if err != nil {
		problem.Write(c, err)
		return
	}
	c.Header("ETag", etag(rec))
	c.JSON(http.StatusOK, rec)
}

// Purge deletes a record from the recycle bin for good.
func (h *Handlers) Purge(c *gin.Context) {
	if err := h.Records.Purge(c.Request.Context(), httpx.Snapshot(c), c.Param("object"), c.Param("id")); err != nil {
		problem.Write(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// StageHistory returns a record's pipeline stage history.
func (h *Handlers) StageHistory(c *gin.Context) {
	entries, err := h.Records.StageHistory(c.Request.Context(), httpx.Snapshot(c), c.Param("object"), c.Param("id"))
	if err != nil {
		problem.Write(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"data": entries})
}

type bulkRequest struct {
	Operations []record.BulkOp `json:"operations"`
}

// Bulk runs up to 200 operations atomically.
func (h *Handlers) Bulk(c *gin.Context) {
	body, err := httpx.ReadBody(c)
	if err != nil {
		problem.Write(c, err)
		return
	}
	h.idempotent(c, body, func(c *gin.Context) (int, any, error) {
		var req bulkRequest
		if err := httpx.DecodeStrict(body, &req); err != nil {
			return 0, nil, err
		}
		results, err := h.Records.Bulk(c.Request.Context(), httpx.Snapshot(c), c.Param("object"), req.Operations)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, gin.H{"results": results}, nil
	})
}

// withLayout carries ?layout= into the write: a form saves through its
// layout, whose required and required_if fields are then enforced.
func withLayout(c *gin.Context) context.Context {
	if l := c.Query("layout"); l != "" {
		return record.WithLayout(c.Request.Context(), l)
	}
	return c.Request.Context()
}

type formStateInput struct {
	Layout string         `json:"layout"`
	ID     string         `json:"id"`
	Values map[string]any `json:"values"`
}

// FormState serves POST /records/{object}/form-state: which fields of a
// layout are hidden and which required for the record being edited.
func (h *Handlers) FormState(c *gin.Context) {
	var in formStateInput
	if err := httpx.BindJSON(c, &in); err != nil {
		problem.Write(c, err)
		return
	}
	if in.Layout == "" {
		problem.Write(c, problem.Field("layout", problem.CodeRequired, "layout is required"))
		return
	}
	st, err := h.Records.FormState(c.Request.Context(), httpx.Snapshot(c), c.Param("object"), in.Layout, in.ID, in.Values)
	if err != nil {
		problem.Write(c, err)
		return
	}
	c.JSON(http.StatusOK, st)
}
