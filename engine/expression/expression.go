// Package expression is Tessera's one expression language, used by
// formulas, default values, validation rules, visibility conditions,
// workflow conditions and price rules. It is expr-lang/expr, typed from a
// tenant's metadata: each field is a variable of its real type (decimal
// money, dates, picklists as text), lookup paths (account_id.tier) and
// prior.<field> read related and previous values, and a function library
// covers dates, text, numbers, picklists and blanks.
//
// Expressions are compiled once per metadata snapshot and cached on it;
// compile errors carry the byte position and a suggestion. Nothing in the
// language reaches the host: the environment holds plain values, methods
// cannot be called, expr's own builtins are off but for list predicates,
// and size and memory are capped.
package expression

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/checker"
	"github.com/expr-lang/expr/compiler"
	"github.com/expr-lang/expr/conf"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/optimizer"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"

	"github.com/tessera-crm/tessera/internal/exprtext"
	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/metadata"
)

// Limits on one expression.
const (
	MaxSourceBytes = metadata.MaxExpressionLength
	MaxNodes       = 400
	// memoryBudget caps what one evaluation may allocate in expr's own
	// units (list items, ranges); the language's text functions cap text
	// separately (MaxTextBytes).
	memoryBudget = 100_000
)

// listBuiltins are the expr builtins kept: predicates over lists, for
// multi-select picklists (any(industries, # startsWith "fin")).
var listBuiltins = []string{"all", "any", "none", "one", "filter", "map", "count"}

// Env is what an expression is compiled against.
type Env struct {
	Snapshot *metadata.Snapshot
	Object   *metadata.Object
	// Prior declares prior.<field> and is_changed(): for rules that run
	// when a record is saved.
	Prior bool
	// Result is the type the expression must produce (Boolean for
	// conditions); "" or Any accepts any.
	Result Type
	// Extra declares further names, for callers with more context than
	// one record.
	Extra map[string]Type
	// Field names the input field in errors ("condition", "formula").
	Field string
}

// Program is a compiled expression.
type Program struct {
	Source string
	// Result is the type the program produces.
	Result Type
	// Fields are the record's own fields the program reads; Related the
	// fields it reads through each lookup; UsesPrior whether it reads the
	// record's previous values.
	Fields    []string
	Related   map[string][]string
	UsesPrior bool

	program *vm.Program
	reads   []*Name
	loc     *time.Location
}

var vms = sync.Pool{New: func() any { return &vm.VM{} }}

// Run evaluates the program against variables built by Vars. Numbers come
// back as decimal.Decimal, dates and instants as time.Time.
func (p *Program) Run(vars map[string]any) (out any, err error) {
	machine := vms.Get().(*vm.VM)
	machine.MemoryBudget = memoryBudget
	out, err = machine.Run(p.program, vars)
	vms.Put(machine)
	if err != nil {
		return nil, runError(err)
	}
	if n, ok := out.(int); ok {
		out, _ = toDecimal(n)
	}
	return out, nil
}

// Bool evaluates a condition; a blank result is false.
func (p *Program) Bool(vars map[string]any) (bool, error) {
	out, err := p.Run(vars)
	if err != nil {
		return false, err
	}
	b, _ := out.(bool)
	return b, nil
}

// EvalError is a failure while evaluating a compiled program: a division
// by zero, an impossible date, text too long.
type EvalError struct{ Message string }

func (e *EvalError) Error() string { return e.Message }

func runError(err error) error {
	msg := err.Error()
	var fe *file.Error
	if errors.As(err, &fe) {
		msg = fe.Message
	}
	return &EvalError{Message: msg}
}

// cacheKey identifies a compiled program on its object's memo.
type cacheKey struct {
	src    string
	prior  bool
	result Type
	extra  string
}

type compiled struct {
	p   *Program
	err error
}

