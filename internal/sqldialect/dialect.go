// Package sqldialect hides the differences between PostgreSQL and SQLite that
// the engine cares about: how identifiers are quoted, where a tenant's tables
// live, and which column type stores each kind of value.
//
// Identifiers passed here must already be validated api names; the dialect
// quotes them anyway so that a validation bug cannot become an injection.
package sqldialect

import (
	"fmt"
	"strings"
)

// Name identifies a dialect.
type Name string

const (
	Postgres Name = "postgres"
	SQLite   Name = "sqlite"
)

// ColumnKind is the storage class a field type needs; each dialect maps it to
// a concrete column type.
type ColumnKind int

const (
	KindText ColumnKind = iota
	KindInteger
	KindDecimal // exact decimal: NUMERIC on PostgreSQL, TEXT on SQLite
	KindBoolean
	KindDate     // calendar date
	KindDatetime // instant, stored UTC
	KindUUID
	KindJSON // JSON array/object
)

// Dialect is implemented by Postgres and SQLite.
type Dialect interface {
	Name() Name
	// Quote quotes one identifier.
	Quote(ident string) string
	// Table returns the quoted, qualified name of a tenant table.
	Table(tenantKey, table string) string
	// IndexName returns a name for an index on a tenant table that is unique
	// in the namespace the dialect puts it in.
	IndexName(tenantKey, table, suffix string) string
	// QualifiedIndex returns the index name in the form DROP INDEX needs.
	QualifiedIndex(tenantKey, indexName string) string
	// ColumnType returns the column type for a storage kind; precision and
	// scale are used for decimals on dialects that have them.
	ColumnType(kind ColumnKind, precision, scale int) string
	// CreateNamespace returns the statements that prepare a new tenant's
	// namespace (a schema on PostgreSQL, nothing on SQLite).
	CreateNamespace(tenantKey string) []string
	// DropNamespace returns the statements that remove a tenant's namespace.
	DropNamespace(tenantKey string, tables []string) []string
	// Comparable wraps a column reference so that comparisons and ordering
	// follow the value's meaning (SQLite keeps decimals as text).
	Comparable(kind ColumnKind, column string) string
	// JSONArrayContains returns a predicate true when the JSON array column
	// contains the bound string parameter.
	JSONArrayContains(column string) string
	// SupportsForUpdate reports whether SELECT ... FOR UPDATE is meaningful.
	SupportsForUpdate() bool
	// InList returns a predicate true when column is one of the values of a
	// single bound parameter, built with ListParam. One parameter for any
	// number of values keeps the statement text (and its cached plan) the
	// same whether the list has two values or two thousand.
	InList(column string, kind ColumnKind) string
	// ListParam encodes values for InList.
	ListParam(values []string) any
	// BinaryCollation is the column clause that makes text compare by
	// bytes (PostgreSQL's default follows the locale).
	BinaryCollation() string
	// AppendOnly returns statements that make a tenant table refuse UPDATE
	// and DELETE.
	AppendOnly(tenantKey, table string) []string
}

// For returns the dialect with the given name.
func For(name Name) (Dialect, error) {
	switch name {
	case Postgres:
		return postgres{}, nil
	case SQLite:
		return sqlite{}, nil
	}
	return nil, fmt.Errorf("unknown SQL dialect %q", name)
}

func quoteDouble(ident string) string {
	return `"` + strings.ReplaceAll(ident, `"`, `""`) + `"`
}

// TenantSchema is the PostgreSQL schema (and SQLite table prefix) of a tenant.
func TenantSchema(tenantKey string) string { return "t_" + tenantKey }

// shortIndexName keeps index names under PostgreSQL's 63-byte limit while
// staying readable; the hash keeps truncated names distinct.
func shortIndexName(parts ...string) string {
	name := strings.Join(parts, "_")
	if len(name) <= 60 {
		return name
	}
	return name[:51] + "_" + fnv8(name)
}

func fnv8(s string) string {
	var h uint32 = 2166136261
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return fmt.Sprintf("%08x", h)
}
