package sqldialect

import (
	"encoding/json"
	"strings"
)

type sqlite struct{}

func (sqlite) Name() Name                { return SQLite }
func (sqlite) Quote(ident string) string { return quoteDouble(ident) }
func (sqlite) SupportsForUpdate() bool   { return false }

// SQLite has one namespace per database file, so a tenant's tables carry the
// tenant schema name as a prefix instead.
func (s sqlite) Table(tenantKey, table string) string {
	return s.Quote(TenantSchema(tenantKey) + "__" + table)
}

func (sqlite) IndexName(tenantKey, table, suffix string) string {
	return "ix_" + TenantSchema(tenantKey) + "__" + table + "_" + suffix
}

func (s sqlite) QualifiedIndex(_, indexName string) string { return s.Quote(indexName) }

// Decimals are TEXT: a NUMERIC column in SQLite converts to REAL and loses
// digits. Dates and instants are fixed-width ISO text, which sorts correctly.
func (sqlite) ColumnType(kind ColumnKind, _, _ int) string {
	switch kind {
	case KindInteger, KindBoolean:
		return "INTEGER"
	default:
		return "TEXT"
	}
}

func (sqlite) CreateNamespace(string) []string { return nil }

func (s sqlite) DropNamespace(tenantKey string, tables []string) []string {
	stmts := make([]string, 0, len(tables))
	for _, t := range tables {
		stmts = append(stmts, "DROP TABLE IF EXISTS "+s.Table(tenantKey, t))
	}
	return stmts
}

// Decimal text compares as text in SQLite; comparisons and sorting go through
// REAL, which orders amounts correctly up to ~15 significant digits. The
// stored value itself stays exact.
func (sqlite) Comparable(kind ColumnKind, column string) string {
	if kind == KindDecimal {
		return "CAST(" + column + " AS REAL)"
	}
	return column
}

func (sqlite) JSONArrayContains(column string) string {
	return "EXISTS (SELECT 1 FROM json_each(" + column + ") WHERE json_each.value = ?)"
}

func (sqlite) InList(column string, _ ColumnKind) string {
	return column + " IN (SELECT value FROM json_each(?))"
}

func (sqlite) ListParam(values []string) any {
	if values == nil {
		values = []string{}
	}
	b, _ := json.Marshal(values)
	return string(b)
}

func (s sqlite) AppendOnly(tenantKey, table string) []string {
	var out []string
	for _, op := range []string{"UPDATE", "DELETE"} {
		name := s.Quote(TenantSchema(tenantKey) + "__" + table + "_no_" + strings.ToLower(op))
		out = append(out, "CREATE TRIGGER "+name+" BEFORE "+op+" ON "+s.Table(tenantKey, table)+
			" BEGIN SELECT RAISE(ABORT, '"+table+" is append-only'); END")
	}
	return out
}

// SQLite compares text by bytes unless told otherwise.
func (sqlite) BinaryCollation() string { return "" }
