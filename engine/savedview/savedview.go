// Package savedview keeps the list views users save for themselves or share
// with their tenant: columns, filter and sort over one object. Admin-defined
// default views are metadata (metadata.ListView); these are user data.
package savedview

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/tessera-crm/tessera/internal/database"
	"github.com/tessera-crm/tessera/internal/identity"
	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/metadata"
)

// MaxPerUser bounds the views one user keeps on one object.
const MaxPerUser = 100

// View is a saved list view.
type View struct {
	ID      string                `json:"id"`
	Object  string                `json:"object"`
	Name    string                `json:"name"`
	Shared  bool                  `json:"shared"`
	OwnerID string                `json:"owner_id"`
	Mine    bool                  `json:"mine"`
	Columns []metadata.ViewColumn `json:"columns"`
	Filter  string                `json:"filter"`
	Sort    string                `json:"sort"`
}

// Input is what a client sends.
type Input struct {
	Name    string                `json:"name"`
	Shared  bool                  `json:"shared"`
	Columns []metadata.ViewColumn `json:"columns"`
	Filter  string                `json:"filter"`
	Sort    string                `json:"sort"`
}

type definition struct {
	Columns []metadata.ViewColumn `json:"columns"`
	Filter  string                `json:"filter"`
	Sort    string                `json:"sort"`
}

// QueryChecker validates a filter and sort against an object.
type QueryChecker func(snap *metadata.Snapshot, object, filter, sort string) error

// Service stores saved views.
type Service struct {
	db    *database.DB
	check QueryChecker
	now   func() time.Time
}

// NewService returns the service.
func NewService(db *database.DB, check QueryChecker) *Service {
	return &Service{db: db, check: check, now: func() time.Time { return time.Now().UTC() }}
}

type row struct {
	ID         string
	Object     string
	OwnerID    string
	Name       string
	Shared     bool
	Definition string
}

func (r row) view(me string) View {
	var d definition
	_ = json.Unmarshal([]byte(r.Definition), &d)
	if d.Columns == nil {
		d.Columns = []metadata.ViewColumn{}
	}
	return View{ID: r.ID, Object: r.Object, Name: r.Name, Shared: r.Shared, OwnerID: r.OwnerID, Mine: r.OwnerID == me,
		Columns: d.Columns, Filter: d.Filter, Sort: d.Sort}
}

// List returns the caller's views and the shared ones of an object.
func (s *Service) List(ctx context.Context, snap *metadata.Snapshot, object string) ([]View, error) {
	if snap.Object(object) == nil {
		return nil, problem.UnknownObject(object)
	}
	me := identity.FromContext(ctx).UserID
	var rows []row
	err := s.db.Conn(ctx).Raw(`SELECT id, object, owner_id, name, shared, definition FROM list_views
		WHERE tenant_id = ? AND object = ? AND (owner_id = ? OR shared = ?) ORDER BY name, id`, snap.Tenant.ID, object, me, true).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("list saved views: %w", err)
	}
	out := make([]View, len(rows))
	for i, r := range rows {
		out[i] = r.view(me)
	}
	return out, nil
}

func (s *Service) validate(snap *metadata.Snapshot, object string, in *Input) error {
	obj := snap.Object(object)
	if obj == nil {
		return problem.UnknownObject(object)
	}
	in.Name = strings.TrimSpace(in.Name)
	var errs []problem.FieldError
	if in.Name == "" || utf8.RuneCountInString(in.Name) > 80 {
		errs = append(errs, problem.FieldError{Field: "name", Code: problem.CodeInvalidValue, Message: "name must be 1 to 80 characters"})
	}
	errs = append(errs, metadata.CheckViewColumns(obj, in.Columns)...)
	if len(errs) > 0 {
		return problem.Invalid("the view is not valid", errs...)
	}
	return s.check(snap, object, in.Filter, in.Sort)
}

