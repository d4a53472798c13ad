// Package filter translates the list filter language into a parameterized SQL
// predicate.
//
// Filters are written in expr-lang syntax (amount > 100 && stage in ["won",
// "lost"]) and parsed with expr's parser, but never compiled or run by expr:
// only a small, safe subset is translated, node by node, and anything else is
// refused with a 400 that points at the offending part of the source.
// Identifiers in the SQL come from metadata only and every value is a bound
// parameter.
//
// Semantics follow what a CRM user expects rather than raw SQL: a comparison
// with an empty field is false, except != (true when the field is empty) and
// negations (!, not, not in), which are true wherever the negated condition
// is not.
package filter

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/conf"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/parser"

	"github.com/tessera-crm/tessera/internal/exprtext"
	"github.com/tessera-crm/tessera/metadata"
)

// Limits on what one filter may ask of the parser and the database.
const (
	MaxSourceBytes = 4096
	MaxNodes       = 500
	MaxDepth       = 50
	MaxListItems   = 1000
)

// Env is what a filter is compiled against.
type Env struct {
	Snapshot *metadata.Snapshot
	Object   *metadata.Object
	// DDL gives the dialect and the tenant key: DDL.Table(object) is the
	// quoted table name, DDL.D.Quote quotes identifiers.
	DDL metadata.DDL
	// Alias is the main table's alias in the outer query ("t" renders
	// columns as t."col"); empty renders bare quoted columns.
	Alias string
	// Now anchors today() and now(); the zero time means the current time.
	Now time.Time
}

// Predicate is a WHERE condition with ? placeholders, one per argument.
type Predicate struct {
	SQL  string
	Args []any
}

// Compile translates src into a predicate on env.Object's table. A blank
// filter returns (nil, nil). Bad input returns a *problem.Error (400,
// invalid_filter) whose single field error carries the byte offset of the
// offending part of src.
func Compile(src string, env Env) (*Predicate, error) {
	if strings.TrimSpace(src) == "" {
		return nil, nil
	}
	if env.Snapshot == nil || env.Object == nil || env.DDL.D == nil {
		return nil, fmt.Errorf("compile filter: Env needs Snapshot, Object and DDL.D")
	}
	if len(src) > MaxSourceBytes {
		return nil, invalidAt(MaxSourceBytes, "the filter is %d bytes long; the limit is %d", len(src), MaxSourceBytes)
	}
	if !utf8.ValidString(src) {
		return nil, invalidAt(exprtext.FirstInvalidByte(src), "the filter is not valid UTF-8 text")
	}
	tree, err := parse(src)
	if err != nil {
		return nil, err
	}
	t := newTranslator(src, env)
	if err := t.checkSize(tree.Node); err != nil {
		return nil, err
	}
	sql, err := t.predicate(tree.Node)
	if err != nil {
		return nil, err
	}
	return &Predicate{SQL: sql, Args: t.args}, nil
}

// parse runs expr's parser and turns its errors into positioned 400s.
func parse(src string) (tree *parser.Tree, err error) {
	// The parser is third-party code fed with untrusted input; a panic in it
	// must become a refused filter, not a crashed request.
	defer func() {
		if r := recover(); r != nil {
			tree, err = nil, invalidAt(0, "the filter could not be parsed")
		}
	}()
	tree, err = parser.ParseWithConfig(src, conf.CreateNew())
	if err != nil {
		return nil, parseError(src, err)
	}
	if tree == nil || tree.Node == nil {
		return nil, invalidAt(0, "the filter could not be parsed")
	}
	return tree, nil
}

func parseError(src string, err error) error {
	var fe *file.Error
	if !errors.As(err, &fe) {
		return invalidAt(0, "the filter could not be parsed: %s", err.Error())
	}
	return invalidAt(exprtext.LineColumnOffset(src, fe.Line, fe.Column), "syntax error: %s", fe.Message)
}

// checkSize refuses trees over the node and depth limits before any work is
// done on them. Items of list literals do not count as nodes: a list has its
// own limit (MaxListItems) and items are checked one by one. A chain of the
// same logical operator (a || b || c ...) is one level, not one per operand,
// so long flat conditions are not mistaken for deep ones.
func (t *translator) checkSize(root ast.Node) error {
	count := 0
	var walk func(n ast.Node, depth int) error
	walk = func(n ast.Node, depth int) error {
		if n == nil {
			return nil
		}
		count++
		if count > MaxNodes {
			return t.failAt(n, "the filter is too complex (more than %d elements)", MaxNodes)
		}
		if depth > MaxDepth {
			return t.failAt(n, "the filter is nested more than %d levels deep", MaxDepth)
		}
		if _, isList := n.(*ast.ArrayNode); isList {
			return nil
		}
		for _, c := range children(n) {
			next := depth + 1
			if sameLogic(n, c) {
				next = depth
			}
			if err := walk(c, next); err != nil {
				return err
			}
		}
		return nil
	}
	return walk(root, 1)
}
