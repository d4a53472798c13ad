package record

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/tessera-crm/tessera/internal/access"
	"github.com/tessera-crm/tessera/internal/audit"
	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/metadata"
)

// require checks an object permission; system work (no grant) may do all.
func (sc *scope) require(act string) error {
	if sc.grant == nil {
		return nil
	}
	return sc.grant.Require(sc.obj.APIName, act)
}

// predicate is the record-access condition for the caller on sc's table;
// statements on one record by id use the unaliased table.
func (s *Service) predicate(sc *scope, alias string, mode access.Mode) (string, []any) {
	if sc.grant == nil {
		return "", nil
	}
	return access.Predicate(sc.grant, sc.snap, sc.obj, sc.ddl, alias, mode, alias == "", s.now())
}

// checkFieldWrites refuses input naming fields the caller may not write,
// naming each one.
func checkFieldWrites(sc *scope, input map[string]any, prefix string) error {
	if sc.grant == nil || len(input) == 0 {
		return nil
	}
	restricted := sc.grant.RestrictedFields(sc.obj.APIName)
	if len(restricted) == 0 {
		return nil
	}
	var errs []problem.FieldError
	for name := range input {
		switch restricted[name] {
		case access.FieldHidden:
			errs = append(errs, problem.FieldError{Field: prefix + name, Code: problem.CodeForbidden, Message: fmt.Sprintf("you may not see or write %s", name)})
		case access.FieldReadOnly:
			errs = append(errs, problem.FieldError{Field: prefix + name, Code: problem.CodeForbidden, Message: fmt.Sprintf("%s is read-only for you", name)})
		}
	}
	if len(errs) == 0 {
		return nil
	}
	sort.Slice(errs, func(i, j int) bool { return errs[i].Field < errs[j].Field })
	return problem.Forbidden("the record names fields you may not write").WithErrors(errs...)
}

// checkOwner refuses an owner who is not an active user, or a change of
// owner the caller may not make. current is "" on create.
func checkOwner(sc *scope, p *prepared, current, prefix string) error {
	v, ok := p.value("owner_id")
	if !ok || sc.grant == nil {
		return nil
	}
	owner := v.(string)
	if owner == current {
		return nil
	}
	if !sc.grant.IsActiveUser(owner) {
		return problem.Field(prefix+"owner_id", problem.CodeInvalidValue, "owner_id is not an active user of this tenant")
	}
	from := current
	if from == "" {
		from = sc.user
	}
	if owner != sc.user && !sc.grant.MayReassign(sc.obj.APIName, from) {
		return problem.Forbidden("you may not give this record to another owner").WithErrors(problem.FieldError{
			Field: prefix + "owner_id", Code: problem.CodeForbidden, Message: "only the owner, their managers or holders of the transfer capability may change the owner"})
	}
	return nil
}

// located is a record a write is about to change, locked for the rest of
// the transaction on PostgreSQL (SQLite's write transactions are already
// exclusive).
type located struct {
	owner    string
	editable bool           // the caller may change it
	values   map[string]any // prior values of the columns asked for
}

// locate checks that the caller may change record id (in the recycle bin
// when deleted) and reads the prior values of names. A record the caller
// cannot read is not found; one they can read but not change is 403.
func (s *Service) locate(ctx context.Context, sc *scope, id string, names []string, deleted bool) (*located, error) {
	found, err := s.locateAll(ctx, sc, []string{id}, names, deleted)
	if err != nil {
		return nil, err
	}
	return found[id], nil
}

// locateAll is locate for a set of records, in one statement; the first
// record missing or not changeable fails the whole set.
func (s *Service) locateAll(ctx context.Context, sc *scope, ids, names []string, deleted bool) (map[string]*located, error) {
	found, err := s.readAccess(ctx, sc, ids, names, deleted, true)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		if !found[id].editable {
			return nil, problem.Forbidden(fmt.Sprintf("you may read this %s but not change it", sc.obj.APIName))
		}
	}
	return found, nil
}