// Create saves a new view owned by the caller. Only admins share views.
func (s *Service) Create(ctx context.Context, snap *metadata.Snapshot, object string, in Input) (*View, error) {
	if err := s.validate(snap, object, &in); err != nil {
		return nil, err
	}
	p := identity.FromContext(ctx)
	if in.Shared && !p.IsAdmin() {
		return nil, problem.Forbidden("only admins can share a view with everyone")
	}
	var n int64
	if err := s.db.Conn(ctx).Raw(`SELECT COUNT(*) FROM list_views WHERE tenant_id = ? AND object = ? AND owner_id = ?`, snap.Tenant.ID, object, p.UserID).Scan(&n).Error; err != nil {
		return nil, fmt.Errorf("count saved views: %w", err)
	}
	if n >= MaxPerUser {
		return nil, problem.Unprocessable(problem.CodeLimitExceeded, "you have %d views on %s; delete some first", n, object)
	}
	def, _ := json.Marshal(definition{Columns: in.Columns, Filter: in.Filter, Sort: in.Sort})
	r := row{ID: uuid.Must(uuid.NewV7()).String(), Object: object, OwnerID: p.UserID, Name: in.Name, Shared: in.Shared, Definition: string(def)}
	now := s.now()
	err := s.db.Conn(ctx).Exec(`INSERT INTO list_views (tenant_id, id, object, owner_id, name, shared, definition, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		snap.Tenant.ID, r.ID, r.Object, r.OwnerID, r.Name, r.Shared, r.Definition, now, now).Error
	if err != nil {
		return nil, fmt.Errorf("save view: %w", err)
	}
	v := r.view(p.UserID)
	return &v, nil
}

func (s *Service) find(ctx context.Context, snap *metadata.Snapshot, object, id string) (*row, error) {
	if _, err := uuid.Parse(id); err != nil {
		return nil, problem.NotFound("no saved view %s", id)
	}
	var r row
	res := s.db.Conn(ctx).Raw(`SELECT id, object, owner_id, name, shared, definition FROM list_views WHERE tenant_id = ? AND object = ? AND id = ?`,
		snap.Tenant.ID, object, id).Scan(&r)
	if res.Error != nil {
		return nil, fmt.Errorf("find view: %w", res.Error)
	}
	p := identity.FromContext(ctx)
	// Someone else's private view does not exist for the caller.
	if res.RowsAffected == 0 || (r.OwnerID != p.UserID && !r.Shared) {
		return nil, problem.NotFound("no saved view %s", id)
	}
	if r.OwnerID != p.UserID && !p.IsAdmin() {
		return nil, problem.Forbidden("this shared view belongs to someone else; save a copy instead")
	}
	return &r, nil
}

// Update replaces a view the caller owns (admins may change shared ones).
func (s *Service) Update(ctx context.Context, snap *metadata.Snapshot, object, id string, in Input) (*View, error) {
	r, err := s.find(ctx, snap, object, id)
	if err != nil {
		return nil, err
	}
	if err := s.validate(snap, object, &in); err != nil {
		return nil, err
	}
	p := identity.FromContext(ctx)
	if in.Shared && !p.IsAdmin() {
		return nil, problem.Forbidden("only admins can share a view with everyone")
	}
	def, _ := json.Marshal(definition{Columns: in.Columns, Filter: in.Filter, Sort: in.Sort})
	r.Name, r.Shared, r.Definition = in.Name, in.Shared, string(def)
	if err := s.db.Conn(ctx).Exec(`UPDATE list_views SET name = ?, shared = ?, definition = ?, updated_at = ? WHERE tenant_id = ? AND id = ?`,
		r.Name, r.Shared, r.Definition, s.now(), snap.Tenant.ID, id).Error; err != nil {
		return nil, fmt.Errorf("update view: %w", err)
	}
	v := r.view(p.UserID)
	return &v, nil
}

// Delete removes a view the caller owns (admins may remove shared ones).
func (s *Service) Delete(ctx context.Context, snap *metadata.Snapshot, object, id string) error {
	if _, err := s.find(ctx, snap, object, id); err != nil {
		return err
	}
	if err := s.db.Conn(ctx).Exec(`DELETE FROM list_views WHERE tenant_id = ? AND id = ?`, snap.Tenant.ID, id).Error; err != nil {
		return fmt.Errorf("delete view: %w", err)
	}
	return nil
}