// Compile compiles src against env, or returns a *problem.Error (400,
// invalid_expression) naming env.Field with the position of the problem
// and, for a misspelt name, a suggestion. Programs are cached on the
// snapshot, so compiling a rule again is a map lookup.
func Compile(src string, env Env) (*Program, error) {
	if env.Snapshot == nil || env.Object == nil {
		return nil, fmt.Errorf("compile expression: Env needs Snapshot and Object")
	}
	key := cacheKey{src: src, prior: env.Prior, result: env.Result, extra: extraKey(env.Extra)}
	c := env.Object.Memo(key, func() any {
		p, err := compile(src, env)
		return compiled{p, err}
	}).(compiled)
	if c.err != nil {
		if pe, ok := problem.As(c.err); ok && env.Field != "" && pe.Errors[0].Field != env.Field {
			renamed := *pe
			renamed.Errors = append([]problem.FieldError(nil), pe.Errors...)
			renamed.Errors[0].Field = env.Field
			return nil, &renamed
		}
	}
	return c.p, c.err
}

func compile(src string, env Env) (*Program, error) {
	c := &compilation{src: src, env: env, field: env.Field}
	if c.field == "" {
		c.field = "expression"
	}
	if strings.TrimSpace(src) == "" {
		return nil, c.failAt(0, 0, "the expression is empty")
	}
	if len(src) > MaxSourceBytes {
		return nil, c.failAt(MaxSourceBytes, len(src), "the expression is %d bytes long; the limit is %d", len(src), MaxSourceBytes)
	}
	if !utf8.ValidString(src) {
		at := exprtext.FirstInvalidByte(src)
		return nil, c.failAt(at, at+1, "the expression is not valid UTF-8 text")
	}
	c.names = names(env)
	loc := tenantLocation(env.Snapshot)
	cc := &callContext{loc: loc, locale: env.Snapshot.Tenant.Locale, obj: env.Object}
	c.functions = map[string]bool{}
	fns := library(cc)
	for _, f := range fns {
		c.functions[f.Name] = true
	}
	config := c.config(fns)
	tree, err := c.parse(config)
	if err != nil {
		return nil, err
	}
	if err := c.rewrite(&tree.Node); err != nil {
		return nil, err
	}
	if err := c.resolve(tree.Node); err != nil {
		return nil, err
	}
	program, result, err := c.check(tree, config)
	if err != nil {
		return nil, err
	}
	p := &Program{Source: src, Result: result, program: program, loc: loc, Related: map[string][]string{}}
	for _, n := range c.read {
		p.reads = append(p.reads, n)
		switch n.src {
		case fromRecord:
			if !slices.Contains(p.Fields, n.field) {
				p.Fields = append(p.Fields, n.field)
			}
		case fromRelated:
			if len(p.Related[n.lookup]) == 0 && !slices.Contains(p.Fields, n.lookup) {
				p.Fields = append(p.Fields, n.lookup) // read to follow it
			}
			p.Related[n.lookup] = append(p.Related[n.lookup], n.field)
		case fromPrior, fromChanged:
			p.UsesPrior = true
			if !slices.Contains(p.Fields, n.field) {
				p.Fields = append(p.Fields, n.field)
			}
		}
	}
	return p, nil
}

func tenantLocation(snap *metadata.Snapshot) *time.Location {
	return snap.Location()
}

// compilation is the state of one Compile.
type compilation struct {
	src       string
	env       Env
	field     string
	names     map[string]*Name
	functions map[string]bool
	letNames  map[string]bool
	read      []*Name
}

