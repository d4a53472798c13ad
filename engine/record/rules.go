package record

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/tessera-crm/tessera/engine/expression"
	"github.com/tessera-crm/tessera/engine/filter"
	"github.com/tessera-crm/tessera/internal/identity"
	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/internal/sqldialect"
	"github.com/tessera-crm/tessera/metadata"
)

// rules is what a save of one object evaluates, compiled once per
// snapshot: default formulas, formula fields in dependency order, and the
// active validation rules.
type rules struct {
	defaults    []fieldProgram
	formulas    []fieldProgram
	onRead      []fieldProgram // formulas that are not stored
	validations []ruleProgram
	beforeSave  []beforeSaveProgram
	// reads are the record's own fields the programs read; related the
	// fields they read through each lookup.
	reads   []string
	related map[string][]string
}

type fieldProgram struct {
	field *metadata.Field
	prog  *expression.Program
}

// beforeSaveProgram is a before_save workflow: its condition and the
// values it sets on the record being saved.
type beforeSaveProgram struct {
	workflow  *metadata.Workflow
	condition *expression.Program // nil: always
	values    []fieldProgram
}

type ruleProgram struct {
	rule *metadata.ValidationRule
	prog *expression.Program
}

func (r *rules) empty() bool {
	return len(r.defaults) == 0 && len(r.formulas) == 0 && len(r.validations) == 0 && len(r.beforeSave) == 0
}

type rulesKey struct{}

// rulesOf compiles obj's rules on the snapshot. Metadata changes compile
// every expression before they commit, so a failure here means a snapshot
// older than the checker; such a rule is skipped and logged, not allowed
// to block every save.
func rulesOf(snap *metadata.Snapshot, obj *metadata.Object) *rules {
	return obj.Memo(rulesKey{}, func() any {
		r := &rules{related: map[string][]string{}}
		reads := map[string]bool{}
		use := func(p *expression.Program) {
			for _, f := range p.Fields {
				reads[f] = true
			}
			for lookup, fields := range p.Related {
				reads[lookup] = true
				for _, f := range fields {
					if !slices.Contains(r.related[lookup], f) {
						r.related[lookup] = append(r.related[lookup], f)
					}
				}
			}
		}
		for _, e := range obj.Expressions() {
			if e.Filter || !strings.HasPrefix(e.Path, "fields.") {
				continue // roll-up filters run in SQL (rollups.go), workflows in workflow.go
			}
			p, err := expression.Compile(e.Source, CheckEnv(snap, obj, e))
			if err != nil {
				slog.Warn("skipping an expression that does not compile", "tenant", snap.Tenant.Key, "object", obj.APIName, "path", e.Path, "err", err)
				continue
			}
			use(p)
			switch {
			case e.Field != nil && strings.HasSuffix(e.Path, ".default_formula"):
				r.defaults = append(r.defaults, fieldProgram{e.Field, p})
			case e.Field != nil:
				r.formulas = append(r.formulas, fieldProgram{e.Field, p})
			}
		}
		for i := range obj.ValidationRules {
			rule := &obj.ValidationRules[i]
			if !rule.Active {
				continue
			}
			p, err := expression.Compile(rule.Condition, CheckEnv(snap, obj, metadata.Expression{Source: rule.Condition, Prior: true}))
			if err != nil {
				slog.Warn("skipping a validation rule that does not compile", "tenant", snap.Tenant.Key, "object", obj.APIName, "rule", rule.APIName, "err", err)
				continue
			}
			use(p)
			r.validations = append(r.validations, ruleProgram{rule, p})
		}
		r.beforeSave = compileBeforeSave(snap, obj, use)
		r.formulas = inDependencyOrder(r.formulas)
		for _, fp := range r.formulas {
			if !fp.field.FormulaStored {
				r.onRead = append(r.onRead, fp)
			}
		}
		for f := range reads {
			r.reads = append(r.reads, f)
		}
		slices.Sort(r.reads)
		return r
	}).(*rules)
}

// CheckEnv is the environment an expression of obj compiles in: formulas
// and defaults produce their field's type, conditions true or false.
func CheckEnv(snap *metadata.Snapshot, obj *metadata.Object, e metadata.Expression) expression.Env {
	env := expression.Env{Snapshot: snap, Object: obj, Prior: e.Prior, Result: expression.Boolean}
	switch {
	case e.Field != nil:
		env.Result = expression.FieldType(e.Field)
	case e.Any:
		env.Result = expression.Any
	}
	return env
}

