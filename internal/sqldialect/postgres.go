package sqldialect

import (
	"fmt"
	"strings"
)

type postgres struct{}

func (postgres) Name() Name                { return Postgres }
func (postgres) Quote(ident string) string { return quoteDouble(ident) }
func (postgres) SupportsForUpdate() bool   { return true }

func (p postgres) Table(tenantKey, table string) string {
	return p.Quote(TenantSchema(tenantKey)) + "." + p.Quote(table)
}

func (postgres) IndexName(_, table, suffix string) string {
	return shortIndexName("ix", table, suffix)
}

func (p postgres) QualifiedIndex(tenantKey, indexName string) string {
	return p.Quote(TenantSchema(tenantKey)) + "." + p.Quote(indexName)
}

func (postgres) ColumnType(kind ColumnKind, precision, scale int) string {
	switch kind {
	case KindInteger:
		return "bigint"
	case KindDecimal:
		if precision > 0 {
			return fmt.Sprintf("numeric(%d,%d)", precision, scale)
		}
		return "numeric"
	case KindBoolean:
		return "boolean"
	case KindDate:
		return "date"
	case KindDatetime:
		return "timestamptz"
	case KindUUID:
		return "uuid"
	case KindJSON:
		return "jsonb"
	default:
		return "text"
	}
}

func (p postgres) CreateNamespace(tenantKey string) []string {
	return []string{"CREATE SCHEMA " + p.Quote(TenantSchema(tenantKey))}
}

func (p postgres) DropNamespace(tenantKey string, _ []string) []string {
	return []string{"DROP SCHEMA IF EXISTS " + p.Quote(TenantSchema(tenantKey)) + " CASCADE"}
}

func (postgres) Comparable(_ ColumnKind, column string) string { return column }

func (postgres) JSONArrayContains(column string) string {
	return column + " @> jsonb_build_array(CAST(? AS text))"
}

func (postgres) InList(column string, kind ColumnKind) string {
	if kind == KindUUID {
		return column + " = ANY(CAST(? AS uuid[]))"
	}
	return column + " = ANY(CAST(? AS text[]))"
}

// ListParam writes a PostgreSQL array literal. Values are quoted, so commas
// and braces inside them stay data.
func (postgres) ListParam(values []string) any {
	var b strings.Builder
	b.WriteByte('{')
	for i, v := range values {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('"')
		b.WriteString(pgArrayEscaper.Replace(v))
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String()
}

func (p postgres) AppendOnly(tenantKey, table string) []string {
	schema := p.Quote(TenantSchema(tenantKey))
	fn := schema + "." + p.Quote(table+"_append_only")
	return []string{
		"CREATE FUNCTION " + fn + "() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RAISE EXCEPTION '" + table + " is append-only'; END$$",
		"CREATE TRIGGER " + p.Quote(table+"_append_only") + " BEFORE UPDATE OR DELETE ON " + p.Table(tenantKey, table) + " FOR EACH ROW EXECUTE FUNCTION " + fn + "()",
	}
}

var pgArrayEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`)

func (postgres) BinaryCollation() string { return `COLLATE "C"` }
