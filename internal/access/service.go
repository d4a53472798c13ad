package access

import (
	"context"
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"
	gormadapter "github.com/casbin/gorm-adapter/v3"
	"github.com/maypok86/otter/v2"

	"github.com/tessera-crm/tessera/internal/bus"
	"github.com/tessera-crm/tessera/internal/database"
	"github.com/tessera-crm/tessera/internal/identity"
)

//go:embed model.conf
var modelText string

// casbinTable is the adapter's table in the platform schema.
const casbinTable = "casbin_rule"

const topic = "access"

// bundleTTL bounds how stale an instance can be if it missed an
// invalidation (the bus was down): policies reload at least this often.
const bundleTTL = time.Minute

// Service loads, caches and changes a tenant's policies and organisation.
type Service struct {
	db      *database.DB
	bus     bus.Bus
	bundles *otter.Cache[string, *bundle]
	// gens counts invalidations per tenant, so that a load which raced
	// with a change is not kept.
	gens sync.Map // tenant id -> *atomic.Int64
	keys sync.Map // tenant id -> namespace key (never changes)
	now  func() time.Time
}

// NewService returns the access service.
func NewService(db *database.DB, b bus.Bus) *Service {
	s := &Service{db: db, bus: b, now: func() time.Time { return time.Now().UTC() }}
	s.bundles = otter.Must(&otter.Options[string, *bundle]{
		MaximumSize:      20000,
		ExpiryCalculator: otter.ExpiryWriting[string, *bundle](bundleTTL),
	})
	b.Subscribe(topic, s.drop)
	b.OnReset(s.bundles.InvalidateAll)
	return s
}

// bundle is one tenant's loaded policies and organisation, with the grants
// compiled from them.
type bundle struct {
	gen      int64
	enforcer *casbin.Enforcer
	org      *Org
	perms    sync.Map // permission-set key -> *permissions
	grants   sync.Map // principal key -> *Grant
}

func (s *Service) gen(tenantID string) *atomic.Int64 {
	v, _ := s.gens.LoadOrStore(tenantID, new(atomic.Int64))
	return v.(*atomic.Int64)
}

func (s *Service) drop(tenantID string) {
	s.gen(tenantID).Add(1)
	s.bundles.Invalidate(tenantID)
}

// Changed drops the tenant's cached policies here and on every instance.
// Call it after the transaction that changed them committed.
func (s *Service) Changed(ctx context.Context, tenantID string) {
	s.drop(tenantID)
	_ = s.bus.Publish(ctx, topic, tenantID)
}

