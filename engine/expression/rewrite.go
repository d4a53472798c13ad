package expression

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
	"github.com/shopspring/decimal"

	"github.com/tessera-crm/tessera/internal/exprtext"
	"github.com/tessera-crm/tessera/metadata"
)

// rewriter turns the parsed tree into the language's meaning before type
// checking: paths become single names, if and case become lazy
// conditionals, is_changed and the picklist helpers name their field.
// Visiting is post-order, so a path's base is flat before its member is.
type rewriter struct {
	c   *compilation
	err error
}

func (c *compilation) rewrite(root *ast.Node) error {
	r := &rewriter{c: c}
	ast.Walk(root, r)
	return r.err
}

func (r *rewriter) fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

func (r *rewriter) Visit(node *ast.Node) {
	if r.err != nil {
		return
	}
	switch n := (*node).(type) {
	case *ast.FloatNode:
		// Every number is a decimal, read from the text the user wrote
		// (a float64 would keep only 17 digits).
		v := decimal.NewFromFloat(n.Value)
		loc := n.Location()
		if lit, err := decimal.NewFromString(strings.ReplaceAll(runeSlice(r.c.src, loc.From, loc.To), "_", "")); err == nil {
			v = lit
		}
		ast.Patch(node, &ast.ConstantNode{Value: v})
	case *ast.MemberNode:
		base, ok := n.Node.(*ast.IdentifierNode)
		prop, isName := n.Property.(*ast.StringNode)
		if !ok || !isName || n.Method {
			return
		}
		flat := &ast.IdentifierNode{Value: base.Value + "." + prop.Value}
		ast.Patch(node, flat)
		flat.SetLocation(file.Location{From: base.Location().From, To: prop.Location().To})
	case *ast.UnaryNode:
		// Negation of a decimal goes through the overloaded subtraction.
		if n.Operator == "-" {
			if _, literal := n.Node.(*ast.IntegerNode); !literal {
				zero := &ast.IntegerNode{Value: 0}
				zero.SetLocation(n.Location())
				ast.Patch(node, &ast.BinaryNode{Operator: "-", Left: zero, Right: n.Node})
			}
		}
	case *ast.BinaryNode:
		// Text fields hold "" when blank, so x == nil means is_blank(x).
		if n.Operator != "==" && n.Operator != "!=" {
			return
		}
		var other ast.Node
		if _, isNil := n.Right.(*ast.NilNode); isNil {
			other = n.Left
		} else if _, isNil := n.Left.(*ast.NilNode); isNil {
			other = n.Right
		}
		if other == nil {
			return
		}
		var call ast.Node = &ast.CallNode{Callee: &ast.IdentifierNode{Value: fnPrefix + "is_blank"}, Arguments: []ast.Node{other}}
		call.SetLocation(n.Location())
		if n.Operator == "!=" {
			call = &ast.UnaryNode{Operator: "!", Node: call}
		}
		ast.Patch(node, call)
	case *ast.CallNode:
		callee, ok := n.Callee.(*ast.IdentifierNode)
		if !ok {
			return
		}
		if r.c.functions[callee.Value] && callee.Value != "label" && callee.Value != "stage_probability" {
			callee.Value = fnPrefix + callee.Value
			return
		}
		switch callee.Value {
		case "if":
			r.rewriteIf(node, n)
		case "case":
			r.rewriteCase(node, n)
		case "is_changed":
			r.rewriteIsChanged(node, n)
		case "label", "stage_probability":
			r.rewritePicklistHelper(node, n, callee.Value)
			callee.Value = fnPrefix + callee.Value
		}
	}
}

func (r *rewriter) rewriteIf(node *ast.Node, n *ast.CallNode) {
	if len(n.Arguments) != 3 {
		r.fail(r.c.atNode(n, "", "if takes three arguments: if(condition, then, else)"))
		return
	}
	ast.Patch(node, &ast.ConditionalNode{Cond: n.Arguments[0], Exp1: n.Arguments[1], Exp2: n.Arguments[2]})
}

// rewriteCase turns case(v, m1, r1, m2, r2, default) into nested
// conditionals on v == m1, v == m2.
func (r *rewriter) rewriteCase(node *ast.Node, n *ast.CallNode) {
	args := n.Arguments
	if len(args) < 3 {
		r.fail(r.c.atNode(n, "", "case takes a value, then pairs of match and result, then an optional default: case(tier, \"A\", 1, \"B\", 2, 0)"))
		return
	}
	var fallback ast.Node = &ast.NilNode{}
	pairs := args[1:]
	if len(pairs)%2 == 1 {
		fallback = pairs[len(pairs)-1]
		pairs = pairs[:len(pairs)-1]
	}
	out := fallback
	for i := len(pairs) - 2; i >= 0; i -= 2 {
		cond := &ast.BinaryNode{Operator: "==", Left: args[0], Right: pairs[i]}
		cond.SetLocation(pairs[i].Location())
		out = &ast.ConditionalNode{Cond: cond, Exp1: pairs[i+1], Exp2: out}
	}
	ast.Patch(node, out)
}

