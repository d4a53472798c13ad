package filter

import (
	"github.com/expr-lang/expr/ast"
)

// unsupported refuses a construct outside the filter subset, naming it in
// the user's terms and, where there is one, the supported alternative.
func (t *translator) unsupported(n ast.Node) error {
	switch n := n.(type) {
	case *ast.BinaryNode:
		return t.unsupportedOperator(n)
	case *ast.UnaryNode:
		if n.Operator == "!" || n.Operator == "not" {
			return t.failAt(n, "a condition cannot be used as a value")
		}
		return t.failAt(n, "arithmetic (unary %s) is not supported in filters", n.Operator)
	case *ast.CallNode:
		if m, ok := n.Callee.(*ast.MemberNode); ok && m.Method {
			return t.failAt(n, "method calls such as %s() are not supported in filters; use operators, e.g. name startsWith \"A\"", short(pathText(m)))
		}
		return t.unsupportedFunction(n)
	case *ast.BuiltinNode:
		return t.unsupportedFunction(n)
	case *ast.ArrayNode:
		return t.failAt(n, "lists are only supported on the right of `in`, e.g. stage in [\"won\", \"lost\"]")
	case *ast.MapNode, *ast.PairNode:
		return t.failAt(n, "maps ({...}) are not supported in filters")
	case *ast.ConditionalNode:
		if n.Ternary {
			return t.failAtStart(n, "the ternary operator (?:) is not supported in filters")
		}
		return t.failAtStart(n, "if/else is not supported in filters")
	case *ast.ChainNode:
		return t.failAt(n, "optional chaining (?.) is not supported in filters; a lookup path is empty when the lookup is")
	case *ast.MemberNode:
		return t.failAt(n, "indexing with [...] is not supported in filters")
	case *ast.SliceNode:
		return t.failAt(n, "slices ([a:b]) are not supported in filters")
	case *ast.SequenceNode:
		return t.failAtStart(n, "several expressions separated by ; are not supported in filters")
	case *ast.VariableDeclaratorNode:
		return t.failAtStart(n, "variables (let) are not supported in filters")
	case *ast.PredicateNode, *ast.PointerNode:
		return t.failAt(n, "closures are not supported in filters")
	case *ast.BytesNode:
		return t.failAt(n, "byte strings are not supported in filters")
	}
	return t.failAtStart(n, "this expression is not supported in filters")
}

func (t *translator) unsupportedOperator(n *ast.BinaryNode) error {
	switch n.Operator {
	case "matches":
		return t.failAt(n, "regular expressions (matches) are not supported in filters; use contains, startsWith or endsWith")
	case "??":
		return t.failAt(n, "the ?? operator is not supported in filters; test for empty fields with field == nil")
	case "..":
		return t.failAt(n, "ranges (..) are not supported in filters; use >= and <=")
	case "+", "-", "*", "/", "%", "**", "^":
		return t.failAt(n, "arithmetic (%s) is not supported in filters", n.Operator)
	case "&&", "and", "||", "or", "==", "!=", "<", "<=", ">", ">=", "in", "contains", "startsWith", "endsWith":
		return t.failAt(n, "a condition (%s) cannot be used as a value", n.Operator)
	}
	return t.failAt(n, "the %s operator is not supported in filters", n.Operator)
}

func (t *translator) unsupportedFunction(n ast.Node) error {
	name, args, ok := function(n)
	switch {
	case !ok:
		return t.failAt(n, "this call is not supported in filters")
	case isPipe(n, args):
		return t.failAt(n, "the pipe operator | is not supported in filters")
	}
	return t.failAt(n, "function %s() is not supported in filters (supported: date(), datetime(), today(), now())", short(name))
}
