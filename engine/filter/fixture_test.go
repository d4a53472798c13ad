package filter_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // today() depends on the tenant's zone; do not depend on the host's zoneinfo

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/tessera-crm/tessera/engine/filter"
	"github.com/tessera-crm/tessera/internal/database"
	"github.com/tessera-crm/tessera/internal/sqldialect"
	"github.com/tessera-crm/tessera/internal/testutil"
	"github.com/tessera-crm/tessera/metadata"
)

// fixtureNow is 2025-03-11 04:00 in the fixture tenant's zone (Asia/Shanghai)
// but still 2025-03-10 in UTC, so today() tests catch a wrong zone.
var fixtureNow = time.Date(2025, 3, 10, 20, 0, 0, 0, time.UTC)

// fixture is a tenant with an account and an opportunity object, and a few
// rows of each, labelled for readable assertions.
type fixture struct {
	db   *database.DB
	snap *metadata.Snapshot
	env  filter.Env
	ids  map[string]string // label → id
	// labels maps ids back to labels.
	labels map[string]string
}

func option(name string, active bool) metadata.Option {
	return metadata.Option{APIName: name, Active: active}
}

func newField(api, typ string) *metadata.Field {
	return &metadata.Field{APIName: api, Type: typ, Labels: metadata.Labels{"en": api}}
}

func accountObject() *metadata.Object {
	tier := newField("tier", metadata.TypePicklist)
	tier.Options = []metadata.Option{option("gold", true), option("silver", true), option("bronze", true)}
	parent := newField("parent_id", metadata.TypeLookup)
	parent.Target = "account"
	return &metadata.Object{APIName: "account", Labels: metadata.Labels{"en": "Account"}, Fields: []*metadata.Field{
		tier, newField("is_vip", metadata.TypeBoolean), parent,
	}}
}

func opportunityObject() *metadata.Object {
	quantity := newField("quantity", metadata.TypeInteger)
	maxQty := decimal.NewFromInt(1000)
	quantity.Max = &maxQty
	stage := newField("stage", metadata.TypePicklist)
	stage.Options = []metadata.Option{option("prospect", true), option("won", true), option("lost", true), option("legacy", false)}
	tags := newField("tags", metadata.TypeMultiPicklist)
	tags.Options = []metadata.Option{option("hot", true), option("cold", true), option("vip", true)}
	account := newField("account_id", metadata.TypeLookup)
	account.Target = "account"
	return &metadata.Object{APIName: "opportunity", Labels: metadata.Labels{"en": "Opportunity"}, Fields: []*metadata.Field{
		newField("amount", metadata.TypeCurrency),
		newField("probability", metadata.TypePercent),
		quantity,
		newField("close_date", metadata.TypeDate),
		newField("closed_at", metadata.TypeDatetime),
		stage,
		tags,
		newField("is_active", metadata.TypeBoolean),
		account,
		newField("email", metadata.TypeEmail),
		newField("notes", metadata.TypeLongText),
		newField("code", metadata.TypeAutoNumber),
		newField("legacy", metadata.TypeText),
	}}
}

// newFixture creates the tenant, its objects (with opportunity.legacy
// deactivated) and the rows the match tests expect.
func newFixture(t testing.TB, db *database.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	key := "t" + testutil.RandomSuffix()
	tid := testutil.NewTenantRow(t, db, key)
	svc := metadata.NewService(db, nil)
	if _, err := svc.CreateObjects(ctx, tid, []*metadata.Object{accountObject(), opportunityObject()}); err != nil {
		t.Fatalf("create objects: %v", err)
	}
	snap, err := svc.UpdateField(ctx, tid, "opportunity", "legacy", map[string]json.RawMessage{"active": json.RawMessage("false")})
	if err != nil {
		t.Fatalf("deactivate legacy: %v", err)
	}
	fx := &fixture{db: db, snap: snap, ids: map[string]string{}, labels: map[string]string{}}
	fx.env = filter.Env{
		Snapshot: snap,
		Object:   snap.Object("opportunity"),
		DDL:      metadata.DDL{D: db.Dialect, Key: key},
		Alias:    "t",
		Now:      fixtureNow,
	}
	fx.insertRows(t)
	return fx
}

