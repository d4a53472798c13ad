package metadata

import (
	"fmt"
	"strings"
)

// MaxAPINameLength bounds api names so derived identifiers (index names,
// SQLite table prefixes) stay within PostgreSQL's 63-byte limit.
const MaxAPINameLength = 48

// SystemFields are the columns every object table has; fields may not take
// their names.
var SystemFields = []string{"id", "owner_id", "created_at", "created_by", "updated_at", "updated_by", "version", "deleted_at"}

var reservedNames = setOf(append([]string{
	"tenant_id", "expand", "fields", "filter", "sort", "limit", "cursor", "count", "prior", "record", "user", "now", "today",
	"meta", "records", "bulk", "restore", "purge", "true", "false", "nil", "null", "in", "not", "and", "or", "matches",
	"contains", "startswith", "endswith", "oid", "ctid", "xmin", "xmax", "cmin", "cmax", "tableoid", "rowid", "oid_",
}, SystemFields...)...)

// sqlKeywords are reserved words of PostgreSQL and SQLite that would need
// quoting everywhere (and confuse every tenant's BI tool) as column names.
var sqlKeywords = setOf(
	"abort", "action", "add", "after", "all", "alter", "always", "analyze", "and", "any", "array", "as", "asc",
	"asymmetric", "attach", "autoincrement", "before", "begin", "between", "both", "by", "cascade", "case", "cast",
	"check", "collate", "column", "commit", "concurrently", "conflict", "constraint", "create", "cross", "current",
	"current_catalog", "current_date", "current_role", "current_schema", "current_time", "current_timestamp",
	"current_user", "database", "default", "deferrable", "deferred", "delete", "desc", "detach", "distinct", "do",
	"drop", "each", "else", "end", "escape", "except", "exclude", "exclusive", "exists", "explain", "fail", "fetch",
	"filter", "first", "following", "for", "foreign", "freeze", "from", "full", "generated", "glob", "grant", "group",
	"groups", "having", "if", "ignore", "ilike", "immediate", "in", "index", "indexed", "initially", "inner", "insert",
	"instead", "intersect", "into", "is", "isnull", "join", "key", "last", "lateral", "leading", "left", "like",
	"limit", "localtime", "localtimestamp", "match", "materialized", "natural", "no", "not", "nothing", "notnull",
	"null", "nulls", "of", "offset", "on", "only", "or", "order", "others", "outer", "over", "overlaps", "partition",
	"placing", "plan", "pragma", "preceding", "primary", "query", "raise", "range", "recursive", "references",
	"regexp", "reindex", "release", "rename", "replace", "restrict", "returning", "right", "rollback", "row", "rows",
	"savepoint", "select", "session_user", "set", "similar", "some", "symmetric", "table", "temp", "temporary",
	"then", "ties", "to", "trailing", "transaction", "trigger", "unbounded", "union", "unique", "update", "user",
	"using", "vacuum", "values", "variadic", "verbose", "view", "virtual", "when", "where", "window", "with",
	"without", "authorization", "binary", "collation", "freeze", "notnull", "tablesample", "verbose",
)

func setOf(words ...string) map[string]struct{} {
	m := make(map[string]struct{}, len(words))
	for _, w := range words {
		m[w] = struct{}{}
	}
	return m
}

// ValidateAPIName checks that name can be a table or column identifier:
// lower snake_case ASCII starting with a letter, no double or trailing
// underscore, not a system or reserved name, not an SQL keyword, at most 48
// characters. It returns a sentence saying what is wrong, or "".
func ValidateAPIName(name string) string {
	switch {
	case name == "":
		return "is empty"
	case len(name) > MaxAPINameLength:
		return fmt.Sprintf("is longer than %d characters", MaxAPINameLength)
	case name[0] < 'a' || name[0] > 'z':
		return "must start with a lower-case letter a-z"
	case strings.HasSuffix(name, "_"):
		return "must not end with an underscore"
	case strings.Contains(name, "__"):
		return "must not contain a double underscore"
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
			return fmt.Sprintf("has %q at position %d; use lower-case letters, digits and underscores (snake_case)", string(rune(c)), i)
		}
	}
	if _, ok := reservedNames[name]; ok {
		return "is reserved by Tessera"
	}
	if _, ok := sqlKeywords[name]; ok {
		return "is an SQL keyword"
	}
	return ""
}

// ValidateTenantKey checks a tenant key: like an api name, at most 30
// characters (it prefixes every table name on SQLite).
func ValidateTenantKey(key string) string {
	if len(key) > 30 {
		return "is longer than 30 characters"
	}
	if key == "" {
		return "is empty"
	}
	if key[0] < 'a' || key[0] > 'z' {
		return "must start with a lower-case letter a-z"
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
			return fmt.Sprintf("has %q at position %d; use lower-case letters, digits and underscores", string(rune(c)), i)
		}
	}
	if strings.Contains(key, "__") || strings.HasSuffix(key, "_") {
		return "must not contain a double underscore or end with one"
	}
	return ""
}
