package expression

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tessera-crm/tessera/metadata"
)

func ptr[T any](v T) *T { return &v }

// fixture is a small sales app: opportunities on accounts.
func fixture() *metadata.Snapshot {
	account := &metadata.Object{APIName: "account", NameField: "name", Fields: []*metadata.Field{
		{APIName: "name", Type: metadata.TypeText, Active: true, Labels: metadata.Labels{"en": "Name"}},
		{APIName: "tier", Type: metadata.TypePicklist, Active: true, Options: []metadata.Option{{APIName: "A", Active: true}, {APIName: "B", Active: true}}},
		{APIName: "annual_revenue", Type: metadata.TypeCurrency, Active: true, Scale: ptr(2)},
		{APIName: "tax_id", Type: metadata.TypeText, Active: true, Encrypted: true},
	}}
	opp := &metadata.Object{APIName: "opportunity", NameField: "name", Fields: []*metadata.Field{
		{APIName: "name", Type: metadata.TypeText, Active: true},
		{APIName: "amount", Type: metadata.TypeCurrency, Active: true, Scale: ptr(2)},
		{APIName: "quantity", Type: metadata.TypeInteger, Active: true},
		{APIName: "discount", Type: metadata.TypePercent, Active: true},
		{APIName: "stage", Type: metadata.TypePicklist, Active: true, Pipeline: &metadata.Pipeline{}, Options: []metadata.Option{
			{APIName: "qualify", Labels: metadata.Labels{"en": "Qualify", "zh-CN": "资格确认"}, Active: true, Probability: ptr(10)},
			{APIName: "negotiation", Labels: metadata.Labels{"en": "Negotiation", "zh-CN": "谈判"}, Active: true, Probability: ptr(60)},
			{APIName: "closed_won", Labels: metadata.Labels{"en": "Closed won", "zh-CN": "赢单"}, Active: true, Probability: ptr(100)},
		}},
		{APIName: "close_date", Type: metadata.TypeDate, Active: true},
		{APIName: "last_contacted_at", Type: metadata.TypeDatetime, Active: true},
		{APIName: "industries", Type: metadata.TypeMultiPicklist, Active: true, Options: []metadata.Option{{APIName: "finance", Active: true}, {APIName: "retail", Active: true}}},
		{APIName: "is_key", Type: metadata.TypeBoolean, Active: true},
		{APIName: "account_id", Type: metadata.TypeLookup, Target: "account", Active: true},
		{APIName: "old_code", Type: metadata.TypeText, Active: false},
	}}
	return metadata.NewSnapshot(metadata.Tenant{ID: "t1", Key: "acme", TimeZone: "Asia/Shanghai", Locale: "zh-CN", Currency: "CNY"}, 1, []*metadata.Object{account, opp})
}

func env(snap *metadata.Snapshot, result Type) Env {
	return Env{Snapshot: snap, Object: snap.Object("opportunity"), Prior: true, Result: result}
}

func compileOK(t *testing.T, src string, e Env) *Program {
	t.Helper()
	p, err := Compile(src, e)
	if err != nil {
		t.Fatalf("compile %q: %v", src, err)
	}
	return p
}

// sampleInput is one opportunity, as the API returns it, with its account.
func sampleInput() *Input {
	return &Input{
		Record: map[string]any{
			"id": "0190-opp", "name": "Big deal", "amount": "120000.00", "quantity": int64(12), "discount": "15",
			"stage": "negotiation", "close_date": "2026-11-20", "last_contacted_at": "2026-11-01T02:00:00Z",
			"industries": []string{"finance"}, "is_key": true, "account_id": "0190-acc",
		},
		Related: map[string]map[string]any{"account_id": {"name": "Acme", "tier": "A", "annual_revenue": "5000000.00"}},
		User:    User{ID: "u1", Name: "张伟", Role: "sales_rep", Team: "east", Manager: "u0"},
		Now:     time.Date(2026, 11, 24, 20, 30, 0, 0, time.UTC), // 25 Nov in Shanghai
	}
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// fixtureWithExampleFields adds the fields the library's examples name.
func fixtureWithExampleFields() *metadata.Snapshot {
	snap := fixture()
	objs := snap.Objects
	opp := objs[1].Clone()
	add := func(typ string, names ...string) {
		for _, n := range names {
			opp.Fields = append(opp.Fields, &metadata.Field{APIName: n, Type: typ, Active: true})
		}
	}
	add(metadata.TypeText, "phone", "code", "country_code", "email", "tags_text", "external_score", "description")
	add(metadata.TypeDate, "start_date", "end_date", "birthdate", "last_activity_date")
	add(metadata.TypeCurrency, "expected_revenue", "variance", "discount_amount")
	add(metadata.TypePicklist, "tier")
	return metadata.NewSnapshot(snap.Tenant, 2, []*metadata.Object{objs[0], opp})
}
