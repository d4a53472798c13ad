package audit

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"

	"github.com/tessera-crm/tessera/internal/csvx"
	"github.com/tessera-crm/tessera/internal/database"
)

// MaxExportRows bounds one export; narrower filters get the rest.
const MaxExportRows = 100000

// exportPage is the page size Export reads with: larger than the API's, as
// nothing waits for the first row but the download.
const exportPage = 1000

// ExportColumns head the CSV, in order.
var ExportColumns = []string{"at", "actor_kind", "actor_id", "actor_name", "ip", "client", "request_id",
	"action", "object", "record_id", "summary", "before", "after", "id"}

// Export writes the entries matching q (its Limit and Cursor are ignored) as
// CSV to w, newest first, at most MaxExportRows of them, and returns how many
// it wrote. The first page is read before anything is written, so an invalid
// filter fails with nothing written and can still be answered as a proper
// error.
func Export(ctx context.Context, db *database.DB, tenantKey string, q Query, w io.Writer) (int, error) {
	q.Limit, q.Cursor = exportPage, ""
	page, err := list(ctx, db, tenantKey, q)
	if err != nil {
		return 0, err
	}
	if _, err := io.WriteString(w, csvx.BOM); err != nil {
		return 0, fmt.Errorf("write audit export: %w", err)
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(ExportColumns); err != nil {
		return 0, fmt.Errorf("write audit export: %w", err)
	}
	written := 0
	for {
		for _, e := range page.Data {
			if written >= MaxExportRows {
				break
			}
			actor := ""
			if e.ActorID != nil {
				actor = *e.ActorID
			}
			row := []string{e.At, e.ActorKind, actor, e.ActorName, e.IP, e.Client, e.RequestID,
				e.Action, e.Object, e.RecordID, e.Summary, jsonCell(e.Before), jsonCell(e.After), e.ID}
			for i := range row {
				row[i] = csvx.Cell(row[i])
			}
			if err := cw.Write(row); err != nil {
				return written, fmt.Errorf("write audit export: %w", err)
			}
			written++
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return written, fmt.Errorf("write audit export: %w", err)
		}
		if page.NextCursor == nil || written >= MaxExportRows {
			return written, nil
		}
		if err := ctx.Err(); err != nil {
			return written, err
		}
		q.Cursor = *page.NextCursor
		if page, err = list(ctx, db, tenantKey, q); err != nil {
			return written, err
		}
	}
}

func jsonCell(raw []byte) string {
	if string(raw) == "null" {
		return ""
	}
	return string(raw)
}
