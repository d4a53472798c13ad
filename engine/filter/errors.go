package filter

import (
	"fmt"
	"unicode/utf8"

	"github.com/expr-lang/expr/ast"

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

func (t *translator) runeToByte(runeIndex int) int {
	if runeIndex <= 0 {
		return 0
	}
	i := 0
	for b := range t.src {
		if i == runeIndex {
			return b
		}
		i++
	}
	return len(t.src)
}

// lineColumnOffset converts expr's 1-based line and 0-based rune column of a
// syntax error to a byte offset.
func lineColumnOffset(src string, line, column int) int {
	pos := 0
	for l := 1; l < line && pos < len(src); pos++ {
		if src[pos] == '\n' {
			l++
		}
	}
	for c := 0; c < column && pos < len(src); c++ {
		_, size := utf8.DecodeRuneInString(src[pos:])
		pos += size
	}
	return pos
}

func firstInvalidByte(s string) int {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return i
			}
		}
	}
	return 0
}

// quoted renders a name or value for a message.
func quoted(s string) string { return fmt.Sprintf("`%s`", s) }
