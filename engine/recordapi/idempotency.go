package recordapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tessera-crm/tessera/internal/httpx"
	"github.com/tessera-crm/tessera/internal/identity"
	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/internal/sqldialect"
	"github.com/tessera-crm/tessera/metadata"
)

// maxIdempotencyKey bounds the header.
const maxIdempotencyKey = 200

type stored struct {
	RequestHash string
	Status      int
	Body        string
}

// idempotent runs a POST once per Idempotency-Key: the first response is
// stored in the same transaction as the write, and a retry with the same key
// and body gets it back instead of writing again. The same key with another
// body is refused. Keys are scoped to the tenant and the user.
func (h *Handlers) idempotent(c *gin.Context, body []byte, run func(c *gin.Context) (int, any, error)) {
	key := c.GetHeader("Idempotency-Key")
	if key == "" {
		status, out, err := run(c)
		if err != nil {
			problem.Write(c, err)
			return
		}
		c.JSON(status, out)
		return
	}
	if len(key) > maxIdempotencyKey {
		problem.Write(c, problem.Field("Idempotency-Key", problem.CodeTooLong, "Idempotency-Key is at most %d characters", maxIdempotencyKey))
		return
	}
	snap := httpx.Snapshot(c)
	p := identity.FromContext(c.Request.Context())
	scoped := p.UserID + ":" + c.Request.URL.Path + ":" + key
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])
	db := h.Records.DB()
	table := (metadata.DDL{D: db.Dialect, Key: snap.Tenant.Key}).Table(metadata.TableIdempotency)

	var replay *stored
	var status int
	var out []byte
	ctx := c.Request.Context()
	err := db.InTx(ctx, func(txCtx context.Context) error {
		prev, err := findStored(txCtx, h, table, scoped)
		if err != nil {
			return err
		}
		if prev != nil {
			replay = prev
			return nil
		}
		c.Request = c.Request.WithContext(txCtx)
		st, res, err := run(c)
		c.Request = c.Request.WithContext(ctx)
		if err != nil {
			return err
		}
		if out, err = json.Marshal(res); err != nil {
			return err
		}
		status = st
		return db.Conn(txCtx).Exec(fmt.Sprintf("INSERT INTO %s (key, user_id, request_hash, status, body, created_at) VALUES (?, ?, ?, ?, ?, ?)", table),
			scoped, p.UserID, hash, status, string(out), metadata.BindValue(db.Dialect.Name(), sqldialect.KindDatetime, 0, time.Now().UTC())).Error
	})
	if err != nil {
		if _, ok := problem.As(err); !ok {
			// A concurrent request with the same key won the insert: its
			// response is the one to replay.
			if prev, ferr := findStored(ctx, h, table, scoped); ferr == nil && prev != nil {
				replay = prev
				err = nil
			}
		}
		if err != nil {
			problem.Write(c, err)
			return
		}
	}
	if replay != nil {
		if replay.RequestHash != hash {
			problem.Write(c, problem.Unprocessable(problem.CodeIdempotency, "Idempotency-Key %q was used with a different request body", key))
			return
		}
		c.Header("Idempotent-Replayed", "true")
		c.Data(replay.Status, "application/json; charset=utf-8", []byte(replay.Body))
		return
	}
	c.Header("Idempotent-Replayed", "false")
	c.Data(status, "application/json; charset=utf-8", bytes.TrimSpace(out))
}

func findStored(ctx context.Context, h *Handlers, table, key string) (*stored, error) {
	var s stored
	res := h.Records.DB().Conn(ctx).Raw(fmt.Sprintf("SELECT request_hash, status, body FROM %s WHERE key = ?", table), key).Scan(&s)
	if res.Error != nil {
		return nil, fmt.Errorf("read idempotency key: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return nil, nil
	}
	return &s, nil
}
