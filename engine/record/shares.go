package record

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/tessera-crm/tessera/internal/access"
	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/metadata"
)

// Share reasons: a manual share, or membership of the record's team.
const (
	ShareManual = "manual"
	ShareTeam   = "team"
)

// Share grants one record to a user, org unit or role.
type Share struct {
	ID          string           `json:"id"`
	Grantee     metadata.Grantee `json:"grantee"`
	GranteeName string           `json:"grantee_name"`
	Access      string           `json:"access"`
	Reason      string           `json:"reason"`
	CreatedBy   *string          `json:"created_by"`
	CreatedAt   any              `json:"created_at"`
}

// NewShare is a share to add.
type NewShare struct {
	Grantee metadata.Grantee `json:"grantee"`
	Access  string           `json:"access"`
	Reason  string           `json:"reason"`
}

// RecordAccess is what the caller may do with one record.
type RecordAccess struct {
	Read     bool `json:"read"`
	Edit     bool `json:"edit"`
	Delete   bool `json:"delete"`
	Share    bool `json:"share"`
	Transfer bool `json:"transfer"`
}

// Access reports what the caller may do with a record they can read.
func (s *Service) Access(ctx context.Context, snap *metadata.Snapshot, object, id string) (*RecordAccess, error) {
	sc, err := s.scope(ctx, snap, object)
	if err != nil {
		return nil, err
	}
	if !validID(id) {
		return nil, notFound(object, id)
	}
	owner, edit, err := s.probe(ctx, sc, id)
	if err != nil {
		return nil, err
	}
	out := &RecordAccess{Read: true, Edit: edit, Delete: edit, Share: true, Transfer: true}
	if g := sc.grant; g != nil {
		out.Edit = edit && g.Can(object, access.ActEdit)
		out.Delete = edit && g.Can(object, access.ActDelete)
		out.Share = g.MayShare(object, owner)
		out.Transfer = out.Edit && g.MayReassign(object, owner)
	}
	return out, nil
}

// probe reads a live record's owner and whether the caller may change it;
// not found unless they may read it.
func (s *Service) probe(ctx context.Context, sc *scope, id string) (owner string, edit bool, err error) {
	found, err := s.readAccess(ctx, sc, []string{id}, nil, false, false)
	if err != nil {
		return "", false, err
	}
	return found[id].owner, found[id].editable, nil
}

// Shares lists a record's shares.
func (s *Service) Shares(ctx context.Context, snap *metadata.Snapshot, object, id string) ([]Share, error) {
	sc, err := s.scope(ctx, snap, object)
	if err != nil {
		return nil, err
	}
	if !validID(id) {
		return nil, notFound(object, id)
	}
	if err := s.visible(ctx, sc, id); err != nil {
		return nil, err
	}
	return s.shares(ctx, sc, id, "")
}

func (s *Service) shares(ctx context.Context, sc *scope, id, shareID string) ([]Share, error) {
	q := fmt.Sprintf("SELECT id, grantee, access, reason, created_by, created_at FROM %s WHERE object = ? AND record_id = ?", sc.tableOf(metadata.TableShares))
	args := []any{sc.obj.APIName, id}
	if shareID != "" {
		q += " AND id = ?"
		args = append(args, shareID)
	}
	rows, err := s.db.Conn(ctx).Raw(q+" ORDER BY created_at, id", args...).Rows()
	if err != nil {
		return nil, fmt.Errorf("list shares: %w", err)
	}
	defer rows.Close()
	out := []Share{}
	for rows.Next() {
		var sh Share
		var rawID, grantee, createdBy, createdAt any
		if err := rows.Scan(&rawID, &grantee, &sh.Access, &sh.Reason, &createdBy, &createdAt); err != nil {
			return nil, fmt.Errorf("list shares: %w", err)
		}
		sh.ID = fmt.Sprint(metadata.OutputValue(systemColumns[0].kind, 0, rawID))
		sh.Grantee = access.ParseGranteeKey(fmt.Sprint(metadata.OutputValue(0, 0, grantee)))
		if by, ok := metadata.OutputValue(systemColumns[0].kind, 0, createdBy).(string); ok {
			sh.CreatedBy = &by
		}
		sh.CreatedAt = metadata.OutputValue(systemColumns[2].kind, 0, createdAt)
		if sc.grant != nil {
			sh.GranteeName, _ = sc.grant.GranteeName(sh.Grantee.Type, sh.Grantee.ID)
		}
		out = append(out, sh)
	}
	return out, rows.Err()
}