// inDependencyOrder sorts formulas so that each comes after the formulas
// it reads. The metadata checker refuses cycles; a cycle that slipped
// through keeps field order.
func inDependencyOrder(fps []fieldProgram) []fieldProgram {
	byName := map[string]fieldProgram{}
	for _, fp := range fps {
		byName[fp.field.APIName] = fp
	}
	var out []fieldProgram
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(fp fieldProgram)
	visit = func(fp fieldProgram) {
		name := fp.field.APIName
		if state[name] != 0 {
			return
		}
		state[name] = 1
		for _, dep := range fp.prog.Fields {
			if d, ok := byName[dep]; ok && dep != name {
				visit(d)
			}
		}
		state[name] = 2
		out = append(out, fp)
	}
	for _, fp := range fps {
		visit(fp)
	}
	return out
}

// applyRules runs an object's rules on a write before it reaches the
// table: default formulas fill absent fields (on create), formula fields
// are computed and validation rules decide. before is the record as it is
// (nil on create); the write's values are in p.
func (s *Service) applyRules(ctx context.Context, sc *scope, p *prepared, before map[string]any) error {
	r := rulesOf(sc.snap, sc.obj)
	if r.empty() {
		return nil
	}
	record := make(map[string]any, len(before)+len(p.sets))
	for k, v := range before {
		record[k] = v
	}
	for _, a := range p.sets {
		record[a.name] = a.value
	}
	related, err := s.loadRelated(ctx, sc, r.related, []map[string]any{record})
	if err != nil {
		return err
	}
	in := &expression.Input{Record: record, Prior: before, Related: related[0], User: s.actingUser(ctx, sc), Now: s.now()}
	if before == nil {
		for _, fp := range r.defaults {
			if _, given := p.value(fp.field.APIName); given {
				continue
			}
			v := s.compute(sc, fp, in)
			if v == nil {
				if fp.field.Required {
					return problem.Field(fp.field.APIName, problem.CodeRequired, "%s is required (its default formula gave no value)", fp.field.APIName)
				}
				continue
			}
			a := assignment{field: fp.field, name: fp.field.APIName, value: v}
			p.put(a)
			if fp.field.Type == metadata.TypeLookup {
				p.lookups = append(p.lookups, a)
			}
			if fp.field.Pipeline != nil {
				p.stages = append(p.stages, a)
			}
			record[fp.field.APIName] = v
		}
	}
	for _, bs := range r.beforeSave {
		if bs.condition != nil {
			ok, err := bs.condition.Bool(expression.Vars(in, bs.condition))
			if err != nil || !ok {
				continue
			}
		}
		for _, fp := range bs.values {
			v := s.compute(sc, fp, in)
			a := assignment{field: fp.field, name: fp.field.APIName, value: v}
			p.put(a)
			if fp.field.Type == metadata.TypeLookup && v != nil {
				p.lookups = append(p.lookups, a)
			}
			record[fp.field.APIName] = v
		}
	}
	for _, fp := range r.formulas {
		v := s.compute(sc, fp, in)
		p.put(assignment{field: fp.field, name: fp.field.APIName, value: v})
		record[fp.field.APIName] = v
	}
	if len(r.validations) == 0 {
		return nil
	}
	progs := make([]*expression.Program, len(r.validations))
	for i, rp := range r.validations {
		progs[i] = rp.prog
	}
	vars := expression.Vars(in, progs...)
	var errs []problem.FieldError
	for _, rp := range r.validations {
		broken, err := rp.prog.Bool(vars)
		msg := rp.rule.Message.Pick(sc.snap.Tenant.Locale)
		if err != nil {
			// A rule that cannot decide must not let the record through.
			broken, msg = true, fmt.Sprintf("%s (the rule %s could not be evaluated: %v)", msg, rp.rule.APIName, err)
		}
		if broken {
			errs = append(errs, problem.FieldError{Field: rp.rule.Field, Code: problem.CodeValidationRule, Message: msg, Rule: rp.rule.APIName})
		}
	}
	if len(errs) > 0 {
		return problem.Invalid("the record does not pass the object's validation rules", errs...)
	}
	return nil
}

