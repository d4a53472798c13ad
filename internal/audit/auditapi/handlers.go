// Package auditapi serves a tenant's operation log: search and CSV export.
package auditapi

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tessera-crm/tessera/internal/audit"
	"github.com/tessera-crm/tessera/internal/database"
	"github.com/tessera-crm/tessera/internal/httpx"
	"github.com/tessera-crm/tessera/internal/problem"
)

// Handlers serve /audit. Who may call them is the routes' business.
type Handlers struct {
	DB *database.DB
}

// List answers GET /audit.
func (h *Handlers) List(c *gin.Context) {
	q, err := parseQuery(c.Request.URL.Query())
	if err != nil {
		problem.Write(c, err)
		return
	}
	page, err := audit.List(c.Request.Context(), h.DB, httpx.Snapshot(c).Tenant.Key, q)
	if err != nil {
		problem.Write(c, err)
		return
	}
	c.JSON(http.StatusOK, page)
}

// Export answers GET /audit/export: the entries matching the same filters
// as List, as a CSV download. The export itself is logged, since who took a
// copy of the log is worth knowing.
func (h *Handlers) Export(c *gin.Context) {
	q, err := parseQuery(c.Request.URL.Query())
	if err != nil {
		problem.Write(c, err)
		return
	}
	ctx := c.Request.Context()
	tenantKey := httpx.Snapshot(c).Tenant.Key
	w := &download{c: c, name: "audit-" + time.Now().UTC().Format("20060102-150405") + ".csv"}
	n, err := audit.Export(ctx, h.DB, tenantKey, q, w)
	if err != nil {
		if !w.started {
			problem.Write(c, err)
			return
		}
		// The headers are gone: end the body so the client sees a short
		// file, and leave the error to the request log.
		_ = c.Error(fmt.Errorf("audit export after %d rows: %w", n, err))
		return
	}
	// The download is complete whether or not the client is still there.
	logCtx := context.WithoutCancel(ctx)
	if err := audit.Write(logCtx, h.DB, tenantKey, audit.Entry{Action: "audit.export", Object: "audit",
		Summary: fmt.Sprintf("exported %d audit entries", n), After: exportFilters(c.Request.URL.Query())}); err != nil {
		_ = c.Error(err)
	}
}

// download sets the download headers on the first write, so that an error
// found before any row is still answered as problem+json.
type download struct {
	c       *gin.Context
	name    string
	started bool
}

func (d *download) Write(p []byte) (int, error) {
	if !d.started {
		d.started = true
		d.c.Header("Content-Type", "text/csv; charset=utf-8")
		d.c.Header("Content-Disposition", "attachment; filename=\""+d.name+"\"; filename*=UTF-8''"+url.PathEscape(d.name))
		d.c.Status(http.StatusOK)
	}
	return d.c.Writer.Write(p)
}

// parseQuery binds the query parameters; errors name the parameter.
func parseQuery(v url.Values) (audit.Query, error) {
	q := audit.Query{
		Action:   v.Get("action"),
		ActorID:  v.Get("actor_id"),
		Object:   v.Get("object"),
		RecordID: v.Get("record_id"),
		Q:        v.Get("q"),
		Cursor:   v.Get("cursor"),
	}
	var err error
	if q.From, err = parseTime(v, "from"); err != nil {
		return q, err
	}
	if q.To, err = parseTime(v, "to"); err != nil {
		return q, err
	}
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return q, problem.Field("limit", problem.CodeInvalidType, "limit must be a whole number")
		}
		if n < 1 || n > audit.MaxLimit {
			return q, problem.Field("limit", problem.CodeOutOfRange, "limit must be between 1 and %d", audit.MaxLimit)
		}
		q.Limit = n
	}
	return q, nil
}

func parseTime(v url.Values, name string) (time.Time, error) {
	s := v.Get(name)
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, problem.Field(name, problem.CodeInvalidType, "%s must be an RFC 3339 time such as 2025-03-01T00:00:00Z", name)
	}
	return t.UTC(), nil
}

// exportFilters records what was exported.
func exportFilters(v url.Values) map[string]string {
	out := map[string]string{}
	for _, k := range []string{"action", "actor_id", "object", "record_id", "from", "to", "q"} {
		if s := v.Get(k); s != "" {
			out[k] = s
		}
	}
	return out
}