func (s *Service) bundle(ctx context.Context, tenantID string) (*bundle, error) {
	g := s.gen(tenantID)
	if b, ok := s.bundles.GetIfPresent(tenantID); ok && b.gen == g.Load() {
		return b, nil
	}
	start := g.Load()
	e, err := s.loadEnforcer(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	org, err := loadOrg(ctx, s.db, tenantID)
	if err != nil {
		return nil, err
	}
	b := &bundle{gen: start, enforcer: e, org: org}
	if g.Load() == start {
		s.bundles.Set(tenantID, b)
	}
	return b, nil
}

func (s *Service) loadEnforcer(ctx context.Context, tenantID string) (*casbin.Enforcer, error) {
	m, err := model.NewModelFromString(modelText)
	if err != nil {
		return nil, fmt.Errorf("casbin model: %w", err)
	}
	// Read outside any transaction of ctx's: a bundle is shared and must
	// only ever hold committed policies.
	ad, err := gormadapter.NewFilteredAdapterByDB(s.db.Gorm.WithContext(context.WithoutCancel(ctx)), "", casbinTable)
	if err != nil {
		return nil, fmt.Errorf("casbin adapter: %w", err)
	}
	e, err := casbin.NewEnforcer(m, ad)
	if err != nil {
		return nil, fmt.Errorf("casbin enforcer: %w", err)
	}
	e.EnableAutoSave(false)
	filter := []gormadapter.Filter{{Ptype: []string{"p"}, V1: []string{tenantID}}, {Ptype: []string{"g"}, V2: []string{tenantID}}}
	if err := e.LoadFilteredPolicy(filter); err != nil {
		return nil, fmt.Errorf("load policies of %s: %w", tenantID, err)
	}
	return e, nil
}

// Grant compiles (or returns the cached) grant of a tenant member.
func (s *Service) Grant(ctx context.Context, p *identity.Principal) (*Grant, error) {
	b, err := s.bundle(ctx, p.TenantID)
	if err != nil {
		return nil, err
	}
	key := p.UserID
	if p.PermissionSets != nil {
		key += "|key:" + p.APIKeyID
	}
	if g, ok := b.grants.Load(key); ok {
		return g.(*Grant), nil
	}
	g := &Grant{TenantID: p.TenantID, UserID: p.UserID, org: b.org}
	sets := p.PermissionSets
	if sets == nil {
		if p.IsAdmin() {
			g.Admin = true
		}
		sets = b.setsOf(p.TenantID, p.UserID)
	} else if slices.Contains(sets, SystemAdminSet) && p.IsAdmin() {
		// An admin's key limited to the administrator set is the admin.
		g.Admin = true
	}
	g.perms = b.permissions(p.TenantID, sets)
	g.RoleID, g.Subordinates, g.Grantees = b.org.reach(p.UserID)
	g.RolePath = b.org.RolePath(g.RoleID)
	if n := len(b.org.Members); n > 0 {
		g.TeamShare = float64(len(g.Subordinates)) / float64(n)
	}
	b.grants.Store(key, g)
	return g, nil
}

// setsOf returns the permission sets assigned to a user.
func (b *bundle) setsOf(tenantID, userID string) []string {
	roles, _ := b.enforcer.GetRolesForUser(userSubject(userID), tenantID)
	out := make([]string, 0, len(roles))
	for _, r := range roles {
		if name, ok := strings.CutPrefix(r, setPrefix); ok {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// permissions compiles the union of sets, shared by everyone holding the
// same sets.
func (b *bundle) permissions(tenantID string, sets []string) *permissions {
	sorted := slices.Clone(sets)
	slices.Sort(sorted)
	sorted = slices.Compact(sorted)
	key := strings.Join(sorted, ",")
	if p, ok := b.perms.Load(key); ok {
		return p.(*permissions)
	}
	p := compile(b.enforcer, tenantID, sorted)
	p.key = key
	b.perms.Store(key, p)
	return p
}

// compile folds the policies of sets into permissions. A field's level is
// the most permissive among the sets that may read its object: a set that
// does not restrict a field leaves it editable.
func compile(e *casbin.Enforcer, tenantID string, sets []string) *permissions {
	p := &permissions{sets: sets, objects: map[string]ObjectPerms{}, caps: map[string]bool{}, fields: map[string]map[string]string{}}
	type setRules struct {
		all     ObjectPerms
		objects map[string]ObjectPerms
		fields  map[string]map[string]string
	}
	var compiled []setRules
	for _, set := range sets {
		sr := setRules{objects: map[string]ObjectPerms{}, fields: map[string]map[string]string{}}
		rules, _ := e.GetFilteredPolicy(0, setPrefix+set, tenantID)
		for _, r := range rules {
			if len(r) < 4 {
				continue
			}
			obj, act := r[2], r[3]
			switch {
			case obj == "*":
				sr.all.set(act)
				p.caps["*"] = true
			case strings.HasPrefix(obj, objectPrefix):
				o := sr.objects[obj[len(objectPrefix):]]
				o.set(act)
				sr.objects[obj[len(objectPrefix):]] = o
			case strings.HasPrefix(obj, fieldPrefix):
				object, field, ok := strings.Cut(obj[len(fieldPrefix):], ".")
				if ok && (act == FieldHidden || act == FieldReadOnly) {
					if sr.fields[object] == nil {
						sr.fields[object] = map[string]string{}
					}
					sr.fields[object][field] = act
				}
			case strings.HasPrefix(obj, capPrefix):
				p.caps[obj[len(capPrefix):]] = true
			}
		}
		p.all = p.all.or(sr.all)
		for o, op := range sr.objects {
			p.objects[o] = p.objects[o].or(op)
		}
		compiled = append(compiled, sr)
	}
	// Every field any set restricts, at the most permissive level granted.
	restricted := map[string]map[string]bool{}
	for _, sr := range compiled {
		for o, fs := range sr.fields {
			if restricted[o] == nil {
				restricted[o] = map[string]bool{}
			}
			for f := range fs {
				restricted[o][f] = true
			}
		}
	}
	for o, fs := range restricted {
		for f := range fs {
			level := ""
			for _, sr := range compiled {
				if !sr.all.or(sr.objects[o]).Allows(ActRead) {
					continue
				}
				l, ok := sr.fields[o][f]
				if !ok {
					l = FieldEditable
				}
				level = moreOpen(level, l)
			}
			if level == "" {
				level = FieldHidden // no set reads the object; the field is moot
			}
			if level != FieldEditable {
				if p.fields[o] == nil {
					p.fields[o] = map[string]string{}
				}
				p.fields[o][f] = level
			}
		}
	}
	return p
}

func moreOpen(a, b string) string {
	rank := map[string]int{"": 0, FieldHidden: 1, FieldReadOnly: 2, FieldEditable: 3}
	if rank[b] > rank[a] {
		return b
	}
	return a
}

// Policy subjects and objects.
const (
	userPrefix   = "user:"
	setPrefix    = "ps:"
	objectPrefix = "object:"
	fieldPrefix  = "field:"
	capPrefix    = "cap:"
)

func userSubject(id string) string { return userPrefix + id }

// Enforce answers one request against the tenant's policies directly with
// casbin, without the compiled grant: the reference the compiled checks are
// tested against.
func (s *Service) Enforce(ctx context.Context, tenantID, userID, obj, act string) (bool, error) {
	b, err := s.bundle(ctx, tenantID)
	if err != nil {
		return false, err
	}
	return b.enforcer.Enforce(userSubject(userID), tenantID, obj, act)
}
