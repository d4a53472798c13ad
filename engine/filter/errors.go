package filter

import (
	"fmt"

	"github.com/expr-lang/expr/ast"

	"github.com/tessera-crm/tessera/internal/exprtext"
	"github.com/tessera-crm/tessera/internal/problem"
)

// invalidAt is the one shape of a refused filter: a 400 invalid_filter with a
// single error on "filter" that says what is wrong and where (a byte offset).
func invalidAt(pos int, format string, args ...any) *problem.Error {
	e := problem.Field("filter", problem.CodeInvalidFilter, format, args...)
	e.Errors[0].Position = &pos
	return e
}

// failAt refuses the filter at node n.
func (t *translator) failAt(n ast.Node, format string, args ...any) *problem.Error {
	return invalidAt(t.offset(n), format, args...)
}

// failAtStart refuses the filter at the leftmost part of n: for a whole
// sub-expression (a ternary, a parenthesized comparison) the operator expr
// records as its location is not where the reader's eye should go.
func (t *translator) failAtStart(n ast.Node, format string, args ...any) *problem.Error {
	return invalidAt(t.runeToByte(leftmost(n)), format, args...)
}

// offset is the byte offset of n in the source. expr locates nodes by rune
// index; clients index the string they sent by byte.
func (t *translator) offset(n ast.Node) int {
	if n == nil {
		return 0
	}
	return t.runeToByte(n.Location().From)
}

func (t *translator) runeToByte(runeIndex int) int { return exprtext.RuneToByte(t.src, runeIndex) }

// quoted renders a name or value for a message.
func quoted(s string) string { return fmt.Sprintf("`%s`", s) }