// compute evaluates a formula or default for the field and converts the
// result to the field's canonical value. A formula that fails (a division
// by zero) or gives a value the field cannot hold yields a blank, as a
// spreadsheet shows an error cell rather than refusing the row.
func (s *Service) compute(sc *scope, fp fieldProgram, in *expression.Input) any {
	out, err := fp.prog.Run(expression.Vars(in, fp.prog))
	if err != nil {
		slog.Debug("formula gave no value", "object", sc.obj.APIName, "field", fp.field.APIName, "err", err)
		return nil
	}
	v, err := expression.Canonical(fp.field, out, tenantLocation(sc.snap))
	if err != nil {
		slog.Debug("formula value does not fit its field", "object", sc.obj.APIName, "field", fp.field.APIName, "err", err)
		return nil
	}
	return v
}

// actingUser is $user for the request's principal.
func (s *Service) actingUser(ctx context.Context, sc *scope) expression.User {
	p := identity.FromContext(ctx)
	if p == nil || p.Operator {
		return expression.User{}
	}
	u := expression.User{ID: p.UserID, Email: p.Email, Name: p.Name}
	u.Role, u.Team, u.Manager = sc.grant.Profile()
	return u
}

// loadRelated reads, for each lookup a program follows, the fields it
// reads of the records the given records point to: one query per lookup.
// It reads on the engine's behalf, past record access: a formula shows
// what its definition says, as a report would.
func (s *Service) loadRelated(ctx context.Context, sc *scope, paths map[string][]string, recs []map[string]any) ([]map[string]map[string]any, error) {
	out := make([]map[string]map[string]any, len(recs))
	for i := range out {
		out[i] = map[string]map[string]any{}
	}
	for lookup, fields := range paths {
		f := sc.obj.Field(lookup)
		if f == nil {
			continue
		}
		target := sc.snap.Object(f.Target)
		if target == nil {
			continue
		}
		var ids []string
		seen := map[string]bool{}
		for _, r := range recs {
			if id, ok := r[lookup].(string); ok && id != "" && !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
		if len(ids) == 0 {
			continue
		}
		cols, err := selection(target, fields)
		if err != nil {
			return nil, fmt.Errorf("related %s of %s: %w", lookup, sc.obj.APIName, err)
		}
		tsc := &scope{snap: sc.snap, obj: target, view: sc.snap, vobj: target, ddl: sc.ddl}
		q := fmt.Sprintf("SELECT %s FROM %s WHERE id IN (%s) AND deleted_at IS NULL", selectList(tsc, "", cols), sc.tableOf(target.APIName),
			strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", "))
		args := make([]any, len(ids))
		for i, id := range ids {
			args[i] = id
		}
		found, err := queryRecords(s.db.Conn(ctx), cols, q, args...)
		if err != nil {
			return nil, fmt.Errorf("related %s of %s: %w", lookup, sc.obj.APIName, err)
		}
		if err := s.reveal(ctx, tsc, target, found, false); err != nil {
			return nil, err
		}
		byID := make(map[string]Record, len(found))
		for _, t := range found {
			byID[t["id"].(string)] = t
		}
		for i, r := range recs {
			if id, ok := r[lookup].(string); ok {
				if t, ok := byID[id]; ok {
					out[i][lookup] = t
				}
			}
		}
	}
	return out, nil
}

// computeOnRead recomputes the formulas that are not stored for records
// about to be returned, reading their inputs in one query and the records
// they look up in one query per lookup.
func (s *Service) computeOnRead(ctx context.Context, sc *scope, recs []Record) error {
	if len(recs) == 0 {
		return nil
	}
	r := rulesOf(sc.snap, sc.obj)
	var wanted []fieldProgram
	for _, fp := range r.onRead {
		if _, shown := recs[0][fp.field.APIName]; shown {
			wanted = append(wanted, fp)
		}
	}
	if len(wanted) == 0 {
		return nil
	}
	inputs, err := s.readInputs(ctx, sc, recs, r.reads)
	if err != nil {
		return err
	}
	related, err := s.loadRelated(ctx, sc, r.related, inputs)
	if err != nil {
		return err
	}
	user := s.actingUser(ctx, sc)
	now := s.now()
	for i, rec := range recs {
		in := &expression.Input{Record: inputs[i], Related: related[i], User: user, Now: now}
		for _, fp := range r.formulas {
			if fp.field.FormulaStored {
				continue
			}
			v := s.compute(sc, fp, in)
			inputs[i][fp.field.APIName] = v
			if _, shown := rec[fp.field.APIName]; shown {
				rec[fp.field.APIName] = fp.field.Output(fp.field.Bind(s.db.Dialect.Name(), v))
			}
		}
	}
	return nil
}