// readAccess reads the owner, whether the caller may change it and the
// columns names of each record of ids the caller may read, locking them
// when lock is set (on PostgreSQL; SQLite's write transactions are already
// exclusive). A record the caller cannot read is not found.
func (s *Service) readAccess(ctx context.Context, sc *scope, ids, names []string, deleted, lock bool) (map[string]*located, error) {
	readPred, readArgs := s.predicate(sc, "", access.Read)
	editPred, editArgs := s.predicate(sc, "", access.Edit)
	cols := []string{"id", sc.q("owner_id")}
	for _, n := range names {
		cols = append(cols, sc.q(n))
	}
	var args []any
	if editPred == "" {
		cols = append(cols, "1")
	} else {
		cols = append(cols, "CASE WHEN "+editPred+" THEN 1 ELSE 0 END")
		args = append(args, editArgs...)
	}
	state := "IS NULL"
	if deleted {
		state = "IS NOT NULL"
	}
	q := fmt.Sprintf("SELECT %s FROM %s WHERE id IN (%s) AND deleted_at %s", strings.Join(cols, ", "), sc.table(),
		strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", "), state)
	for _, id := range ids {
		args = append(args, id)
	}
	if readPred != "" {
		q += " AND " + readPred
		args = append(args, readArgs...)
	}
	if lock && sc.ddl.D.SupportsForUpdate() {
		q += " FOR UPDATE"
	}
	rows, err := s.db.Conn(ctx).Raw(q, args...).Rows()
	if err != nil {
		return nil, fmt.Errorf("locate %s: %w", sc.obj.APIName, err)
	}
	defer rows.Close()
	found := make(map[string]*located, len(ids))
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("locate %s: %w", sc.obj.APIName, err)
		}
		id, _ := metadata.OutputValue(systemColumns[0].kind, 0, vals[0]).(string)
		l := &located{values: map[string]any{}, editable: fmt.Sprint(vals[len(vals)-1]) == "1"}
		l.owner, _ = metadata.OutputValue(systemColumns[1].kind, 0, vals[1]).(string)
		for i, n := range names {
			if f := sc.obj.Field(n); f != nil {
				l.values[n] = f.Output(vals[i+2])
			} else if c, ok := isSystem(n); ok {
				l.values[n] = metadata.OutputValue(c.kind, 0, vals[i+2])
			}
		}
		found[id] = l
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("locate %s: %w", sc.obj.APIName, err)
	}
	for _, id := range ids {
		switch {
		case found[id] == nil && deleted:
			return nil, problem.NotFound("%s has no record %s in the recycle bin", sc.obj.APIName, id)
		case found[id] == nil:
			return nil, notFound(sc.obj.APIName, id)
		}
	}
	return found, nil
}

// auditValues is the loggable form of written values: encrypted fields are
// not copied into the log.
func auditValues(obj *metadata.Object, values map[string]any) map[string]any {
	out := make(map[string]any, len(values))
	for k, v := range values {
		if f := obj.Field(k); f != nil && f.Encrypted {
			v = "[encrypted]"
		}
		out[k] = v
	}
	return out
}

// logWrite appends the operation to the tenant's audit log, in the write's
// transaction.
func (s *Service) logWrite(ctx context.Context, sc *scope, action, id, summary string, before, after map[string]any) error {
	e := audit.Entry{Action: "record." + action, Object: sc.obj.APIName, RecordID: id, Summary: summary}
	if before != nil {
		e.Before = auditValues(sc.obj, before)
	}
	if after != nil {
		e.After = auditValues(sc.obj, after)
	}
	return audit.Write(ctx, s.db, sc.snap.Tenant.Key, e)
}

// changedNames lists the fields of a write, sorted, for summaries.
func changedNames(values map[string]any) string {
	names := make([]string, 0, len(values))
	for k := range values {
		names = append(names, k)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}
