package record

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/tessera-crm/tessera/engine/filter"
	"github.com/tessera-crm/tessera/internal/access"
	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/internal/sqldialect"
	"github.com/tessera-crm/tessera/metadata"
)

// Page sizes.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

// ListQuery is a list request: api.md's filter, sort, limit, cursor, fields,
// expand and count.
type ListQuery struct {
	Filter  string
	Q       string // quick search
	Sort    string
	Limit   int
	Cursor  string
	Fields  []string
	Expand  []string
	Count   bool
	Deleted bool // list the recycle bin
}

// Page is one page of a list.
type Page struct {
	Data       []Record `json:"data"`
	NextCursor *string  `json:"next_cursor"`
	Total      *int64   `json:"total,omitempty"`
}

// sortKey is one ORDER BY term. NULL sorts as the largest value on both
// dialects (PostgreSQL's default), so an index serves both directions there.
type sortKey struct {
	name  string
	expr  string // comparable column expression
	field *metadata.Field
	col   column
	desc  bool
}

// List returns one page. The page is found by keyset (the sort values of
// the last row), never by OFFSET, so deep pages cost what the first does.
func (s *Service) List(ctx context.Context, snap *metadata.Snapshot, object string, lq ListQuery) (*Page, error) {
	sc, err := s.scope(ctx, snap, object)
	if err != nil {
		return nil, err
	}
	limit := lq.Limit
	if limit == 0 {
		limit = DefaultLimit
	}
	if limit < 1 || limit > MaxLimit {
		return nil, problem.Field("limit", problem.CodeOutOfRange, "limit must be between 1 and %d", MaxLimit)
	}
	env := filter.Env{Snapshot: sc.view, Object: sc.vobj, DDL: sc.ddl, Alias: "t", Now: s.now()}
	pred, err := filter.Compile(lq.Filter, env)
	if err != nil {
		return nil, err
	}
	keys, err := sortKeys(env, lq.Sort)
	if err != nil {
		return nil, err
	}
	expand, err := expandFields(sc.vobj, lq.Expand)
	if err != nil {
		return nil, err
	}
	pl := planOf(sc)
	cols, list := pl.cols, pl.selectAllT
	if len(lq.Fields) > 0 {
		if cols, err = selection(sc.vobj, lq.Fields); err != nil {
			return nil, err
		}
		cols = withColumns(sc.vobj, cols, expand)
		// The sort columns are selected too: the next cursor is made of them.
		for _, k := range keys {
			cols = withColumn(cols, k.col)
		}
		list = selectList(sc, "t", cols)
	}

	where := []string{"t.deleted_at IS NULL"}
	if lq.Deleted {
		where[0] = "t.deleted_at IS NOT NULL"
	}
	var args []any
	if ap, aargs := s.predicate(sc, "t", access.Read); ap != "" {
		where = append(where, ap)
		args = append(args, aargs...)
	}
	if pred != nil {
		where = append(where, "("+pred.SQL+")")
		args = append(args, pred.Args...)
	}
	search, searchArgs, err := searchPredicate(sc, lq.Q)
	if err != nil {
		return nil, err
	}
	if search != "" {
		where = append(where, search)
		args = append(args, searchArgs...)
	}
	countWhere, countArgs := strings.Join(where, " AND "), append([]any(nil), args...)
	sig := signature(lq.Filter+"\x00"+lq.Q, keys, lq.Deleted)
	if lq.Cursor != "" {
		values, err := decodeCursor(lq.Cursor, sig, len(keys))
		if err != nil {
			return nil, err
		}
		if values, err = bindCursorValues(s.db.Dialect.Name(), keys, values); err != nil {
			return nil, err
		}
		kp, kargs := keysetPredicate(sc, keys, values)
		where = append(where, kp)
		args = append(args, kargs...)
	}
	order := make([]string, len(keys))
	for i, k := range keys {
		order[i] = orderTerm(k)
	}
	q := fmt.Sprintf("SELECT %s FROM %s AS t WHERE %s ORDER BY %s LIMIT %d",
		list, sc.table(), strings.Join(where, " AND "), strings.Join(order, ", "), limit+1)
	recs, err := queryRecords(s.db.Conn(ctx), cols, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", object, err)
	}
	page := &Page{Data: recs}
	if page.Data == nil {
		page.Data = []Record{}
	}
	if len(recs) > limit {
		page.Data = recs[:limit]
		c := encodeCursor(sig, keys, page.Data[limit-1])
		page.NextCursor = &c
	}
	if lq.Count {
		var total int64
		cq := fmt.Sprintf("SELECT COUNT(*) FROM %s AS t WHERE %s", sc.table(), countWhere)
		if err := s.db.Conn(ctx).Raw(cq, countArgs...).Scan(&total).Error; err != nil {
			return nil, fmt.Errorf("count %s: %w", object, err)
		}
		page.Total = &total
	}
	if err := s.reveal(ctx, sc, sc.vobj, page.Data, true); err != nil {
		return nil, err
	}
	if err := s.computeOnRead(ctx, sc, page.Data); err != nil {
		return nil, err
	}
	if err := s.expand(ctx, sc, page.Data, expand); err != nil {
		return nil, err
	}
	trimToSelection(page.Data, lq.Fields)
	return page, nil
}

