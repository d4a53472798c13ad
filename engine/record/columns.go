package record

import (
	"database/sql"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/internal/sqldialect"
	"github.com/tessera-crm/tessera/metadata"
)

// column is one selected column and how to turn its value into API form.
type column struct {
	name  string
	kind  sqldialect.ColumnKind
	scale int
}

var systemColumns = []column{
	{"id", sqldialect.KindUUID, 0},
	{"owner_id", sqldialect.KindUUID, 0},
	{"created_at", sqldialect.KindDatetime, 0},
	{"created_by", sqldialect.KindUUID, 0},
	{"updated_at", sqldialect.KindDatetime, 0},
	{"updated_by", sqldialect.KindUUID, 0},
	{"version", sqldialect.KindInteger, 0},
	{"deleted_at", sqldialect.KindDatetime, 0},
}

func isSystem(name string) (column, bool) {
	for _, c := range systemColumns {
		if c.name == name {
			return c, true
		}
	}
	return column{}, false
}

func fieldColumn(f *metadata.Field) column {
	scale := 0
	if f.Scale != nil {
		scale = *f.Scale
	}
	return column{name: f.APIName, kind: f.Kind().Storage(f), scale: scale}
}

// plan is what every full read of an object selects, built once per
// snapshot object.
type plan struct {
	cols       []column
	selectAll  string // for statements on the bare table
	selectAllT string // for statements on the table aliased t
}

type planKey struct{}

// planOf is the plan of what the caller may see.
func planOf(sc *scope) *plan {
	return sc.vobj.Memo(planKey{}, func() any {
		cols, _ := selection(sc.vobj, nil)
		return &plan{cols: cols, selectAll: selectList(sc, "", cols), selectAllT: selectList(sc, "t", cols)}
	}).(*plan)
}

// selection resolves the fields= parameter: every active field by default;
// id and version are always returned (clients need them to write back).
func selection(obj *metadata.Object, fields []string) ([]column, error) {
	if len(fields) == 0 {
		cols := make([]column, 0, len(systemColumns)+len(obj.Fields))
		cols = append(cols, systemColumns...)
		for _, f := range obj.Fields {
			if f.Active {
				cols = append(cols, fieldColumn(f))
			}
		}
		return cols, nil
	}
	cols := []column{systemColumns[0], systemColumns[6]}
	seen := map[string]bool{"id": true, "version": true}
	for _, name := range fields {
		name = strings.TrimSpace(name)
		if name == "" || seen[name] {
			continue
		}
		seen[name] = true
		if c, ok := isSystem(name); ok {
			cols = append(cols, c)
			continue
		}
		f := obj.Field(name)
		if f == nil || !f.Active {
			return nil, problem.Field(name, problem.CodeUnknownField, "%s has no field %q", obj.APIName, name)
		}
		cols = append(cols, fieldColumn(f))
	}
	return cols, nil
}

func selectList(sc *scope, alias string, cols []column) string {
	var b strings.Builder
	for i, c := range cols {
		if i > 0 {
			b.WriteString(", ")
		}
		if alias != "" {
			b.WriteString(alias)
			b.WriteByte('.')
		}
		b.WriteString(sc.q(c.name))
	}
	return b.String()
}

// queryRecords runs a statement whose rows are cols.
func queryRecords(conn *gorm.DB, cols []column, q string, args ...any) ([]Record, error) {
	rows, err := conn.Raw(q, args...).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return scanRecords(rows, cols)
}

// scanRecords reads every row into API-form records.
func scanRecords(rows *sql.Rows, cols []column) ([]Record, error) {
	var out []Record
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("scan record: %w", err)
		}
		r := make(Record, len(cols))
		for i, c := range cols {
			r[c.name] = metadata.OutputValue(c.kind, c.scale, vals[i])
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read records: %w", err)
	}
	return out, nil
}
