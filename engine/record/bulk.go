package record

import (
	"context"
	"fmt"

	"github.com/tessera-crm/tessera/internal/access"
	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/metadata"
)

// MaxBulk bounds one bulk request.
const MaxBulk = 200

// Bulk operation kinds.
const (
	OpCreate = "create"
	OpUpdate = "update"
	OpDelete = "delete"
)

// BulkOp is one operation of an atomic bulk request.
type BulkOp struct {
	Op      string         `json:"op"`
	ID      string         `json:"id,omitempty"`
	Values  map[string]any `json:"values,omitempty"`
	Version *int64         `json:"version,omitempty"`
}

// BulkResult is the outcome of one operation.
type BulkResult struct {
	Op     string `json:"op"`
	ID     string `json:"id"`
	Record Record `json:"record,omitempty"`
}

// Bulk runs up to MaxBulk operations in one transaction: all apply or none
// does. Errors name the operation: operations[3].amount.
func (s *Service) Bulk(ctx context.Context, snap *metadata.Snapshot, object string, ops []BulkOp) ([]BulkResult, error) {
	sc, err := s.scope(ctx, snap, object)
	if err != nil {
		return nil, err
	}
	if len(ops) == 0 {
		return nil, problem.Field("operations", problem.CodeRequired, "operations is empty")
	}
	if len(ops) > MaxBulk {
		return nil, problem.Field("operations", problem.CodeLimitExceeded, "at most %d operations per request; %d were sent", MaxBulk, len(ops))
	}
	// Validate everything before touching the database, and report every
	// invalid operation at once.
	preps := make([]*prepared, len(ops))
	var errs []problem.FieldError
	for i, op := range ops {
		prefix := fmt.Sprintf("operations[%d].", i)
		switch op.Op {
		case OpCreate, OpUpdate:
			if op.Op == OpUpdate && !validID(op.ID) {
				errs = append(errs, problem.FieldError{Field: prefix + "id", Code: problem.CodeInvalidValue, Message: "update needs the id of a record"})
				continue
			}
			values := op.Values
			if values == nil {
				values = map[string]any{}
			}
			var p *prepared
			var err error
			if op.Op == OpCreate {
				p, err = s.prepareCreate(sc, values, prefix)
			} else {
				p, err = s.prepareUpdate(sc, values, prefix)
			}
			if err != nil {
				if pe, ok := problem.As(err); ok {
					errs = append(errs, pe.Errors...)
					continue
				}
				return nil, err
			}
			preps[i] = p
		case OpDelete:
			if !validID(op.ID) {
				errs = append(errs, problem.FieldError{Field: prefix + "id", Code: problem.CodeInvalidValue, Message: "delete needs the id of a record"})
			}
			if err := sc.require(access.ActDelete); err != nil {
				return nil, err
			}
		default:
			errs = append(errs, problem.FieldError{Field: prefix + "op", Code: problem.CodeInvalidValue, Message: "op must be create, update or delete"})
		}
	}
	if len(errs) > 0 {
		return nil, problem.Invalid("some operations are not valid; nothing was written", errs...)
	}
	results := make([]BulkResult, len(ops))
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		now := s.now()
		for i, op := range ops {
			prefix := fmt.Sprintf("operations[%d].", i)
			var rec Record
			var err error
			switch op.Op {
			case OpCreate:
				rec, err = s.insert(ctx, sc, preps[i], prefix)
			case OpUpdate:
				rec, err = s.update(ctx, sc, op.ID, preps[i], op.Version, prefix)
			case OpDelete:
				err = s.softDelete(ctx, sc, op.ID, op.Version, now, 0)
			}
			if err != nil {
				return inOperation(err, i)
			}
			id := op.ID
			if rec != nil {
				id, _ = rec["id"].(string)
			}
			results[i] = BulkResult{Op: op.Op, ID: id, Record: rec}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return results, nil
}

// inOperation says which operation failed; nothing was written.
func inOperation(err error, i int) error {
	pe, ok := problem.As(err)
	if !ok {
		return err
	}
	c := *pe
	c.Detail = fmt.Sprintf("operation %d: %s; nothing was written", i, pe.Detail)
	return &c
}
