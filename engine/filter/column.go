package filter

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/expr-lang/expr/ast"

	"github.com/tessera-crm/tessera/internal/exprtext"
	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/internal/sqldialect"
	"github.com/tessera-crm/tessera/metadata"
)

// lookupAlias names the target table inside a lookup path's subquery. Paths
// are one hop, so subqueries never nest and one name serves them all.
const lookupAlias = "lk"

// Column resolves a field of env.Object, system fields included, to the SQL
// that compares and sorts it: t."amount", with decimals wrapped so that they
// order by value on every dialect. An unknown or inactive field is a 400
// (unknown_field) naming it, with a suggestion when one is close.
func Column(env Env, name string) (sql string, f *metadata.Field, err error) {
	if env.Object == nil || env.DDL.D == nil {
		return "", nil, fmt.Errorf("filter column %q: Env needs Object and DDL.D", name)
	}
	f = fieldOf(env.Object, name)
	if f == nil {
		return "", nil, problem.Field(name, problem.CodeUnknownField, "%s", unknownFieldMessage(env.Object, name))
	}
	if computedOnRead(f) {
		return "", nil, problem.Field(name, problem.CodeInvalidSort, "%s is a formula computed on read; store it (formula_stored) to sort by it", name)
	}
	return comparable(env.DDL.D, f, columnSQL(env.DDL.D, env.Alias, name)), f, nil
}

// fieldRef is a field as a filter names it: a column of the main table, or
// of the record a lookup points to.
type fieldRef struct {
	name  string // as written: amount, account_id.tier
	field *metadata.Field
	col   string // the column as compared and ordered
	raw   string // the bare column, for NULL tests and text functions
	via   *hop   // set for lookup paths
}

// hop is the lookup a path goes through.
type hop struct {
	outer  string // the lookup column in the main table
	target *metadata.Object
}

func (t *translator) resolve(n ast.Node) (*fieldRef, error) {
	switch n := n.(type) {
	case *ast.IdentifierNode:
		f := fieldOf(t.env.Object, n.Value)
		if f == nil {
			return nil, t.failAt(n, "%s", unknownFieldMessage(t.env.Object, n.Value))
		}
		if f.Encrypted {
			return nil, t.failAt(n, "%s is encrypted: its stored values are ciphertext, so it cannot be filtered", quoted(n.Value))
		}
		if computedOnRead(f) {
			return nil, t.failAt(n, "%s is a formula computed on read; store it (formula_stored) to filter on it", quoted(n.Value))
		}
		return t.newRef(n.Value, f, t.env.Alias, nil), nil
	case *ast.MemberNode:
		return t.resolvePath(n)
	}
	return nil, t.unsupported(n)
}

// resolvePath resolves lookup.field, one hop only: each hop is a subquery,
// and one keeps the cost of a filter predictable.
func (t *translator) resolvePath(n *ast.MemberNode) (*fieldRef, error) {
	prop, ok := n.Property.(*ast.StringNode)
	if !ok {
		return nil, t.failAt(n, "indexing with [...] is not supported in filters")
	}
	base, ok := n.Node.(*ast.IdentifierNode)
	if !ok {
		if _, deeper := n.Node.(*ast.MemberNode); deeper {
			return nil, t.failAt(prop, "%s goes through more than one lookup; filters follow one lookup at most", quoted(short(pathText(n))))
		}
		return nil, t.unsupported(n.Node)
	}
	lookup := fieldOf(t.env.Object, base.Value)
	if lookup == nil {
		return nil, t.failAt(base, "%s", unknownFieldMessage(t.env.Object, base.Value))
	}
	var target *metadata.Object
	if lookup.Type == metadata.TypeLookup && lookup.Target != "" {
		target = t.env.Snapshot.Object(lookup.Target)
	}
	if target == nil {
		return nil, t.failAt(base, "%s is not a lookup to an object, so %s cannot follow it", quoted(base.Value), quoted(short(pathText(n))))
	}
	f := fieldOf(target, prop.Value)
	if f == nil {
		return nil, t.failAt(prop, "%s", unknownFieldMessage(target, prop.Value))
	}
	if f.Encrypted {
		return nil, t.failAt(prop, "%s is encrypted, so it cannot be filtered", quoted(short(pathText(n))))
	}
	if computedOnRead(f) {
		return nil, t.failAt(prop, "%s is a formula computed on read, so it cannot be filtered", quoted(short(pathText(n))))
	}
	via := &hop{outer: columnSQL(t.env.DDL.D, t.env.Alias, lookup.APIName), target: target}
	return t.newRef(base.Value+"."+prop.Value, f, lookupAlias, via), nil
}