// AddShare shares a record; sharing the same grantee again for the same
// reason changes the access level.
func (s *Service) AddShare(ctx context.Context, snap *metadata.Snapshot, object, id string, in NewShare) (*Share, error) {
	sc, err := s.scope(ctx, snap, object)
	if err != nil {
		return nil, err
	}
	if !validID(id) {
		return nil, notFound(object, id)
	}
	if in.Reason == "" {
		in.Reason = ShareManual
	}
	var errs []problem.FieldError
	if !metadata.ValidGranteeType(in.Grantee.Type) {
		errs = append(errs, problem.FieldError{Field: "grantee.type", Code: problem.CodeInvalidValue, Message: "grantee.type must be user, unit, role or role_and_subordinates"})
	} else if sc.grant != nil {
		if _, ok := sc.grant.GranteeName(in.Grantee.Type, in.Grantee.ID); !ok {
			errs = append(errs, problem.FieldError{Field: "grantee.id", Code: problem.CodeInvalidValue, Message: fmt.Sprintf("there is no %s %q in this tenant", in.Grantee.Type, in.Grantee.ID)})
		}
	}
	if in.Access != metadata.AccessRead && in.Access != metadata.AccessEdit {
		errs = append(errs, problem.FieldError{Field: "access", Code: problem.CodeInvalidValue, Message: "access must be read or edit"})
	}
	if in.Reason != ShareManual && in.Reason != ShareTeam {
		errs = append(errs, problem.FieldError{Field: "reason", Code: problem.CodeInvalidValue, Message: "reason must be manual or team"})
	}
	if len(errs) > 0 {
		return nil, problem.Invalid("the share is not valid", errs...)
	}
	var out *Share
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		if err := s.mayShare(ctx, sc, id); err != nil {
			return err
		}
		key := access.GranteeKey(in.Grantee.Type, in.Grantee.ID)
		table := sc.tableOf(metadata.TableShares)
		conn := s.db.Conn(ctx)
		if err := conn.Exec(fmt.Sprintf("DELETE FROM %s WHERE object = ? AND record_id = ? AND grantee = ? AND reason = ?", table),
			object, id, key, in.Reason).Error; err != nil {
			return fmt.Errorf("replace share: %w", err)
		}
		shareID := newID()
		if err := conn.Exec(fmt.Sprintf("INSERT INTO %s (id, object, record_id, grantee, access, reason, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", table),
			shareID, object, id, key, in.Access, in.Reason, nullable(sc.user), bindTime(s.db.Dialect.Name(), s.now())).Error; err != nil {
			return fmt.Errorf("add share: %w", err)
		}
		list, err := s.shares(ctx, sc, id, shareID)
		if err != nil || len(list) == 0 {
			return fmt.Errorf("read share back: %v", err)
		}
		out = &list[0]
		return s.logWrite(ctx, sc, "share", id, fmt.Sprintf("shared %s %s with %s %s (%s, %s)", object, id, in.Grantee.Type, out.GranteeName, in.Access, in.Reason),
			nil, map[string]any{"grantee": in.Grantee, "access": in.Access, "reason": in.Reason})
	})
	return out, err
}