func (r *rewriter) rewriteIsChanged(node *ast.Node, n *ast.CallNode) {
	if !r.c.env.Prior {
		r.fail(r.c.atNode(n, "", "is_changed is only available in rules that run when a record is saved"))
		return
	}
	arg, ok := singleString(n)
	if !ok {
		r.fail(r.c.atNode(n, "", "is_changed takes a field name in quotes: is_changed(\"stage\")"))
		return
	}
	if r.c.names["$changed."+arg.Value] == nil {
		r.fail(r.c.unknownField(arg, arg.Value))
		return
	}
	ast.Patch(node, &ast.IdentifierNode{Value: "$changed." + arg.Value})
}

func singleString(n *ast.CallNode) (*ast.StringNode, bool) {
	if len(n.Arguments) != 1 {
		return nil, false
	}
	s, ok := n.Arguments[0].(*ast.StringNode)
	return s, ok
}

// rewritePicklistHelper passes the field's name along with its value, so
// that the function can look up the option.
func (r *rewriter) rewritePicklistHelper(node *ast.Node, n *ast.CallNode, fn string) {
	if len(n.Arguments) != 1 {
		r.fail(r.c.atNode(n, "", "%s takes one picklist field of this object: %s(stage)", fn, fn))
		return
	}
	id, ok := n.Arguments[0].(*ast.IdentifierNode)
	var f *metadata.Field
	if ok {
		f = r.c.env.Object.Field(id.Value)
	}
	if f == nil || (f.Type != metadata.TypePicklist && f.Pipeline == nil) || (fn == "stage_probability" && f.Pipeline == nil) {
		kind := "picklist"
		if fn == "stage_probability" {
			kind = "pipeline"
		}
		r.fail(r.c.atNode(n.Arguments[0], "", "%s takes a %s field of this object", fn, kind))
		return
	}
	n.Arguments = append(n.Arguments, &ast.StringNode{Value: f.APIName})
}

// resolve checks every name and call against the environment and the
// library, collects the names read, and enforces the size limit.
func (c *compilation) resolve(root ast.Node) error {
	callees := map[ast.Node]bool{}
	c.letNames = map[string]bool{}
	count := 0
	ast.Find(root, func(n ast.Node) bool {
		count++
		switch n := n.(type) {
		case *ast.CallNode:
			callees[n.Callee] = true
		case *ast.VariableDeclaratorNode:
			c.letNames[n.Name] = true
		}
		return false
	})
	if count > MaxNodes {
		return c.failAt(0, len(c.src), "the expression is too complex (more than %d elements)", MaxNodes)
	}
	seen := map[string]bool{}
	var err error
	ast.Find(root, func(n ast.Node) bool {
		if err != nil {
			return true
		}
		switch n := n.(type) {
		case *ast.IdentifierNode:
			if callees[n] || c.letNames[n.Value] {
				return false
			}
			name := c.names[n.Value]
			if name == nil {
				err = c.unknownName(n)
				return true
			}
			if !seen[n.Value] {
				seen[n.Value] = true
				c.read = append(c.read, name)
			}
		case *ast.BuiltinNode:
			if !slices.Contains(listBuiltins, n.Name) {
				err = c.atNode(n, "", "unknown function `%s`", n.Name)
				return true
			}
			if len(n.Arguments) < 2 {
				err = c.atNode(n, "", "%s takes a list and a condition on its items (#): %s(industries, # == \"finance\")", n.Name, n.Name)
				return true
			}
		case *ast.SliceNode:
			err = c.atNode(n, "", "slicing is not supported; use left, mid or right")
			return true
		case *ast.MapNode:
			err = c.atNode(n, "", "map literals are not supported")
			return true
		case *ast.CallNode:
			switch callee := n.Callee.(type) {
			case *ast.IdentifierNode:
				if !c.functions[strings.TrimPrefix(callee.Value, fnPrefix)] && !strings.HasPrefix(callee.Value, "$op") && !strings.HasPrefix(callee.Value, "$cmp") && callee.Value != "$concat" {
					err = c.unknownFunction(callee)
					return true
				}
			default:
				err = c.atNode(n, "", "only the library's functions can be called")
				return true
			}
		}
		return false
	})
	sort.Slice(c.read, func(i, j int) bool { return c.read[i].Name < c.read[j].Name })
	return err
}

