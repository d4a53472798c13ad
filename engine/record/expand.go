package record

import (
	"context"
	"fmt"
	"strings"

	"github.com/tessera-crm/tessera/internal/access"
	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/metadata"
)

// MaxExpand bounds how many lookups one request may expand.
const MaxExpand = 5

func expandFields(obj *metadata.Object, names []string) ([]*metadata.Field, error) {
	var out []*metadata.Field
	seen := map[string]bool{}
	for _, n := range names {
		n = strings.TrimSpace(n)
		if n == "" || seen[n] {
			continue
		}
		seen[n] = true
		f := obj.Field(n)
		if f == nil || !f.Active {
			return nil, problem.Field("expand", problem.CodeUnknownField, "%s has no field %q to expand", obj.APIName, n)
		}
		if f.Type != metadata.TypeLookup {
			return nil, problem.Field("expand", problem.CodeInvalidValue, "%s is not a lookup and cannot be expanded", n)
		}
		out = append(out, f)
	}
	if len(out) > MaxExpand {
		return nil, problem.Field("expand", problem.CodeLimitExceeded, "at most %d lookups can be expanded", MaxExpand)
	}
	return out, nil
}

// withColumns makes sure the expanded lookups are selected.
func withColumns(obj *metadata.Object, cols []column, expand []*metadata.Field) []column {
	for _, f := range expand {
		found := false
		for _, c := range cols {
			if c.name == f.APIName {
				found = true
				break
			}
		}
		if !found {
			cols = append(cols, fieldColumn(f))
		}
	}
	return cols
}

// expand attaches the target records of lookups under "expand": one query
// per expanded field, never one per record.
func (s *Service) expand(ctx context.Context, sc *scope, recs []Record, fields []*metadata.Field) error {
	for _, f := range fields {
		target := sc.view.Object(f.Target)
		if target == nil {
			continue
		}
		// The expanded record is shown only if the caller may read it;
		// otherwise the lookup keeps its id and expands to null.
		tsc := &scope{snap: sc.snap, obj: sc.snap.Object(f.Target), view: sc.view, vobj: target, ddl: sc.ddl, user: sc.user, grant: sc.grant}
		if tsc.grant != nil && !tsc.grant.Can(f.Target, access.ActRead) {
			continue
		}
		pred, pargs := s.predicate(tsc, "", access.Read)
		ids := map[string]bool{}
		var args []any
		for _, r := range recs {
			if id, ok := r[f.APIName].(string); ok && !ids[id] {
				ids[id] = true
				args = append(args, id)
			}
		}
		if len(args) == 0 {
			continue
		}
		cols, _ := selection(target, nil)
		q := fmt.Sprintf("SELECT %s FROM %s WHERE deleted_at IS NULL AND id IN (%s)", selectList(sc, "", cols), sc.tableOf(target.APIName),
			strings.TrimSuffix(strings.Repeat("?, ", len(args)), ", "))
		if pred != "" {
			q += " AND " + pred
			args = append(args, pargs...)
		}
		targets, err := queryRecords(s.db.Conn(ctx), cols, q, args...)
		if err != nil {
			return fmt.Errorf("expand %s: %w", f.APIName, err)
		}
		if err := s.reveal(ctx, sc, target, targets, true); err != nil {
			return err
		}
		byID := make(map[string]Record, len(targets))
		for _, t := range targets {
			byID[t["id"].(string)] = t
		}
		for _, r := range recs {
			id, _ := r[f.APIName].(string)
			ex, _ := r["expand"].(map[string]any)
			if ex == nil {
				ex = map[string]any{}
				r["expand"] = ex
			}
			if t, ok := byID[id]; ok {
				ex[f.APIName] = t
			} else {
				ex[f.APIName] = nil
			}
		}
	}
	return nil
}
