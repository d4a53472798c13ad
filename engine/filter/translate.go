package filter

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/expr-lang/expr/ast"

	"github.com/tessera-crm/tessera/metadata"
)

// translator walks one parsed filter and collects the bound arguments in the
// order their placeholders appear in the SQL.
type translator struct {
	src  string
	env  Env
	args []any
	loc  *time.Location
}

func newTranslator(src string, env Env) *translator {
	return &translator{src: src, env: env}
}

// bind adds an argument and returns its placeholder.
func (t *translator) bind(v any) string {
	t.args = append(t.args, v)
	return "?"
}

// predicate translates a node that must be a condition.
func (t *translator) predicate(n ast.Node) (string, error) {
	switch n := n.(type) {
	case *ast.BinaryNode:
		switch n.Operator {
		case "&&", "and", "||", "or":
			return t.logic(n)
		case "==", "!=", "<", "<=", ">", ">=":
			return t.comparison(n)
		case "in":
			return t.inList(n)
		case "contains", "startsWith", "endsWith":
			return t.textMatch(n)
		}
	case *ast.UnaryNode:
		if n.Operator == "!" || n.Operator == "not" {
			return t.negation(n)
		}
	case *ast.IdentifierNode, *ast.MemberNode:
		if isFieldNode(n) {
			return t.booleanField(n)
		}
	}
	if isLiteral(n) {
		return "", t.failAtStart(n, "a value alone is not a condition; compare a field with it, e.g. amount > 100")
	}
	return "", t.unsupported(n)
}

// logic renders a chain of one logical operator as one flat, parenthesized
// list, so that the caller can AND the result with its own conditions.
func (t *translator) logic(n *ast.BinaryNode) (string, error) {
	joiner := " AND "
	if logicOp(n) == "or" {
		joiner = " OR "
	}
	operands := flatten(n)
	parts := make([]string, 0, len(operands))
	for _, operand := range operands {
		p, err := t.predicate(operand)
		if err != nil {
			return "", err
		}
		parts = append(parts, p)
	}
	return "(" + strings.Join(parts, joiner) + ")", nil
}

// negation uses IS NOT TRUE rather than NOT: a condition on an empty field
// is NULL in SQL and NOT NULL is still NULL, but !(amount > 100) must match
// the records without an amount.
func (t *translator) negation(n *ast.UnaryNode) (string, error) {
	p, err := t.predicate(n.Node)
	if err != nil {
		return "", err
	}
	return "((" + p + ") IS NOT TRUE)", nil
}

// booleanField lets a boolean field stand alone as a condition: is_won.
func (t *translator) booleanField(n ast.Node) (string, error) {
	ref, err := t.resolve(n)
	if err != nil {
		return "", err
	}
	if ref.field.Type != metadata.TypeBoolean {
		return "", t.failAt(n, "%s is a %s field, not a condition; compare it with a value, e.g. %s == ...",
			quoted(ref.name), ref.field.Type, ref.name)
	}
	return t.within(ref, ref.col+" = "+t.bind(t.boundValue(ref.field, true))), nil
}

