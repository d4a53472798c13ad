package record

import (
	"context"
	"fmt"
	"strings"

	"github.com/tessera-crm/tessera/metadata"
)

// Create validates input and inserts one record, in one transaction (joining
// the caller's if ctx carries one).
func (s *Service) Create(ctx context.Context, snap *metadata.Snapshot, object string, input map[string]any) (Record, error) {
	sc, err := s.scope(ctx, snap, object)
	if err != nil {
		return nil, err
	}
	p, err := prepareWrite(sc.obj, input, true, "")
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
	conn := s.db.Conn(ctx)
	if err := verifyLookups(ctx, conn, sc, p, prefix); err != nil {
		return nil, err
	}
	now := s.now()
	id := newID()
	d := s.db.Dialect.Name()
	names := []string{"id", "owner_id", "created_at", "created_by", "updated_at", "updated_by", "version"}
	owner := sc.user
	if v, ok := p.value("owner_id"); ok {
		owner = v.(string)
	}
	args := []any{id, nullable(owner), bindTime(d, now), nullable(sc.user), bindTime(d, now), nullable(sc.user), int64(1)}
	for _, a := range p.sets {
		if a.field == nil {
			continue // owner_id, handled above
		}
		names = append(names, a.name)
		args = append(args, a.field.Bind(d, a.value))
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
		args = append(args, n)
	}
	pl := planOf(sc)
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = sc.q(n)
	}
	q := fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s) RETURNING %s", sc.table(), strings.Join(quoted, ", "),
		strings.TrimSuffix(strings.Repeat("?, ", len(names)), ", "), pl.selectAll)
	recs, err := queryRecords(conn, pl.cols, q, args...)
	if err != nil {
		return nil, mapWriteError(sc, err, prefix)
	}
	for _, st := range p.stages {
		if err := recordStage(ctx, conn, sc, id, st.field, nil, st.value, now); err != nil {
			return nil, err
		}
	}
	return recs[0], nil
}