func (t *translator) newRef(name string, f *metadata.Field, alias string, via *hop) *fieldRef {
	raw := columnSQL(t.env.DDL.D, alias, f.APIName)
	return &fieldRef{name: name, field: f, col: comparable(t.env.DDL.D, f, raw), raw: raw, via: via}
}

// within applies a predicate on a looked-up column: the record matches when
// its lookup points at a live record that satisfies it. Own columns need no
// wrapping.
func (t *translator) within(ref *fieldRef, pred string) string {
	if ref.via == nil {
		return pred
	}
	q := t.env.DDL.D.Quote
	return fmt.Sprintf("%s IN (SELECT %s.%s FROM %s AS %s WHERE (%s) AND %s.%s IS NULL)",
		ref.via.outer, lookupAlias, q("id"), t.env.DDL.Table(ref.via.target.APIName), lookupAlias,
		pred, lookupAlias, q("deleted_at"))
}

// fieldOf returns an active field of o or a system field, or nil. Inactive
// fields are hidden from clients, so filters cannot reveal them either.
func fieldOf(o *metadata.Object, name string) *metadata.Field {
	if f := o.Field(name); f != nil && f.Active && f.Kind() != nil {
		return f
	}
	return systemField(name)
}

// systemField describes a system column as a field, so that values compared
// with it are checked and bound like any other. deleted_at is not offered:
// lists never show deleted records.
func systemField(name string) *metadata.Field {
	var typ string
	switch name {
	case "id", "owner_id", "created_by", "updated_by":
		typ = metadata.TypeLookup
	case "created_at", "updated_at":
		typ = metadata.TypeDatetime
	case "version":
		typ = metadata.TypeInteger
	default:
		return nil
	}
	return &metadata.Field{APIName: name, Type: typ, Active: true, Labels: metadata.Labels{"en": name}}
}

// fieldNames lists what a filter on o may name, for suggestions.
func fieldNames(o *metadata.Object) []string {
	var names []string
	for _, f := range o.Fields {
		if f.Active {
			names = append(names, f.APIName)
		}
	}
	for _, name := range metadata.SystemFields {
		if systemField(name) != nil {
			names = append(names, name)
		}
	}
	return names
}

func unknownFieldMessage(o *metadata.Object, name string) string {
	msg := fmt.Sprintf("unknown field %s on %s", quoted(short(name)), o.APIName)
	if s := exprtext.Suggest(name, fieldNames(o)); s != "" {
		msg += fmt.Sprintf("; did you mean %s?", quoted(s))
	}
	return msg
}

var plainAlias = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// columnSQL renders alias."name". The alias comes from the calling code, not
// the client; it is quoted anyway unless it is a plain identifier.
func columnSQL(d sqldialect.Dialect, alias, name string) string {
	switch {
	case alias == "":
		return d.Quote(name)
	case plainAlias.MatchString(alias):
		return alias + "." + d.Quote(name)
	}
	return d.Quote(alias) + "." + d.Quote(name)
}

func comparable(d sqldialect.Dialect, f *metadata.Field, col string) string {
	return d.Comparable(f.Kind().Storage(f), col)
}

// pathText renders a member chain a.b.c for messages.
func pathText(n ast.Node) string {
	switch n := n.(type) {
	case *ast.IdentifierNode:
		return n.Value
	case *ast.MemberNode:
		if p, ok := n.Property.(*ast.StringNode); ok {
			return pathText(n.Node) + "." + p.Value
		}
		return pathText(n.Node) + "[...]"
	}
	return "(...)"
}

// short keeps client-supplied text in messages readable.
func short(s string) string {
	const limit = 64
	if len(s) <= limit {
		return s
	}
	cut := limit
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strings.TrimSpace(s[:cut]) + "…"
}

// computedOnRead reports a formula whose column is not kept current.
func computedOnRead(f *metadata.Field) bool { return f.Formula != "" && !f.FormulaStored }
