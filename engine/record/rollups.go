package record

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/tessera-crm/tessera/engine/filter"
	"github.com/tessera-crm/tessera/internal/sqldialect"
	"github.com/tessera-crm/tessera/metadata"
)

// A roll-up is recomputed from its children, in SQL, whenever a child
// changes, for the parents the change touches. The parents are locked
// first, in id order: on PostgreSQL the aggregate then runs in a statement
// that starts after any concurrent child write to the same parent has
// committed, so two concurrent children are both counted. SQLite runs one
// writer at a time.

// rollup is one roll-up field fed by a child object.
type rollup struct {
	parent *metadata.Object
	field  *metadata.Field
	via    *metadata.Field
}

type rollupsKey struct{}

// rollupsFrom lists the roll-ups that summarise records of sc's object.
func rollupsFrom(snap *metadata.Snapshot, child *metadata.Object) []rollup {
	return child.Memo(rollupsKey{}, func() any {
		var out []rollup
		for _, ref := range snap.RollupsFrom(child.APIName) {
			if via := child.Field(ref.Field.Rollup.Via); via != nil {
				out = append(out, rollup{parent: ref.Object, field: ref.Field, via: via})
			}
		}
		return out
	}).([]rollup)
}

// rollupVias are the lookups of sc's object that feed roll-ups: an update
// reads them before it writes, to refresh the parent it leaves.
func rollupVias(sc *scope) []string {
	var out []string
	for _, r := range rollupsFrom(sc.snap, sc.obj) {
		if !slices.Contains(out, r.via.APIName) {
			out = append(out, r.via.APIName)
		}
	}
	return out
}

// parentIDs collects the parents that records point to through each via
// lookup, from record values.
func parentIDs(sc *scope, values ...map[string]any) map[string][]string {
	out := map[string][]string{}
	for _, via := range rollupVias(sc) {
		for _, v := range values {
			if id, ok := v[via].(string); ok && id != "" && !slices.Contains(out[via], id) {
				out[via] = append(out[via], id)
			}
		}
	}
	return out
}

// parentIDsOf collects the parents the rows of sel point to, before a set
// write (delete, restore, purge) changes them.
func (s *Service) parentIDsOf(ctx context.Context, sc *scope, sel selector) (map[string][]string, error) {
	out := map[string][]string{}
	for _, via := range rollupVias(sc) {
		var ids []string
		q := fmt.Sprintf("SELECT DISTINCT %s FROM %s WHERE %s AND %s IS NOT NULL", sc.q(via), sc.table(), sel.where, sc.q(via))
		if err := s.db.Conn(ctx).Raw(q, sel.args...).Scan(&ids).Error; err != nil {
			return nil, fmt.Errorf("roll-up parents of %s: %w", sc.obj.APIName, err)
		}
		out[via] = ids
	}
	return out, nil
}

// refreshRollups recomputes the roll-ups fed by sc's object for the given
// parents (by via lookup).
func (s *Service) refreshRollups(ctx context.Context, sc *scope, parents map[string][]string) error {
	for _, r := range rollupsFrom(sc.snap, sc.obj) {
		ids := parents[r.via.APIName]
		if len(ids) == 0 {
			continue
		}
		if err := s.recompute(ctx, sc.snap, r, ids); err != nil {
			return err
		}
	}
	return nil
}

// recompute sets roll-up r of the given parents from their live children.
func (s *Service) recompute(ctx context.Context, snap *metadata.Snapshot, r rollup, ids []string) error {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	ddl := metadata.DDL{D: s.db.Dialect, Key: snap.Tenant.Key}
	ps := &scope{snap: snap, obj: r.parent, view: snap, vobj: r.parent, ddl: ddl}
	conn := s.db.Conn(ctx)
	if ddl.D.SupportsForUpdate() {
		var locked []string
		q := fmt.Sprintf("SELECT id FROM %s WHERE id IN (%s) ORDER BY id FOR NO KEY UPDATE", ps.table(), placeholders(len(ids)))
		if err := conn.Raw(q, anys(ids)...).Scan(&locked).Error; err != nil {
			return fmt.Errorf("lock %s for roll-up %s: %w", r.parent.APIName, r.field.APIName, err)
		}
	}
	values, err := s.aggregateChildren(ctx, snap, r, ids)
	if err != nil {
		return err
	}
	d := s.db.Dialect.Name()
	q := fmt.Sprintf("UPDATE %s SET %s = ? WHERE id = ?", ps.table(), ps.q(r.field.APIName))
	for _, id := range ids {
		if err := conn.Exec(q, r.field.Bind(d, values[id]), id).Error; err != nil {
			return fmt.Errorf("roll-up %s.%s: %w", r.parent.APIName, r.field.APIName, err)
		}
	}
	return nil
}