func withColumn(cols []column, c column) []column {
	for _, x := range cols {
		if x.name == c.name {
			return cols
		}
	}
	return append(cols, c)
}

// trimToSelection removes the sort columns a fields= request did not ask for.
func trimToSelection(recs []Record, fields []string) {
	if len(fields) == 0 {
		return
	}
	want := map[string]bool{"id": true, "version": true, "expand": true}
	for _, f := range fields {
		want[strings.TrimSpace(f)] = true
	}
	for _, r := range recs {
		for k := range r {
			if !want[k] {
				delete(r, k)
			}
		}
	}
}

var unsortable = map[string]bool{metadata.TypeLongText: true, metadata.TypeMultiPicklist: true}

func sortKeys(env filter.Env, spec string) ([]sortKey, error) {
	var keys []sortKey
	seen := map[string]bool{}
	if strings.TrimSpace(spec) != "" {
		for _, part := range strings.Split(spec, ",") {
			part = strings.TrimSpace(part)
			desc := strings.HasPrefix(part, "-")
			name := strings.TrimPrefix(strings.TrimPrefix(part, "-"), "+")
			if name == "" || seen[name] {
				continue
			}
			seen[name] = true
			if len(keys) == 3 {
				return nil, problem.Field("sort", problem.CodeInvalidSort, "sort by at most 3 fields")
			}
			expr, f, err := filter.Column(env, name)
			if err != nil {
				return nil, problem.Field("sort", problem.CodeInvalidSort, "cannot sort by %q: %s has no such field", name, env.Object.APIName)
			}
			if f.Encrypted {
				return nil, problem.Field("sort", problem.CodeInvalidSort, "cannot sort by %s: it is encrypted", name)
			}
			if unsortable[f.Type] {
				return nil, problem.Field("sort", problem.CodeInvalidSort, "cannot sort by %s: %s fields are not sortable", name, f.Type)
			}
			if name == "id" {
				keys = append(keys, sortKey{name: "id", expr: expr, field: f, col: systemColumns[0], desc: desc})
				break
			}
			keys = append(keys, sortKey{name: name, expr: expr, field: f, col: columnOf(f), desc: desc})
		}
	}
	if len(keys) == 0 || keys[len(keys)-1].name != "id" {
		// id is unique and time-ordered (UUIDv7): it breaks ties and, alone,
		// lists newest first.
		desc := len(keys) == 0
		if len(keys) > 0 {
			desc = keys[len(keys)-1].desc
		}
		keys = append(keys, sortKey{name: "id", expr: "t." + env.DDL.D.Quote("id"), field: &metadata.Field{APIName: "id", Type: metadata.TypeLookup}, col: systemColumns[0], desc: desc})
	}
	return keys, nil
}

func columnOf(f *metadata.Field) column {
	if c, ok := isSystem(f.APIName); ok {
		return c
	}
	return fieldColumn(f)
}

