package record

import (
	"context"
	"fmt"
	"strings"

	"github.com/tessera-crm/tessera/internal/access"
	"github.com/tessera-crm/tessera/internal/sqldialect"
	"github.com/tessera-crm/tessera/metadata"
)

// Create validates input and inserts one record, in one transaction (joining
// the caller's if ctx carries one).
func (s *Service) Create(ctx context.Context, snap *metadata.Snapshot, object string, input map[string]any) (Record, error) {
	sc, err := s.scope(ctx, snap, object)
	if err != nil {
		return nil, err
	}
	p, err := s.prepareCreate(sc, input, "")
	if err != nil {
		return nil, err
	}
	var out Record
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		out, err = s.insert(ctx, sc, p, "")
		return err
	})
	return out, err
}

func (s *Service) insert(ctx context.Context, sc *scope, p *prepared, prefix string) (Record, error) {
	if err := s.applyRules(ctx, sc, p, nil); err != nil {
		return nil, prefixed(err, prefix)
	}
	if err := s.checkLayout(ctx, sc, p, nil, prefix); err != nil {
		return nil, err
	}
	conn := s.db.Conn(ctx)
	now := s.now()
	id := newID()
	d := s.db.Dialect.Name()
	names := []string{"id", "owner_id", "created_at", "created_by", "updated_at", "updated_by", "version"}
	types := []string{uuidT(sc), uuidT(sc), tsT(sc), uuidT(sc), tsT(sc), uuidT(sc), sc.ddl.D.ColumnType(sqldialect.KindInteger, 0, 0)}
	owner := sc.user
	if v, ok := p.value("owner_id"); ok {
		owner = v.(string)
	}
	args := []any{id, nullable(owner), bindTime(d, now), nullable(sc.user), bindTime(d, now), nullable(sc.user), int64(1)}
	for _, a := range p.sets {
		if a.field == nil {
			continue // owner_id, handled above
		}
		v, err := s.bind(ctx, sc, a)
		if err != nil {
			return nil, err
		}
		names = append(names, a.name)
		types = append(types, sc.ddl.ColumnType(a.field))
		args = append(args, v)
	}
	for _, f := range sc.obj.Fields {
		if f.Type != metadata.TypeAutoNumber || !f.Active {
			continue
		}
		n, err := nextNumber(ctx, conn, sc, f, now)
		if err != nil {
			return nil, err
		}
		names = append(names, f.APIName)
		types = append(types, sc.ddl.ColumnType(f))
		args = append(args, n)
	}
	pl := planOf(sc)
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = sc.q(n)
	}
	// Lookups are verified by the insert itself: the row is only inserted
	// if every target is a live record, which saves a round trip per
	// lookup. Only when nothing was inserted do we look for the culprit.
	guards, guardArgs := lookupGuards(sc, p)
	var q string
	if guards == "" {
		q = fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s) RETURNING %s", sc.table(), strings.Join(quoted, ", "),
			strings.TrimSuffix(strings.Repeat("?, ", len(names)), ", "), pl.selectAll)
	} else {
		q = fmt.Sprintf("INSERT INTO %s (%s) SELECT %s WHERE %s RETURNING %s", sc.table(), strings.Join(quoted, ", "),
			typedParams(sc, types), guards, pl.selectAll)
		args = append(args, guardArgs...)
	}
	recs, err := queryRecords(conn, pl.cols, q, args...)
	if err != nil {
		return nil, mapWriteError(sc, err, prefix)
	}
	if len(recs) == 0 {
		if err := verifyLookups(ctx, conn, sc, p, prefix); err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("insert %s: no row and no missing lookup", sc.obj.APIName)
	}
	for _, st := range p.stages {
		if err := recordStage(ctx, conn, sc, id, st.field, nil, st.value, now); err != nil {
			return nil, err
		}
	}
	if err := s.refreshRollups(ctx, sc, parentIDs(sc, p.values())); err != nil {
		return nil, err
	}
	after := p.values()
	after["id"], after["owner_id"] = id, owner
	if err := s.saved(ctx, sc, EventCreate, id, nil, after); err != nil {
		return nil, err
	}
	if err := s.reveal(ctx, sc, sc.vobj, recs, false); err != nil {
		return nil, err
	}
	if err := s.computeOnRead(ctx, sc, recs); err != nil {
		return nil, err
	}
	if err := s.logWrite(ctx, sc, "create", id, "created "+sc.obj.APIName+" "+fmt.Sprint(recs[0][sc.obj.NameField]), nil, p.values()); err != nil {
		return nil, err
	}
	return recs[0], nil
}

// prepareCreate checks that the caller may create the record as given and
// validates it.
func (s *Service) prepareCreate(sc *scope, input map[string]any, prefix string) (*prepared, error) {
	if err := sc.require(access.ActCreate); err != nil {
		return nil, err
	}
	if err := checkFieldWrites(sc, input, prefix); err != nil {
		return nil, err
	}
	p, err := prepareWrite(sc.obj, input, true, prefix)
	if err != nil {
		return nil, err
	}
	if err := checkOwner(sc, p, "", prefix); err != nil {
		return nil, err
	}
	return p, nil
}

func uuidT(sc *scope) string { return sc.ddl.D.ColumnType(sqldialect.KindUUID, 0, 0) }
func tsT(sc *scope) string   { return sc.ddl.D.ColumnType(sqldialect.KindDatetime, 0, 0) }

// lookupGuards is the condition that every lookup written names a live
// record of its target.
func lookupGuards(sc *scope, p *prepared) (string, []any) {
	var terms []string
	var args []any
	for _, a := range p.lookups {
		if a.value == nil {
			continue
		}
		terms = append(terms, fmt.Sprintf("EXISTS (SELECT 1 FROM %s WHERE id = ? AND deleted_at IS NULL)", sc.tableOf(a.field.Target)))
		args = append(args, a.value)
	}
	return strings.Join(terms, " AND "), args
}

// typedParams is the select list of an INSERT ... SELECT. PostgreSQL types
// parameters of a select list as text unless told, so each gets its
// column's type; SQLite converts by column affinity on its own.
func typedParams(sc *scope, types []string) string {
	parts := make([]string, len(types))
	for i, t := range types {
		if sc.ddl.D.Name() == sqldialect.Postgres {
			parts[i] = "CAST(? AS " + t + ")"
		} else {
			parts[i] = "?"
		}
	}
	return strings.Join(parts, ", ")
}