var flipped = map[string]string{"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}

var sqlOperator = map[string]string{"==": "=", "!=": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">="}

// comparison translates field <op> value, in either order.
func (t *translator) comparison(n *ast.BinaryNode) (string, error) {
	op, fieldNode, valueNode := n.Operator, n.Left, n.Right
	switch {
	case isFieldNode(n.Left) && isFieldNode(n.Right):
		return "", t.failAt(n.Right, "comparing two fields (%s and %s) is not supported in filters; compare a field with a value",
			quoted(short(pathText(n.Left))), quoted(short(pathText(n.Right))))
	case isFieldNode(n.Right):
		op, fieldNode, valueNode = flipped[op], n.Right, n.Left
	case !isFieldNode(n.Left):
		for _, side := range []ast.Node{n.Left, n.Right} {
			if !isLiteral(side) {
				return "", t.unsupported(side)
			}
		}
		return "", t.failAt(n, "a comparison needs a field on one side, e.g. amount > 100")
	}
	if !isLiteral(valueNode) {
		return "", t.unsupported(valueNode)
	}
	ref, err := t.resolve(fieldNode)
	if err != nil {
		return "", err
	}
	lit, err := t.literal(valueNode)
	if err != nil {
		return "", err
	}
	if lit.value == nil {
		return t.nullTest(n, ref, op)
	}
	if err := t.checkComparable(n, ref, op); err != nil {
		return "", err
	}
	v, err := t.value(ref, lit)
	if err != nil {
		return "", err
	}
	pred := ref.col + " " + sqlOperator[op] + " " + t.bind(v)
	if op == "!=" {
		// != matches empty fields too, as "not equal" reads.
		pred = "(" + pred + " OR " + ref.raw + " IS NULL)"
	}
	return t.within(ref, pred), nil
}

func (t *translator) nullTest(n *ast.BinaryNode, ref *fieldRef, op string) (string, error) {
	switch op {
	case "==":
		return t.within(ref, ref.raw+" IS NULL"), nil
	case "!=":
		return t.within(ref, ref.raw+" IS NOT NULL"), nil
	}
	return "", t.failAt(n, "nil can only be compared with == or !=")
}

// checkComparable refuses comparisons a type has no meaning for.
func (t *translator) checkComparable(n *ast.BinaryNode, ref *fieldRef, op string) error {
	f := ref.field
	if f.Type == metadata.TypeMultiPicklist {
		return t.failAt(n, "%s is a multi_picklist field; use %s contains \"option\" instead of %s",
			quoted(ref.name), ref.name, op)
	}
	if op == "==" || op == "!=" {
		return nil
	}
	switch f.Type {
	case metadata.TypeBoolean:
		return t.failAt(n, "%s is not supported on %s: true and false have no order", op, quoted(ref.name))
	case metadata.TypePicklist:
		return t.failAt(n, "%s is not supported on picklist field %s; use %s in [...]", op, quoted(ref.name), ref.name)
	case metadata.TypeLookup:
		return t.failAt(n, "%s is not supported on %s: record ids have no meaningful order", op, quoted(ref.name))
	}
	return nil
}

// inList translates field in [v1, v2, ...].
func (t *translator) inList(n *ast.BinaryNode) (string, error) {
	if !isFieldNode(n.Left) {
		if isFieldNode(n.Right) {
			return "", t.failAt(n, "`in` needs the field on its left and a list on its right, e.g. stage in [\"won\", \"lost\"]")
		}
		return "", t.unsupported(n.Left)
	}
	ref, err := t.resolve(n.Left)
	if err != nil {
		return "", err
	}
	list, ok := n.Right.(*ast.ArrayNode)
	if !ok {
		if !isLiteral(n.Right) && !isFieldNode(n.Right) {
			return "", t.unsupported(n.Right)
		}
		return "", t.failAtStart(n.Right, "the right side of `in` must be a list, e.g. stage in [\"won\", \"lost\"]")
	}
	if len(list.Nodes) > MaxListItems {
		return "", t.failAt(list, "the list has %d items; the limit is %d", len(list.Nodes), MaxListItems)
	}
	if ref.field.Type == metadata.TypeMultiPicklist {
		return "", t.failAt(n, "`in` is not supported on multi_picklist field %s; use %s contains \"option\"", quoted(ref.name), ref.name)
	}
	if len(list.Nodes) == 0 {
		return "1 = 0", nil // nothing is in an empty list
	}
	placeholders := make([]string, 0, len(list.Nodes))
	for _, item := range list.Nodes {
		if !isLiteral(item) {
			return "", t.unsupported(item)
		}
		lit, err := t.literal(item)
		if err != nil {
			return "", err
		}
		if lit.value == nil {
			return "", t.failAt(item, "nil cannot be in a list; use %s == nil || %s in [...]", ref.name, ref.name)
		}
		v, err := t.value(ref, lit)
		if err != nil {
			return "", err
		}
		placeholders = append(placeholders, t.bind(v))
	}
	return t.within(ref, ref.col+" IN ("+strings.Join(placeholders, ", ")+")"), nil
}

// textTypes are the types contains, startsWith and endsWith search in.
var textTypes = []string{
	metadata.TypeText, metadata.TypeLongText, metadata.TypeEmail, metadata.TypePhone,
	metadata.TypeURL, metadata.TypePicklist, metadata.TypeAutoNumber,
}

// textMatch translates contains, startsWith and endsWith: a case-insensitive
// LIKE on text, membership on a multi-picklist.
func (t *translator) textMatch(n *ast.BinaryNode) (string, error) {
	op := n.Operator
	if !isFieldNode(n.Left) {
		if isFieldNode(n.Right) {
			return "", t.failAt(n, "`%s` needs the field on its left, e.g. name %s \"acme\"", op, op)
		}
		return "", t.unsupported(n.Left)
	}
	ref, err := t.resolve(n.Left)
	if err != nil {
		return "", err
	}
	str, ok := n.Right.(*ast.StringNode)
	if !ok {
		if isLiteral(n.Right) || isFieldNode(n.Right) {
			return "", t.failAtStart(n.Right, "`%s` needs a string on its right, e.g. name %s \"acme\"", op, op)
		}
		return "", t.unsupported(n.Right)
	}
	if _, err := t.literal(str); err != nil {
		return "", err
	}
	f := ref.field
	switch {
	case f.Type == metadata.TypeMultiPicklist:
		if op != "contains" {
			return "", t.failAt(n, "`%s` is not supported on multi_picklist field %s; use contains", op, quoted(ref.name))
		}
		if err := t.checkOption(ref, str, str.Value); err != nil {
			return "", err
		}
		pred := t.env.DDL.D.JSONArrayContains(ref.raw)
		t.bind(str.Value)
		return t.within(ref, pred), nil
	case slices.Contains(textTypes, f.Type):
		pattern := escapeLike(str.Value)
		switch op {
		case "contains":
			pattern = "%" + pattern + "%"
		case "startsWith":
			pattern += "%"
		case "endsWith":
			pattern = "%" + pattern
		}
		// lower() on both sides, not a Go-lowered argument: SQLite's lower()
		// folds ASCII only, and both sides must fold the same way.
		pred := fmt.Sprintf(`lower(%s) LIKE lower(CAST(%s AS TEXT)) ESCAPE '\'`, ref.raw, t.bind(pattern))
		return t.within(ref, pred), nil
	}
	return "", t.failAt(n, "`%s` works on text fields; %s is a %s field", op, quoted(ref.name), f.Type)
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// escapeLike makes the wildcards of a searched string match themselves.
func escapeLike(s string) string { return likeEscaper.Replace(s) }

func isFieldNode(n ast.Node) bool {
	switch n := n.(type) {
	case *ast.IdentifierNode:
		return true
	case *ast.MemberNode:
		return !n.Method
	}
	return false
}