// readInputs reads the columns formulas read for each record, in the
// records' order.
func (s *Service) readInputs(ctx context.Context, sc *scope, recs []Record, names []string) ([]map[string]any, error) {
	cols, err := selection(sc.obj, names)
	if err != nil {
		return nil, fmt.Errorf("formula inputs of %s: %w", sc.obj.APIName, err)
	}
	full := &scope{snap: sc.snap, obj: sc.obj, view: sc.snap, vobj: sc.obj, ddl: sc.ddl}
	ids := make([]any, len(recs))
	for i, r := range recs {
		ids[i] = r["id"]
	}
	q := fmt.Sprintf("SELECT %s FROM %s WHERE id IN (%s)", selectList(full, "", cols), sc.table(), strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", "))
	found, err := queryRecords(s.db.Conn(ctx), cols, q, ids...)
	if err != nil {
		return nil, fmt.Errorf("formula inputs of %s: %w", sc.obj.APIName, err)
	}
	if err := s.reveal(ctx, full, sc.obj, found, false); err != nil {
		return nil, err
	}
	byID := make(map[string]Record, len(found))
	for _, f := range found {
		byID[f["id"].(string)] = f
	}
	out := make([]map[string]any, len(recs))
	for i, r := range recs {
		out[i] = byID[fmt.Sprint(r["id"])]
		if out[i] == nil {
			out[i] = map[string]any{}
		}
	}
	return out, nil
}

// prefixed puts a nested write's path before the fields of its errors.
func prefixed(err error, prefix string) error {
	pe, ok := problem.As(err)
	if !ok || prefix == "" {
		return err
	}
	c := pe.WithErrors()
	for i := range c.Errors {
		c.Errors[i].Field = prefix + c.Errors[i].Field
	}
	return c
}