func orderTerm(k sortKey) string {
	if k.desc {
		return k.expr + " DESC NULLS FIRST"
	}
	return k.expr + " ASC NULLS LAST"
}

// keysetPredicate selects the rows after the cursor in the sort order:
// k1 after v1, or k1 = v1 and k2 after v2, and so on.
func keysetPredicate(sc *scope, keys []sortKey, values []any) (string, []any) {
	var ors []string
	var args []any
	for i := range keys {
		var ands []string
		for j := 0; j < i; j++ {
			eq, eqArgs := equalTerm(keys[j], values[j])
			ands = append(ands, eq)
			args = append(args, eqArgs...)
		}
		after, afterArgs := afterTerm(keys[i], values[i])
		if after == "" {
			continue
		}
		ands = append(ands, after)
		args = append(args, afterArgs...)
		ors = append(ors, "("+strings.Join(ands, " AND ")+")")
	}
	if len(ors) == 0 {
		return "1 = 0", nil
	}
	return "(" + strings.Join(ors, " OR ") + ")", args
}

func equalTerm(k sortKey, v any) (string, []any) {
	if v == nil {
		return k.expr + " IS NULL", nil
	}
	return k.expr + " = ?", []any{v}
}

// afterTerm: with NULL as the largest value, ascending "after v" is greater
// or NULL; descending "after v" is smaller; after NULL descending is any
// non-NULL, ascending nothing.
func afterTerm(k sortKey, v any) (string, []any) {
	switch {
	case v == nil && k.desc:
		return k.expr + " IS NOT NULL", nil
	case v == nil:
		return "", nil
	case k.desc:
		return k.expr + " < ?", []any{v}
	default:
		return "(" + k.expr + " > ? OR " + k.expr + " IS NULL)", []any{v}
	}
}

// A cursor carries the last row's sort values (in bind form) and a hash of
// the query shape, so a cursor is refused with a different filter or sort.
type cursor struct {
	Sig    string `json:"s"`
	Values []any  `json:"v"`
}

func signature(filterSrc string, keys []sortKey, deleted bool) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s|%v|", filterSrc, deleted)
	for _, k := range keys {
		fmt.Fprintf(h, "%s:%v,", k.name, k.desc)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

func encodeCursor(sig string, keys []sortKey, last Record) string {
	c := cursor{Sig: sig, Values: make([]any, len(keys))}
	for i, k := range keys {
		c.Values[i] = last[k.name]
	}
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s, sig string, n int) ([]any, error) {
	bad := problem.Field("cursor", problem.CodeInvalidCursor, "cursor is not valid for this list; start again without it")
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) > 4096 {
		return nil, bad
	}
	var c cursor
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&c); err != nil || c.Sig != sig || len(c.Values) != n {
		return nil, bad
	}
	return c.Values, nil
}

// bindCursorValues converts cursor values (API form) to bind form.
func bindCursorValues(d sqldialect.Name, keys []sortKey, values []any) ([]any, error) {
	out := make([]any, len(values))
	for i, k := range keys {
		if values[i] == nil {
			continue
		}
		v, fe := k.field.Kind().Coerce(k.field, values[i])
		if fe != nil {
			return nil, problem.Field("cursor", problem.CodeInvalidCursor, "cursor is not valid for this list")
		}
		out[i] = k.field.Bind(d, v)
	}
	return out, nil
}

// CheckQuery validates a filter and sort for an object without running
// them, for saved views.
func (s *Service) CheckQuery(snap *metadata.Snapshot, object, filterSrc, sort string) error {
	obj := snap.Object(object)
	if obj == nil {
		return problem.UnknownObject(object)
	}
	env := filter.Env{Snapshot: snap, Object: obj, DDL: metadata.DDL{D: s.db.Dialect, Key: snap.Tenant.Key}, Alias: "t", Now: s.now()}
	if _, err := filter.Compile(filterSrc, env); err != nil {
		return err
	}
	_, err := sortKeys(env, sort)
	return err
}
