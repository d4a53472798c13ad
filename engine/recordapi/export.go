package recordapi

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tessera-crm/tessera/engine/record"
	"github.com/tessera-crm/tessera/internal/access"
	"github.com/tessera-crm/tessera/internal/csvx"
	"github.com/tessera-crm/tessera/internal/httpx"
	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/metadata"
)

// MaxExportRows bounds one CSV export.
const MaxExportRows = 100000

// Aggregate counts and sums records per group.
func (h *Handlers) Aggregate(c *gin.Context) {
	groups, err := h.Records.Aggregate(c.Request.Context(), httpx.Snapshot(c), c.Param("object"), record.AggregateQuery{
		GroupBy: c.Query("group_by"), Sum: c.Query("sum"), Filter: c.Query("filter"), Q: c.Query("q"),
	})
	if err != nil {
		problem.Write(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"data": groups})
}

// Export streams the records of a list as CSV (UTF-8 with a BOM, so that
// Excel opens Chinese text correctly), headed by field labels. It pages
// through the list by keyset, so memory stays flat.
func (h *Handlers) Export(c *gin.Context) {
	// Columns are what the caller may see: hidden fields are not exported.
	snap := access.FromContext(c.Request.Context()).View(httpx.Snapshot(c))
	object := c.Param("object")
	obj := snap.Object(object)
	if obj == nil {
		problem.Write(c, problem.UnknownObject(object))
		return
	}
	q := record.ListQuery{Filter: c.Query("filter"), Q: c.Query("q"), Sort: c.Query("sort"), Fields: splitList(c.Query("fields")), Limit: record.MaxLimit}
	cols := exportColumns(obj, q.Fields)
	if len(q.Fields) == 0 {
		q.Fields = cols
	}
	// The first page runs before anything is written, so a bad filter is
	// still a proper 400.
	page, err := h.Records.List(c.Request.Context(), snap, object, q)
	if err != nil {
		problem.Write(c, err)
		return
	}
	name := fmt.Sprintf("%s-%s.csv", object, time.Now().UTC().Format("20060102-150405"))
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", "attachment; filename=\""+name+"\"; filename*=UTF-8''"+url.PathEscape(name))
	c.Status(http.StatusOK)
	_, _ = c.Writer.WriteString(csvx.BOM)
	w := csv.NewWriter(c.Writer)
	header := make([]string, len(cols))
	for i, f := range cols {
		header[i] = columnLabel(obj, f, snap.Tenant.Locale)
	}
	_ = w.Write(header)
	written := 0
	for {
		for _, r := range page.Data {
			row := make([]string, len(cols))
			for i, f := range cols {
				row[i] = csvValue(r[f])
			}
			_ = w.Write(row)
			written++
		}
		w.Flush()
		if page.NextCursor == nil || written >= MaxExportRows || c.Request.Context().Err() != nil {
			return
		}
		q.Cursor = *page.NextCursor
		if page, err = h.Records.List(c.Request.Context(), snap, object, q); err != nil {
			// Headers are gone; end the body so the client sees a short file.
			_ = c.Error(err)
			return
		}
	}
}

func exportColumns(obj *metadata.Object, fields []string) []string {
	if len(fields) > 0 {
		return fields
	}
	cols := []string{"id"}
	for _, f := range obj.Fields {
		if f.Active {
			cols = append(cols, f.APIName)
		}
	}
	return append(cols, "owner_id", "created_at", "updated_at")
}

func columnLabel(obj *metadata.Object, name, locale string) string {
	if f := obj.Field(name); f != nil {
		return f.Labels.Pick(locale)
	}
	return name
}

func csvValue(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case []string:
		return strings.Join(x, ";")
	case string:
		return csvx.Cell(x)
	}
	return fmt.Sprint(v)
}
