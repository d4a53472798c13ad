package audit

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/tessera-crm/tessera/internal/database"
	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/internal/sqldialect"
	"github.com/tessera-crm/tessera/metadata"
)

// Page sizes of List.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

// Query selects entries of the operation log. Zero fields do not filter.
type Query struct {
	// Action matches exactly, or as a prefix when it ends with "." (e.g.
	// "record." for every record operation).
	Action   string
	ActorID  string
	Object   string
	RecordID string
	// From (inclusive) and To (exclusive) bound the entries' time.
	From, To time.Time
	// Q is a case-insensitive substring of the summary.
	Q string
	// Limit is the page size, 1..MaxLimit; 0 means DefaultLimit.
	Limit int
	// Cursor continues after the page that returned it.
	Cursor string
}

// LogEntry is an entry as the API shows it. Before and After are the stored
// JSON, passed through as they are.
type LogEntry struct {
	ID        string          `json:"id"`
	At        string          `json:"at"`
	ActorID   *string         `json:"actor_id"`
	ActorKind string          `json:"actor_kind"`
	ActorName string          `json:"actor_name"`
	IP        string          `json:"ip"`
	Client    string          `json:"client"`
	RequestID string          `json:"request_id"`
	Action    string          `json:"action"`
	Object    string          `json:"object"`
	RecordID  string          `json:"record_id"`
	Summary   string          `json:"summary"`
	Before    json.RawMessage `json:"before"`
	After     json.RawMessage `json:"after"`
}

// Page is one page of entries, newest first.
type Page struct {
	Data       []LogEntry `json:"data"`
	NextCursor *string    `json:"next_cursor"`
}

// List returns the entries of the tenant's log that match q, newest first.
// Invalid filters are 400 problems naming the query parameter.
func List(ctx context.Context, db *database.DB, tenantKey string, q Query) (*Page, error) {
	if q.Limit == 0 {
		q.Limit = DefaultLimit
	}
	if q.Limit < 1 || q.Limit > MaxLimit {
		return nil, problem.Field("limit", problem.CodeOutOfRange, "limit must be between 1 and %d", MaxLimit)
	}
	return list(ctx, db, tenantKey, q)
}