// aggregateChildren computes the roll-up for each parent in one query:
// counts and sums grouped by parent; min and max per parent, ordered by
// value (SQLite keeps decimals as text, which MIN would compare as text).
func (s *Service) aggregateChildren(ctx context.Context, snap *metadata.Snapshot, r rollup, ids []string) (map[string]any, error) {
	child := snap.Object(r.field.Rollup.Object)
	ddl := metadata.DDL{D: s.db.Dialect, Key: snap.Tenant.Key}
	cs := &scope{snap: snap, obj: child, view: snap, vobj: child, ddl: ddl}
	where := fmt.Sprintf("c.%s = ? AND c.deleted_at IS NULL", cs.q(r.via.APIName))
	var filterArgs []any
	if src := r.field.Rollup.Filter; src != "" {
		pred, err := filter.Compile(src, filter.Env{Snapshot: snap, Object: child, DDL: ddl, Alias: "c", Now: s.now()})
		if err != nil {
			return nil, fmt.Errorf("roll-up filter of %s.%s: %w", r.parent.APIName, r.field.APIName, err)
		}
		if pred != nil {
			where += " AND (" + pred.SQL + ")"
			filterArgs = pred.Args
		}
	}
	d := s.db.Dialect.Name()
	out := make(map[string]any, len(ids))
	conn := s.db.Conn(ctx)
	for _, id := range ids {
		args := append([]any{id}, filterArgs...)
		var q string
		var col column
		switch op := r.field.Rollup.Op; op {
		case metadata.RollupCount:
			q = fmt.Sprintf("SELECT COUNT(*) FROM %s AS c WHERE %s", cs.table(), where)
			col = column{kind: sqldialect.KindInteger}
		case metadata.RollupSum:
			src := child.Field(r.field.Rollup.Field)
			q = fmt.Sprintf("SELECT %s FROM %s AS c WHERE %s", sumExpr(d, "c", cs.q(src.APIName), src), cs.table(), where)
			col = column{kind: sqldialect.KindText}
		default:
			src := child.Field(r.field.Rollup.Field)
			dir := "ASC"
			if op == metadata.RollupMax {
				dir = "DESC"
			}
			q = fmt.Sprintf("SELECT c.%s FROM %s AS c WHERE %s AND c.%s IS NOT NULL ORDER BY %s %s LIMIT 1", cs.q(src.APIName), cs.table(), where,
				cs.q(src.APIName), ddl.D.Comparable(src.Kind().Storage(src), "c."+cs.q(src.APIName)), dir)
			col = fieldColumn(src)
		}
		rows, err := conn.Raw(q, args...).Rows()
		if err != nil {
			return nil, fmt.Errorf("roll-up %s.%s: %w", r.parent.APIName, r.field.APIName, err)
		}
		var raw any
		if rows.Next() {
			if err := rows.Scan(&raw); err != nil {
				rows.Close()
				return nil, fmt.Errorf("roll-up %s.%s: %w", r.parent.APIName, r.field.APIName, err)
			}
		}
		rows.Close()
		out[id] = rollupValue(d, r, child, col, raw)
	}
	return out, nil
}

// rollupValue converts an aggregate into the parent field's canonical
// value: a sum of nothing is 0, a min or max of nothing is blank.
func rollupValue(d sqldialect.Name, r rollup, child *metadata.Object, col column, raw any) any {
	switch r.field.Rollup.Op {
	case metadata.RollupCount:
		n, _ := metadata.OutputValue(sqldialect.KindInteger, 0, raw).(int64)
		if r.field.Type == metadata.TypeInteger {
			return n
		}
		return decimal.NewFromInt(n)
	case metadata.RollupSum:
		src := child.Field(r.field.Rollup.Field)
		sum, _ := decimal.NewFromString(sumValue(d, src, raw))
		if r.field.Type == metadata.TypeInteger {
			return sum.Round(0).IntPart()
		}
		return sum
	}
	v := metadata.OutputValue(col.kind, col.scale, raw)
	if v == nil {
		return nil
	}
	out, fe := r.field.Kind().Coerce(r.field, v)
	if fe != nil {
		return nil
	}
	return out
}

// FillRollup computes a roll-up field for every record of its object, when
// it is added or changed (the metadata service's RollupFiller).
func (s *Service) FillRollup(ctx context.Context, snap *metadata.Snapshot, obj *metadata.Object, f *metadata.Field) error {
	child := snap.Object(f.Rollup.Object)
	if child == nil {
		return nil
	}
	r := rollup{parent: obj, field: f, via: child.Field(f.Rollup.Via)}
	ddl := metadata.DDL{D: s.db.Dialect, Key: snap.Tenant.Key}
	ps := &scope{snap: snap, obj: obj, view: snap, vobj: obj, ddl: ddl}
	var ids []string
	if err := s.db.Conn(ctx).Raw(fmt.Sprintf("SELECT id FROM %s", ps.table())).Scan(&ids).Error; err != nil {
		return fmt.Errorf("fill roll-up %s.%s: %w", obj.APIName, f.APIName, err)
	}
	for start := 0; start < len(ids); start += 500 {
		if err := s.recompute(ctx, snap, r, ids[start:min(start+500, len(ids))]); err != nil {
			return err
		}
	}
	return nil
}

func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