// DeleteShare removes a share.
func (s *Service) DeleteShare(ctx context.Context, snap *metadata.Snapshot, object, id, shareID string) error {
	sc, err := s.scope(ctx, snap, object)
	if err != nil {
		return err
	}
	if !validID(id) || !validID(shareID) {
		return notFound(object, id)
	}
	return s.db.InTx(ctx, func(ctx context.Context) error {
		if err := s.mayShare(ctx, sc, id); err != nil {
			return err
		}
		res := s.db.Conn(ctx).Exec(fmt.Sprintf("DELETE FROM %s WHERE object = ? AND record_id = ? AND id = ?", sc.tableOf(metadata.TableShares)), object, id, shareID)
		if res.Error != nil {
			return fmt.Errorf("delete share: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return problem.NotFound("the record has no share %s", shareID)
		}
		return s.logWrite(ctx, sc, "unshare", id, "removed share "+shareID+" of "+object+" "+id, nil, nil)
	})
}

func (s *Service) mayShare(ctx context.Context, sc *scope, id string) error {
	owner, _, err := s.probe(ctx, sc, id)
	if err != nil {
		return err
	}
	if sc.grant != nil && !sc.grant.MayShare(sc.obj.APIName, owner) {
		return problem.Forbidden("only the record's owner, their managers or holders of modify all may share it")
	}
	return nil
}

// TransferResult counts what a transfer moved.
type TransferResult struct {
	Transferred int64            `json:"transferred"`
	Children    map[string]int64 `json:"children"`
}

// MaxTransfer bounds one transfer request.
const MaxTransfer = 200

// Transfer gives records to a new owner. With children, the records that
// refer to them through a lookup and were owned by the same previous owner
// follow, as in every CRM's "transfer account" (its contacts, opportunities
// and activities move with it).
func (s *Service) Transfer(ctx context.Context, snap *metadata.Snapshot, object string, ids []string, owner string, children bool) (*TransferResult, error) {
	sc, err := s.scope(ctx, snap, object)
	if err != nil {
		return nil, err
	}
	switch {
	case len(ids) == 0:
		return nil, problem.Field("ids", problem.CodeRequired, "ids is empty")
	case len(ids) > MaxTransfer:
		return nil, problem.Field("ids", problem.CodeLimitExceeded, "at most %d records per transfer", MaxTransfer)
	}
	for i, id := range ids {
		if !validID(id) {
			return nil, problem.Field(fmt.Sprintf("ids[%d]", i), problem.CodeInvalidValue, "ids must be record ids")
		}
	}
	if !validID(owner) || (sc.grant != nil && !sc.grant.IsActiveUser(owner)) {
		return nil, problem.Field("owner_id", problem.CodeInvalidValue, "owner_id is not an active user of this tenant")
	}
	if err := sc.require(access.ActEdit); err != nil {
		return nil, err
	}
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	out := &TransferResult{Children: map[string]int64{}}
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		found, err := s.locateAll(ctx, sc, ids, nil, false)
		if err != nil {
			return err
		}
		var moving []any
		for _, id := range ids {
			from := found[id].owner
			if from == owner {
				continue
			}
			if sc.grant != nil && !sc.grant.MayReassign(object, from) {
				return problem.Forbidden(fmt.Sprintf("you may not transfer %s %s: only its owner, their managers or holders of the transfer capability may", object, id))
			}
			moving = append(moving, id)
		}
		if len(moving) == 0 {
			return nil
		}
		now := bindTime(s.db.Dialect.Name(), s.now())
		in := strings.TrimSuffix(strings.Repeat("?, ", len(moving)), ", ")
		if children {
			// Children follow when they had their parent's owner: one
			// statement per lookup relation, before the parents move.
			for _, r := range sc.snap.Referrers(object) {
				if r.Object.APIName == object {
					continue
				}
				fk := sc.q(r.Field.APIName)
				q := fmt.Sprintf("UPDATE %s SET owner_id = ?, version = version + 1, updated_at = ?, updated_by = ? WHERE %s IN (%s) AND deleted_at IS NULL AND owner_id = (SELECT p.owner_id FROM %s p WHERE p.id = %s.%s)",
					sc.tableOf(r.Object.APIName), fk, in, sc.table(), sc.tableOf(r.Object.APIName), fk)
				res := s.db.Conn(ctx).Exec(q, append([]any{owner, now, nullable(sc.user)}, moving...)...)
				if res.Error != nil {
					return fmt.Errorf("transfer %s of %s: %w", r.Object.APIName, object, res.Error)
				}
				out.Children[r.Object.APIName] += res.RowsAffected
			}
		}
		q := fmt.Sprintf("UPDATE %s SET owner_id = ?, version = version + 1, updated_at = ?, updated_by = ? WHERE id IN (%s)", sc.table(), in)
		res := s.db.Conn(ctx).Exec(q, append([]any{owner, now, nullable(sc.user)}, moving...)...)
		if res.Error != nil {
			return fmt.Errorf("transfer %s: %w", object, res.Error)
		}
		out.Transferred = res.RowsAffected
		for _, id := range moving {
			id := id.(string)
			if err := s.logWrite(ctx, sc, "transfer", id, "transferred "+object+" "+id, map[string]any{"owner_id": found[id].owner}, map[string]any{"owner_id": owner}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// HistoryEntry is one change of a tracked field.
type HistoryEntry struct {
	Field         string  `json:"field"`
	OldValue      any     `json:"old_value"`
	NewValue      any     `json:"new_value"`
	ChangedAt     any     `json:"changed_at"`
	ChangedBy     *string `json:"changed_by"`
	ChangedByName string  `json:"changed_by_name"`
}

// FieldHistory returns the tracked changes of a record the caller may
// read, newest first, leaving out fields hidden from them.
func (s *Service) FieldHistory(ctx context.Context, snap *metadata.Snapshot, object, id string, limit int) ([]HistoryEntry, error) {
	sc, err := s.scope(ctx, snap, object)
	if err != nil {
		return nil, err
	}
	if !validID(id) {
		return nil, notFound(object, id)
	}
	if err := s.visible(ctx, sc, id); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 500 {
		limit = 200
	}
	q := fmt.Sprintf("SELECT field, old_value, new_value, changed_at, changed_by FROM %s WHERE object = ? AND record_id = ? ORDER BY changed_at DESC, id DESC LIMIT %d",
		sc.tableOf(metadata.TableFieldHistory), limit)
	rows, err := s.db.Conn(ctx).Raw(q, object, id).Rows()
	if err != nil {
		return nil, fmt.Errorf("read field history: %w", err)
	}
	defer rows.Close()
	out := []HistoryEntry{}
	for rows.Next() {
		var e HistoryEntry
		var oldV, newV, at, by any
		if err := rows.Scan(&e.Field, &oldV, &newV, &at, &by); err != nil {
			return nil, fmt.Errorf("read field history: %w", err)
		}
		if sc.vobj.Field(e.Field) == nil {
			continue // hidden from the caller
		}
		e.OldValue, e.NewValue = jsonValue(oldV), jsonValue(newV)
		e.ChangedAt = metadata.OutputValue(systemColumns[2].kind, 0, at)
		if u, ok := metadata.OutputValue(systemColumns[0].kind, 0, by).(string); ok {
			e.ChangedBy = &u
			if sc.grant != nil {
				e.ChangedByName = sc.grant.UserName(u)
			}
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// jsonValue decodes a stored JSON value; text that is not JSON is returned
// as it is.
func jsonValue(raw any) any {
	var s string
	switch v := raw.(type) {
	case nil:
		return nil
	case string:
		s = v
	case []byte:
		s = string(v)
	default:
		return v
	}
	var out any
	if err := json.Unmarshal([]byte(strings.TrimSpace(s)), &out); err != nil {
		return s
	}
	return out
}