func (c *compilation) config(fns []*Function) *conf.Config {
	sample := make(map[string]any, len(c.names))
	for name, n := range c.names {
		sample[name] = sampleValue[n.Type]
		if n.Type == Any {
			sample[name] = nil
		}
	}
	opts := []expr.Option{expr.Env(sample), expr.DisableIfOperator(), expr.DisableAllBuiltins(), expr.MaxNodes(MaxNodes * 2)}
	for _, b := range listBuiltins {
		opts = append(opts, expr.EnableBuiltin(b))
	}
	opts = append(opts, functionOptions(fns)...)
	opts = append(opts, operatorOptions()...)
	config := conf.CreateNew()
	for _, op := range opts {
		op(config)
	}
	for name := range config.Disabled {
		delete(config.Builtins, name)
	}
	config.Check()
	return config
}

// parse runs expr's parser; it is third-party code fed with tenant input,
// so a panic in it becomes a refused expression.
func (c *compilation) parse(config *conf.Config) (tree *parser.Tree, err error) {
	defer func() {
		if r := recover(); r != nil {
			tree, err = nil, c.failAt(0, 0, "the expression could not be parsed")
		}
	}()
	tree, err = parser.ParseWithConfig(c.src, config)
	if err != nil {
		var fe *file.Error
		if errors.As(err, &fe) {
			at := exprtext.LineColumnOffset(c.src, fe.Line, fe.Column)
			return nil, c.failAt(at, at, "syntax error: %s", fe.Message)
		}
		return nil, c.failAt(0, 0, "syntax error: %s", err.Error())
	}
	if tree == nil || tree.Node == nil {
		return nil, c.failAt(0, 0, "the expression could not be parsed")
	}
	return tree, nil
}

// check type-checks the rewritten tree (applying the operator overloads)
// and compiles it.
func (c *compilation) check(tree *parser.Tree, config *conf.Config) (program *vm.Program, result Type, err error) {
	defer func() {
		if r := recover(); r != nil {
			program, err = nil, c.failAt(0, 0, "the expression could not be compiled")
		}
	}()
	t, err := new(checker.Checker).PatchAndCheck(tree, config)
	if err != nil {
		return nil, "", c.fileError(err)
	}
	result = typeOfResult(t)
	if !accepts(c.env.Result, result) {
		return nil, "", c.failAt(0, len(c.src), "the expression gives %s; %s is expected", describe(result), describe(c.env.Result))
	}
	if err := optimizer.Optimize(&tree.Node, config); err != nil {
		return nil, "", c.fileError(err)
	}
	program, err = compiler.Compile(tree, config)
	if err != nil {
		return nil, "", c.fileError(err)
	}
	return program, result, nil
}

func describe(t Type) string {
	switch t {
	case Boolean:
		return "true or false"
	case Text:
		return "text"
	case Number:
		return "a number"
	case Date:
		return "a date"
	case Datetime:
		return "a date or time"
	case List:
		return "a list"
	}
	return "a value"
}

// fileError converts a positioned expr error into ours, with expr's
// internal names (the operator functions) replaced by what the user wrote.
func (c *compilation) fileError(err error) error {
	var fe *file.Error
	if !errors.As(err, &fe) {
		return c.failAt(0, 0, "%s", err.Error())
	}
	from := exprtext.RuneToByte(c.src, fe.From)
	to := exprtext.RuneToByte(c.src, fe.To)
	if fe.From == 0 && fe.To == 0 && (fe.Line > 1 || fe.Column > 0) {
		from = exprtext.LineColumnOffset(c.src, fe.Line, fe.Column)
		to = from
	}
	return c.failAt(from, to, "%s", humanize(fe.Message))
}

// failAt is the one shape of a refused expression: a 400 naming the input
// field, with the byte range of the problem.
func (c *compilation) failAt(from, to int, format string, args ...any) *problem.Error {
	return c.suggestAt(from, to, "", format, args...)
}

func (c *compilation) suggestAt(from, to int, suggestion, format string, args ...any) *problem.Error {
	e := problem.Field(c.field, problem.CodeInvalidExpression, format, args...)
	e.Errors[0].Position = &from
	if to > from {
		e.Errors[0].End = &to
	}
	e.Errors[0].Suggestion = suggestion
	return e
}