func appendMissing(names []string, more ...string) []string {
	for _, n := range more {
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	return names
}

// CheckExpression is the metadata service's expression checker: it
// compiles one expression of obj against the next snapshot and refuses
// formulas that read themselves through other formulas.
func CheckExpression(snap *metadata.Snapshot, obj *metadata.Object, e metadata.Expression) *problem.FieldError {
	if e.Filter {
		return checkFilter(snap, e)
	}
	p, err := expression.Compile(e.Source, CheckEnv(snap, obj, e))
	if err != nil {
		if pe, ok := problem.As(err); ok && len(pe.Errors) > 0 {
			fe := pe.Errors[0]
			return &fe
		}
		return &problem.FieldError{Field: e.Path, Code: problem.CodeInvalidExpression, Message: err.Error()}
	}
	if e.Field == nil || e.Field.Formula != e.Source {
		return nil
	}
	if via := formulaCycle(snap, obj, e.Field.APIName, p, map[string]bool{}); via != "" {
		return &problem.FieldError{Field: e.Path, Code: problem.CodeInvalidExpression,
			Message: fmt.Sprintf("the formula of %s reads itself through %s", e.Field.APIName, via)}
	}
	return nil
}

// formulaCycle follows the formula fields p reads and returns the one
// through which start is read again, or "".
func formulaCycle(snap *metadata.Snapshot, obj *metadata.Object, start string, p *expression.Program, seen map[string]bool) string {
	for _, name := range p.Fields {
		if name == start {
			return start
		}
		f := obj.Field(name)
		if f == nil || f.Formula == "" || seen[name] {
			continue
		}
		seen[name] = true
		dep, err := expression.Compile(f.Formula, CheckEnv(snap, obj, metadata.Expression{Source: f.Formula, Field: f}))
		if err != nil {
			continue // reported on its own field
		}
		if formulaCycle(snap, obj, start, dep, seen) != "" {
			return name
		}
	}
	return ""
}

// Evaluate runs a compiled program against record id as the caller sees
// it (a record they cannot read is not found), for editors' dry runs.
func (s *Service) Evaluate(ctx context.Context, snap *metadata.Snapshot, object, id string, p *expression.Program) (any, error) {
	rec, err := s.Get(ctx, snap, object, id, GetOptions{Fields: []string{"id"}})
	if err != nil {
		return nil, err
	}
	sc, err := s.scope(ctx, snap, object)
	if err != nil {
		return nil, err
	}
	inputs, err := s.readInputs(ctx, sc, []Record{rec}, p.Fields)
	if err != nil {
		return nil, err
	}
	related, err := s.loadRelated(ctx, sc, p.Related, inputs)
	if err != nil {
		return nil, err
	}
	// A dry run shows the record as it stands: its prior values are its
	// current ones, so nothing counts as changed.
	in := &expression.Input{Record: inputs[0], Prior: inputs[0], Related: related[0], User: s.actingUser(ctx, sc), Now: s.now()}
	return p.Run(expression.Vars(in, p))
}

// checkFilter compiles a filter of the list filter language (a roll-up's)
// on its object. The dialect only shapes the SQL, not what is valid.
func checkFilter(snap *metadata.Snapshot, e metadata.Expression) *problem.FieldError {
	on := snap.Object(e.On)
	if on == nil {
		return nil // the roll-up's own check names the missing object
	}
	d, _ := sqldialect.For(sqldialect.Postgres)
	_, err := filter.Compile(e.Source, filter.Env{Snapshot: snap, Object: on, DDL: metadata.DDL{D: d, Key: snap.Tenant.Key}})
	if err == nil {
		return nil
	}
	if pe, ok := problem.As(err); ok && len(pe.Errors) > 0 {
		fe := pe.Errors[0]
		return &fe
	}
	return &problem.FieldError{Field: e.Path, Code: problem.CodeInvalidFilter, Message: err.Error()}
}

// compileBeforeSave compiles the active before_save workflows of obj, in
// their order.
func compileBeforeSave(snap *metadata.Snapshot, obj *metadata.Object, use func(*expression.Program)) []beforeSaveProgram {
	var wfs []*metadata.Workflow
	for i := range obj.Workflows {
		if w := &obj.Workflows[i]; w.Active && w.Trigger.Type == metadata.TriggerBeforeSave {
			wfs = append(wfs, w)
		}
	}
	slices.SortStableFunc(wfs, func(a, b *metadata.Workflow) int { return a.Order - b.Order })
	var out []beforeSaveProgram
	for _, w := range wfs {
		bs := beforeSaveProgram{workflow: w}
		if w.Condition != "" {
			p, err := expression.Compile(w.Condition, CheckEnv(snap, obj, metadata.Expression{Source: w.Condition, Prior: true}))
			if err != nil {
				slog.Warn("skipping a workflow that does not compile", "tenant", snap.Tenant.Key, "object", obj.APIName, "workflow", w.APIName, "err", err)
				continue
			}
			use(p)
			bs.condition = p
		}
		for _, a := range w.Actions {
			names := make([]string, 0, len(a.Values))
			for k := range a.Values {
				names = append(names, k)
			}
			slices.Sort(names)
			for _, name := range names {
				f := obj.Field(name)
				if f == nil {
					continue
				}
				p, err := expression.Compile(a.Values[name], CheckEnv(snap, obj, metadata.Expression{Source: a.Values[name], Prior: true, Field: f}))
				if err != nil {
					slog.Warn("skipping a workflow value that does not compile", "tenant", snap.Tenant.Key, "object", obj.APIName, "workflow", w.APIName, "field", name, "err", err)
					continue
				}
				use(p)
				bs.values = append(bs.values, fieldProgram{f, p})
			}
		}
		out = append(out, bs)
	}
	return out
}

// Related reads, for a record of obj, the fields of the records its lookup
// paths point to (paths as Program.Related gives them), past record
// access: automation sees what its definition names.
func (s *Service) Related(ctx context.Context, snap *metadata.Snapshot, obj *metadata.Object, paths map[string][]string, rec map[string]any) (map[string]map[string]any, error) {
	if len(paths) == 0 {
		return nil, nil
	}
	sc := &scope{snap: snap, obj: obj, view: snap, vobj: obj, ddl: metadata.DDL{D: s.db.Dialect, Key: snap.Tenant.Key}}
	out, err := s.loadRelated(ctx, sc, paths, []map[string]any{rec})
	if err != nil {
		return nil, err
	}
	return out[0], nil
}