func (fx *fixture) insertRows(t testing.TB) {
	fx.insert(t, "account", "accA", map[string]any{"name": "Alpha", "tier": "gold", "is_vip": true})
	fx.insert(t, "account", "accB", map[string]any{"name": "Bravo", "tier": "silver", "is_vip": false})
	fx.insert(t, "account", "accC", map[string]any{"name": "Charlie", "parent_id": fx.ids["accA"]})
	fx.insert(t, "account", "accD", map[string]any{"name": "Deleted", "tier": "gold", "is_vip": true,
		"deleted_at": time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)})

	fx.insert(t, "opportunity", "o1", map[string]any{
		"name": "Acme 100% deal", "amount": dec("100.50"), "probability": dec("50"), "quantity": int64(5),
		"close_date": "2025-01-31", "closed_at": instant("2025-01-31T08:00:00Z"), "stage": "prospect",
		"tags": []string{"hot", "vip"}, "is_active": true, "account_id": fx.ids["accA"],
		"email": "sales@acme.com", "notes": `path C:\temp\x`, "code": "OPP-0001", "legacy": "old",
	})
	fx.insert(t, "opportunity", "o2", map[string]any{
		"name": "Beta_deal", "amount": dec("20.00"), "probability": dec("90.5"), "quantity": int64(10),
		"close_date": "2025-03-11", "closed_at": instant("2025-03-10T16:30:00Z"), "stage": "won",
		"tags": []string{"cold"}, "is_active": false, "account_id": fx.ids["accB"],
		"email": "buyer@beta.io", "notes": "plain", "code": "OPP-0002",
	})
	fx.insert(t, "opportunity", "o3", map[string]any{"name": "gamma"})
	fx.insert(t, "opportunity", "o4", map[string]any{
		"name": "Delta", "amount": dec("1000.00"), "quantity": int64(200),
		"close_date": "2024-12-31", "closed_at": instant("2024-12-31T23:59:59Z"), "stage": "legacy",
		"tags": []string{"vip"}, "is_active": true, "account_id": fx.ids["accC"],
		"email": "x@delta.com", "notes": "50% off", "code": "OPP-0003",
	})
	fx.insert(t, "opportunity", "o5", map[string]any{
		"name": "Echo", "amount": dec("-5.25"), "quantity": int64(0),
		"close_date": "2025-03-12", "closed_at": instant("2025-03-11T00:00:00Z"), "stage": "lost",
		"tags": []string{}, "is_active": false, "account_id": fx.ids["accD"],
	})
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func instant(s string) time.Time {
	ts, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return ts
}

// insert writes one row with raw SQL, binding field values the way the
// record service does (field.Bind), and remembers its id under label.
func (fx *fixture) insert(t testing.TB, object, label string, values map[string]any) {
	t.Helper()
	d := fx.db.Dialect
	obj := fx.snap.Object(object)
	id := uuid.Must(uuid.NewV7()).String()
	created := metadata.BindValue(d.Name(), sqldialect.KindDatetime, 0, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	cols := []string{"id", "created_at", "updated_at"}
	args := []any{id, created, created}
	names := make([]string, 0, len(values))
	for name := range values {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		cols = append(cols, d.Quote(name))
		if name == "deleted_at" {
			args = append(args, metadata.BindValue(d.Name(), sqldialect.KindDatetime, 0, values[name]))
			continue
		}
		f := obj.Field(name)
		if f == nil {
			t.Fatalf("insert %s: no field %s", object, name)
		}
		args = append(args, f.Bind(d.Name(), values[name]))
	}
	q := fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)", fx.env.DDL.Table(object), strings.Join(cols, ", "),
		strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", "))
	if err := fx.db.Conn(context.Background()).Exec(q, args...).Error; err != nil {
		t.Fatalf("insert %s %s: %v", object, label, err)
	}
	fx.ids[label] = id
	fx.labels[id] = label
}

// expand replaces {{label}} with the row's id.
func (fx *fixture) expand(src string) string {
	for label, id := range fx.ids {
		src = strings.ReplaceAll(src, "{{"+label+"}}", id)
	}
	return src
}

// query runs the predicate against the opportunity table and returns the
// labels of the matching rows, sorted.
func (fx *fixture) query(ctx context.Context, p *filter.Predicate) ([]string, error) {
	q := "SELECT t.id FROM " + fx.env.DDL.Table("opportunity") + " AS t WHERE " + p.SQL
	var ids []string
	if err := fx.db.Conn(ctx).Raw(q, p.Args...).Scan(&ids).Error; err != nil {
		return nil, fmt.Errorf("%s %v: %w", q, p.Args, err)
	}
	labels := make([]string, 0, len(ids))
	for _, id := range ids {
		labels = append(labels, fx.labels[id])
	}
	sort.Strings(labels)
	return labels, nil
}