// list is List without the page size bound, for Export.
func list(ctx context.Context, db *database.DB, tenantKey string, q Query) (*Page, error) {
	where, args, err := q.predicate(db.Dialect)
	if err != nil {
		return nil, err
	}
	table := db.Dialect.Table(tenantKey, metadata.TableAuditLog)
	sql := `SELECT id, at, actor_id, actor_kind, actor_name, ip, client, request_id, action, object, record_id, summary, before, after FROM ` + table
	if len(where) > 0 {
		sql += " WHERE " + strings.Join(where, " AND ")
	}
	// One extra row tells whether there is a next page.
	sql += fmt.Sprintf(" ORDER BY at DESC, id DESC LIMIT %d", q.Limit+1)
	rows, err := db.Conn(ctx).Raw(sql, args...).Rows()
	if err != nil {
		return nil, fmt.Errorf("list audit entries: %w", err)
	}
	defer rows.Close()
	page := &Page{Data: []LogEntry{}}
	for rows.Next() {
		var (
			e             LogEntry
			id, at, actor any
			before, after *string
		)
		if err := rows.Scan(&id, &at, &actor, &e.ActorKind, &e.ActorName, &e.IP, &e.Client, &e.RequestID,
			&e.Action, &e.Object, &e.RecordID, &e.Summary, &before, &after); err != nil {
			return nil, fmt.Errorf("read audit entry: %w", err)
		}
		e.ID, _ = metadata.OutputValue(sqldialect.KindUUID, 0, id).(string)
		e.At, _ = metadata.OutputValue(sqldialect.KindDatetime, 0, at).(string)
		if a, ok := metadata.OutputValue(sqldialect.KindUUID, 0, actor).(string); ok {
			e.ActorID = &a
		}
		e.Before, e.After = rawJSON(before), rawJSON(after)
		page.Data = append(page.Data, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list audit entries: %w", err)
	}
	if len(page.Data) > q.Limit {
		page.Data = page.Data[:q.Limit]
		last := page.Data[q.Limit-1]
		c := encodeCursor(last.At, last.ID)
		page.NextCursor = &c
	}
	return page, nil
}

// predicate turns q into SQL conditions; every value is bound.
func (q Query) predicate(d sqldialect.Dialect) ([]string, []any, error) {
	var (
		where []string
		args  []any
	)
	if q.Action != "" {
		if !validAction(q.Action) {
			return nil, nil, problem.Field("action", problem.CodeInvalidValue, "action must be an action name such as record.update, or a prefix ending in a dot such as record.")
		}
		if strings.HasSuffix(q.Action, ".") {
			where = append(where, `action LIKE ? ESCAPE '\'`)
			args = append(args, escapeLike(q.Action)+"%")
		} else {
			where = append(where, "action = ?")
			args = append(args, q.Action)
		}
	}
	if q.ActorID != "" {
		// actor_id is a uuid column on PostgreSQL: anything else is a
		// client error, not a database one.
		if _, err := uuid.Parse(q.ActorID); err != nil {
			return nil, nil, problem.Field("actor_id", problem.CodeInvalidValue, "actor_id must be a user id")
		}
		where = append(where, "actor_id = ?")
		args = append(args, strings.ToLower(q.ActorID))
	}
	if q.Object != "" {
		where = append(where, "object = ?")
		args = append(args, q.Object)
	}
	if q.RecordID != "" {
		where = append(where, "record_id = ?")
		args = append(args, q.RecordID)
	}
	if !q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To) {
		return nil, nil, problem.Field("to", problem.CodeInvalidValue, "to must be later than from")
	}
	if !q.From.IsZero() {
		where = append(where, "at >= ?")
		args = append(args, bindTime(d, q.From))
	}
	if !q.To.IsZero() {
		where = append(where, "at < ?")
		args = append(args, bindTime(d, q.To))
	}
	if q.Q != "" {
		if len(q.Q) > 200 {
			return nil, nil, problem.Field("q", problem.CodeTooLong, "q is limited to 200 bytes")
		}
		where = append(where, `LOWER(summary) LIKE ? ESCAPE '\'`)
		args = append(args, "%"+escapeLike(strings.ToLower(q.Q))+"%")
	}
	if q.Cursor != "" {
		at, id, err := decodeCursor(q.Cursor)
		if err != nil {
			return nil, nil, problem.Field("cursor", problem.CodeInvalidCursor, "cursor is not one this list returned")
		}
		t := bindTime(d, at)
		where = append(where, "(at < ? OR (at = ? AND id < ?))")
		args = append(args, t, t, id)
	}
	return where, args, nil
}

func validAction(s string) bool {
	if len(s) > 100 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '.') {
			return false
		}
	}
	return s != "."
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

func escapeLike(s string) string { return likeEscaper.Replace(s) }

func bindTime(d sqldialect.Dialect, t time.Time) any {
	return metadata.BindValue(d.Name(), sqldialect.KindDatetime, 0, t)
}

// rawJSON passes stored JSON through; text that is not JSON (which Write
// does not produce) is sent as a JSON string rather than breaking the answer.
func rawJSON(s *string) json.RawMessage {
	if s == nil || *s == "" {
		return json.RawMessage("null")
	}
	if json.Valid([]byte(*s)) {
		return json.RawMessage(*s)
	}
	b, _ := json.Marshal(*s)
	return b
}

// The cursor is the (at, id) of the last entry of a page: keyset paging
// stays correct while new entries arrive at the head.
type cursor struct {
	At string `json:"at"`
	ID string `json:"id"`
}

func encodeCursor(at, id string) string {
	b, _ := json.Marshal(cursor{At: at, ID: id})
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (time.Time, string, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return time.Time{}, "", err
	}
	var c cursor
	if err := json.Unmarshal(b, &c); err != nil {
		return time.Time{}, "", err
	}
	at, err := time.Parse(time.RFC3339Nano, c.At)
	if err != nil {
		return time.Time{}, "", err
	}
	id, err := uuid.Parse(c.ID)
	if err != nil {
		return time.Time{}, "", err
	}
	return at, id.String(), nil
}