// unknownName explains a name that is not declared, with the closest
// declared name as suggestion.
func (c *compilation) unknownName(n *ast.IdentifierNode) error {
	name := n.Value
	switch {
	case strings.HasPrefix(name, "prior.") && !c.env.Prior:
		return c.atNode(n, "", "prior values are only available in rules that run when a record is saved")
	case strings.HasPrefix(name, "$user."):
		return c.withSuggestion(n, name, candidatesWithPrefix(c.names, "$user."), "`%s` is not an attribute of the user", name)
	case strings.Count(name, ".") >= 2:
		return c.atNode(n, "", "`%s` follows more than one lookup; expressions follow one lookup at most", name)
	case strings.Contains(name, ".") && !strings.HasPrefix(name, "prior."):
		base := name[:strings.IndexByte(name, '.')]
		f := c.env.Object.Field(base)
		if f == nil || f.Type != metadata.TypeLookup {
			if f == nil {
				return c.unknownField(n, base)
			}
			return c.atNode(n, "", "`%s` is not a lookup: only lookups can be followed with a dot", base)
		}
		return c.withSuggestion(n, name, candidatesWithPrefix(c.names, base+"."), "%s has no field `%s`", f.Target, name[len(base)+1:])
	}
	return c.unknownField(n, name)
}

func (c *compilation) unknownField(n ast.Node, name string) error {
	var candidates []string
	for k, v := range c.names {
		if v.src == fromRecord || v.src == fromUser || v.src == fromNow || v.src == fromToday || v.src == fromExtra {
			candidates = append(candidates, k)
		}
	}
	return c.withSuggestion(n, name, candidates, "unknown field `%s`", name)
}

func (c *compilation) unknownFunction(n *ast.IdentifierNode) error {
	var candidates []string
	for name := range c.functions {
		if !strings.HasPrefix(name, "$") {
			candidates = append(candidates, name)
		}
	}
	for _, f := range rewrittenFunctions {
		candidates = append(candidates, f.Name)
	}
	candidates = append(candidates, listBuiltins...)
	return c.withSuggestion(n, n.Value, candidates, "unknown function `%s`", n.Value)
}

func candidatesWithPrefix(names map[string]*Name, prefix string) []string {
	var out []string
	for k := range names {
		if strings.HasPrefix(k, prefix) {
			out = append(out, k)
		}
	}
	return out
}

func (c *compilation) withSuggestion(n ast.Node, name string, candidates []string, format string, args ...any) error {
	sort.Strings(candidates) // a tie goes to the same name every time
	s := exprtext.Suggest(name, candidates)
	msg := fmt.Sprintf(format, args...)
	if s != "" {
		msg += fmt.Sprintf(", did you mean `%s`?", s)
	}
	return c.atNode(n, s, "%s", msg)
}

// atNode refuses the expression at node n.
func (c *compilation) atNode(n ast.Node, suggestion, format string, args ...any) error {
	loc := n.Location()
	from, to := exprtext.RuneToByte(c.src, loc.From), exprtext.RuneToByte(c.src, loc.To)
	if id, ok := n.(*ast.IdentifierNode); ok && to <= from {
		to = from + len(id.Value)
	}
	return c.suggestAt(from, to, suggestion, format, args...)
}

var typeNames = regexp.MustCompile(`decimal\.Decimal|time\.Time|\[\]string|interface ?\{\}|\bint\b|\bfloat64\b|\bstring\b|\bbool\b`)

// humanize replaces Go's and expr's internal names in a checker message
// with the language's.
func humanize(msg string) string {
	msg = strings.NewReplacer(fnPrefix, "", "$op", "operator ", "$cmp", "operator ", "$concat", "operator +", "$in", "operator in").Replace(msg)
	return typeNames.ReplaceAllStringFunc(msg, func(t string) string {
		switch t {
		case "decimal.Decimal", "int", "float64":
			return "number"
		case "time.Time":
			return "date"
		case "[]string":
			return "list"
		case "string":
			return "text"
		case "bool":
			return "true/false"
		}
		return "value"
	})
}

// runeSlice is src[from:to] by rune index, as expr locates nodes.
func runeSlice(src string, from, to int) string {
	a, b := exprtext.RuneToByte(src, from), exprtext.RuneToByte(src, to)
	if a < 0 || b > len(src) || a >= b {
		return ""
	}
	return src[a:b]
}
