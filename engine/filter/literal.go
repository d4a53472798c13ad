package filter

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/expr-lang/expr/ast"

	"github.com/tessera-crm/tessera/metadata"
)

// literal is a value written in a filter, before it meets a field's type.
// value holds the shapes metadata's Coerce accepts (string, int64,
// json.Number, bool) or nil, a civilDate, or a time.Time instant.
type literal struct {
	node  ast.Node
	value any
}

// civilDate is a calendar date YYYY-MM-DD from date() or today(); it has no
// time zone until it is compared with an instant.
type civilDate string

// isLiteral reports whether n has the shape of a value; literal then checks
// its content.
func isLiteral(n ast.Node) bool {
	switch n := n.(type) {
	case *ast.NilNode, *ast.BoolNode, *ast.StringNode, *ast.IntegerNode, *ast.FloatNode:
		return true
	case *ast.UnaryNode:
		return (n.Operator == "-" || n.Operator == "+") && isNumber(n.Node)
	}
	name, _, ok := function(n)
	return ok && (name == "date" || name == "datetime" || name == "today" || name == "now" || name == "days_ago" || name == "days_from_now")
}

func isNumber(n ast.Node) bool {
	switch n.(type) {
	case *ast.IntegerNode, *ast.FloatNode:
		return true
	}
	return false
}

func (t *translator) literal(n ast.Node) (literal, error) {
	switch n := n.(type) {
	case *ast.NilNode:
		return literal{node: n}, nil
	case *ast.BoolNode:
		return literal{node: n, value: n.Value}, nil
	case *ast.StringNode:
		// PostgreSQL text cannot hold NUL, and a broken string would fail in
		// the database instead of here.
		if !utf8.ValidString(n.Value) || strings.ContainsRune(n.Value, 0) {
			return literal{}, t.failAt(n, "the string contains a NUL character or invalid UTF-8")
		}
		return literal{node: n, value: n.Value}, nil
	case *ast.IntegerNode:
		return literal{node: n, value: int64(n.Value)}, nil
	case *ast.FloatNode:
		return literal{node: n, value: json.Number(t.numberText(n))}, nil
	case *ast.UnaryNode:
		if isLiteral(n) {
			return t.signed(n)
		}
	}
	if _, _, ok := function(n); ok && isLiteral(n) {
		return t.constructor(n)
	}
	return literal{}, t.unsupported(n)
}

// signed folds a sign into the number it precedes.
func (t *translator) signed(n *ast.UnaryNode) (literal, error) {
	inner, err := t.literal(n.Node)
	if err != nil {
		return literal{}, err
	}
	inner.node = n
	if n.Operator == "+" {
		return inner, nil
	}
	switch v := inner.value.(type) {
	case int64:
		inner.value = -v
	case json.Number:
		inner.value = json.Number("-" + strings.TrimPrefix(string(v), "+"))
	}
	return inner, nil
}

var numberChars = regexp.MustCompile(`^[0-9.eE+-]+$`)

// numberText returns a float literal as written, so that a decimal field
// compares with exactly the digits the user typed (0.1 stays 0.1, 12 digits
// after the point stay 12), not with the nearest float64.
func (t *translator) numberText(n *ast.FloatNode) string {
	loc := n.Location()
	from, to := t.runeToByte(loc.From), t.runeToByte(loc.To)
	if from < to && to <= len(t.src) {
		text := strings.ReplaceAll(t.src[from:to], "_", "")
		// Trust the source text only when it is the number expr parsed.
		if v, err := strconv.ParseFloat(text, 64); err == nil && v == n.Value && numberChars.MatchString(text) {
			return text
		}
	}
	return strconv.FormatFloat(n.Value, 'f', -1, 64)
}

// function returns the name and arguments of a call to a plain function
// (expr parses its own builtins, date() and now() among them, as
// BuiltinNode and anything else as CallNode).
func function(n ast.Node) (string, []ast.Node, bool) {
	switch n := n.(type) {
	case *ast.BuiltinNode:
		return n.Name, n.Arguments, true
	case *ast.CallNode:
		if id, ok := n.Callee.(*ast.IdentifierNode); ok {
			return id.Value, n.Arguments, true
		}
	}
	return "", nil, false
}

// isPipe reports whether a call was written x | f(): expr moves x into the
// arguments, ahead of the function's own position.
func isPipe(n ast.Node, args []ast.Node) bool {
	return len(args) > 0 && args[0] != nil && leftmost(args[0]) < n.Location().From
}

