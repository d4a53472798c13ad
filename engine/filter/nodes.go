package filter

import "github.com/expr-lang/expr/ast"

// children lists a node's direct sub-nodes, for the size checks and for
// finding where an expression starts.
func children(n ast.Node) []ast.Node {
	switch n := n.(type) {
	case *ast.UnaryNode:
		return []ast.Node{n.Node}
	case *ast.BinaryNode:
		return []ast.Node{n.Left, n.Right}
	case *ast.ChainNode:
		return []ast.Node{n.Node}
	case *ast.MemberNode:
		return []ast.Node{n.Node, n.Property}
	case *ast.SliceNode:
		return []ast.Node{n.Node, n.From, n.To}
	case *ast.CallNode:
		return append([]ast.Node{n.Callee}, n.Arguments...)
	case *ast.BuiltinNode:
		return n.Arguments
	case *ast.PredicateNode:
		return []ast.Node{n.Node}
	case *ast.VariableDeclaratorNode:
		return []ast.Node{n.Value, n.Expr}
	case *ast.SequenceNode:
		return n.Nodes
	case *ast.ConditionalNode:
		return []ast.Node{n.Cond, n.Exp1, n.Exp2}
	case *ast.ArrayNode:
		return n.Nodes
	case *ast.MapNode:
		return n.Pairs
	case *ast.PairNode:
		return []ast.Node{n.Key, n.Value}
	}
	return nil
}

// leftmost is the rune index where the source of n begins: expr locates a
// binary node at its operator and a ternary after its end.
func leftmost(n ast.Node) int {
	if n == nil {
		return 0
	}
	from := n.Location().From
	for _, c := range children(n) {
		if c == nil {
			continue
		}
		if f := leftmost(c); f < from {
			from = f
		}
	}
	return from
}

// logicOp names the logical operator of n ("and", "or"), or "".
func logicOp(n ast.Node) string {
	b, ok := n.(*ast.BinaryNode)
	if !ok {
		return ""
	}
	switch b.Operator {
	case "&&", "and":
		return "and"
	case "||", "or":
		return "or"
	}
	return ""
}

// sameLogic reports whether child continues parent's chain of one logical
// operator.
func sameLogic(parent, child ast.Node) bool {
	op := logicOp(parent)
	return op != "" && logicOp(child) == op
}

// flatten collects the operands of a chain of one logical operator, in
// source order: a || b || c is one OR of three conditions.
func flatten(n ast.Node) []ast.Node {
	b := n.(*ast.BinaryNode)
	var out []ast.Node
	for _, side := range []ast.Node{b.Left, b.Right} {
		if sameLogic(n, side) {
			out = append(out, flatten(side)...)
		} else {
			out = append(out, side)
		}
	}
	return out
}