// constructor evaluates date("..."), datetime("..."), today() and now().
func (t *translator) constructor(n ast.Node) (literal, error) {
	name, args, _ := function(n)
	if isPipe(n, args) {
		return literal{}, t.failAt(n, "the pipe operator | is not supported in filters")
	}
	switch name {
	case "today", "now":
		if len(args) != 0 {
			return literal{}, t.failAt(n, "%s() takes no arguments", name)
		}
		if name == "today" {
			return literal{node: n, value: civilDate(t.now().In(t.location()).Format(metadata.DateLayout))}, nil
		}
		return literal{node: n, value: t.now().UTC().Truncate(time.Microsecond)}, nil
	case "days_ago", "days_from_now":
		// Relative days, for lists such as "not contacted for 30 days":
		// last_activity_at < days_ago(30).
		var days int64 = -1
		if len(args) == 1 {
			if lit, ok := args[0].(*ast.IntegerNode); ok && lit.Value >= 0 && lit.Value <= 36500 {
				days = int64(lit.Value)
			}
		}
		if days < 0 {
			return literal{}, t.failAt(n, "%s() takes a whole number of days from 0 to 36500, e.g. %s(30)", name, name)
		}
		if name == "days_ago" {
			days = -days
		}
		day := t.now().In(t.location()).AddDate(0, 0, int(days))
		return literal{node: n, value: civilDate(day.Format(metadata.DateLayout))}, nil
	}
	example := map[string]string{"date": `date("2025-01-31")`, "datetime": `datetime("2025-01-31T08:00:00Z")`}[name]
	if len(args) != 1 {
		return literal{}, t.failAt(n, "%s() takes one string argument, e.g. %s", name, example)
	}
	arg, ok := args[0].(*ast.StringNode)
	if !ok {
		return literal{}, t.failAtStart(args[0], "%s() takes one string argument, e.g. %s", name, example)
	}
	if name == "date" {
		d, err := time.Parse(metadata.DateLayout, arg.Value)
		if err != nil || d.Year() < 1 || d.Year() > 9999 {
			return literal{}, t.failAt(arg, "%s is not a date YYYY-MM-DD, e.g. %s", strconv.Quote(short(arg.Value)), example)
		}
		return literal{node: n, value: civilDate(d.Format(metadata.DateLayout))}, nil
	}
	ts, err := time.Parse(time.RFC3339Nano, arg.Value)
	if err != nil || ts.Year() < 1 || ts.Year() > 9999 {
		return literal{}, t.failAt(arg, "%s is not an RFC 3339 date-time, e.g. %s", strconv.Quote(short(arg.Value)), example)
	}
	return literal{node: n, value: ts.UTC().Truncate(time.Microsecond)}, nil
}

func (t *translator) now() time.Time {
	if t.env.Now.IsZero() {
		return time.Now()
	}
	return t.env.Now
}

// location is the tenant's time zone, in which today() is a date and a date
// compared with an instant starts; UTC when it is unset or unknown.
func (t *translator) location() *time.Location {
	if t.loc == nil {
		t.loc = t.env.Snapshot.Location()
	}
	return t.loc
}

// value converts a literal to the argument bound for ref's field, refusing
// what the field's type refuses.
func (t *translator) value(ref *fieldRef, lit literal) (any, error) {
	v, err := t.canonical(ref, lit)
	if err != nil {
		return nil, err
	}
	return t.boundValue(ref.field, v), nil
}

func (t *translator) boundValue(f *metadata.Field, v any) any {
	return f.Bind(t.env.DDL.D.Name(), v)
}

// canonical converts a literal to the field's canonical value: through the
// type's own Coerce, except where a filter legitimately asks more than a
// write may store.
func (t *translator) canonical(ref *fieldRef, lit literal) (any, error) {
	f := ref.field
	switch v := lit.value.(type) {
	case civilDate:
		switch f.Type {
		case metadata.TypeDate:
			return string(v), nil
		case metadata.TypeDatetime:
			// A day compared with an instant starts at the tenant's midnight.
			d, _ := time.ParseInLocation(metadata.DateLayout, string(v), t.location())
			return d.UTC(), nil
		}
		return nil, t.failAtStart(lit.node, "%s is a %s field; a date can only be compared with date and datetime fields", quoted(ref.name), f.Type)
	case time.Time:
		switch f.Type {
		case metadata.TypeDatetime:
			return v, nil
		case metadata.TypeDate:
			return v.In(t.location()).Format(metadata.DateLayout), nil
		}
		return nil, t.failAtStart(lit.node, "%s is a %s field; a date-time can only be compared with date and datetime fields", quoted(ref.name), f.Type)
	case string:
		switch f.Type {
		case metadata.TypePicklist, metadata.TypeMultiPicklist:
			return v, t.checkOption(ref, lit.node, v)
		case metadata.TypeAutoNumber:
			return v, nil // read-only for writes, but any text can be looked for
		}
	}
	if f.Type == metadata.TypeAutoNumber {
		return nil, t.failAtStart(lit.node, "%s is an auto number; compare it with a string", quoted(ref.name))
	}
	loose := relaxed(f)
	out, fe := loose.Kind().Coerce(loose, lit.value)
	if fe != nil {
		msg := fe.Message
		if s, ok := lit.value.(string); ok && f.Type == metadata.TypeDatetime && isDate(s) {
			msg += `; for the start of a day use date("` + s + `")`
		}
		return nil, t.failAtStart(lit.node, "%s", msg)
	}
	return out, nil
}

// relaxed drops the limits that bound what may be stored but not what may
// be looked for: probability < 150 or code == "A" are fair questions even
// when the field's max is 100 or its min_length 3.
func relaxed(f *metadata.Field) *metadata.Field {
	c := *f
	c.Min, c.Max, c.MinLength = nil, nil, nil
	return &c
}

// checkOption accepts any option of the field, inactive ones included:
// records keep values of options deactivated since, and must stay findable.
func (t *translator) checkOption(ref *fieldRef, at ast.Node, s string) error {
	if ref.field.Option(s) != nil {
		return nil
	}
	names := make([]string, 0, len(ref.field.Options))
	for _, o := range ref.field.Options {
		if o.Active {
			names = append(names, o.APIName)
		}
	}
	if len(names) > 20 {
		names = append(names[:20], "…")
	}
	return t.failAt(at, "%s is not an option of %s (options: %s)", strconv.Quote(short(s)), ref.name, strings.Join(names, ", "))
}

func isDate(s string) bool {
	_, err := time.Parse(metadata.DateLayout, s)
	return err == nil
}
