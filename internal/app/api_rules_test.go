package app_test

import (
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/tessera-crm/tessera/internal/testutil/testserver"
)

// dealTenant defines accounts with a tier and deals on them, without the
// sales template, so that every rule in a test is the test's own.
func dealTenant(t *testing.T, s *testserver.Server, key string) string {
	t.Helper()
	tok := s.NewTenant(t, key, "none")
	s.Do(t, "POST", "/api/v1/meta/objects", tok, map[string]any{"api_name": "client", "label": "Client", "fields": []any{
		map[string]any{"api_name": "tier", "type": "picklist", "label": "Tier", "options": []any{
			map[string]any{"api_name": "A", "labels": map[string]any{"en": "A"}}, map[string]any{"api_name": "B", "labels": map[string]any{"en": "B"}}}},
	}}).Expect(t, 201)
	s.Do(t, "POST", "/api/v1/meta/objects", tok, map[string]any{"api_name": "deal", "label": "Deal", "fields": []any{
		map[string]any{"api_name": "amount", "type": "currency", "label": "Amount"},
		map[string]any{"api_name": "discount", "type": "percent", "label": "Discount"},
		map[string]any{"api_name": "is_key", "type": "boolean", "label": "Key deal"},
		map[string]any{"api_name": "close_date", "type": "date", "label": "Close date"},
		map[string]any{"api_name": "client_id", "type": "lookup", "target": "client", "label": "Client"},
	}}).Expect(t, 201)
	return tok
}

func firstError(t *testing.T, body map[string]any) map[string]any {
	t.Helper()
	errs, _ := body["errors"].([]any)
	if len(errs) == 0 {
		t.Fatalf("no errors in %v", body)
	}
	return errs[0].(map[string]any)
}

func TestRules_ValidationRulesRefuseSavesWithTheirMessage(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		tok := dealTenant(t, s, "acme")
		rule := map[string]any{"api_name": "discount_limit", "labels": map[string]any{"en": "Discount limit"},
			"condition": "discount > 20 && !is_kye", "field": "discount", "active": true,
			"message": map[string]any{"en": "Discounts above 20% need a key deal", "zh-CN": "超过 20% 的折扣仅限重点交易"}}
		bad := s.Do(t, "POST", "/api/v1/meta/objects/deal/validation-rules", tok, rule).Expect(t, 400).JSON(t)
		fe := firstError(t, bad)
		if fe["field"] != "condition" || fe["code"] != "invalid_expression" || fe["suggestion"] != "is_key" || str(fe["position"]) != "18" {
			t.Fatalf("typo in a condition: %v", fe)
		}
		rule["condition"] = "discount > 20 && !is_key"
		obj := s.Do(t, "POST", "/api/v1/meta/objects/deal/validation-rules", tok, rule).Expect(t, 201).JSON(t)
		if len(obj["validation_rules"].([]any)) != 1 {
			t.Fatalf("object after create: %v", obj["validation_rules"])
		}
		s.Do(t, "POST", "/api/v1/meta/objects/deal/validation-rules", tok, map[string]any{"api_name": "no_drop", "labels": map[string]any{"en": "No drop"},
			"condition": `is_changed("amount") && amount < prior.amount`, "active": true, "message": map[string]any{"en": "The amount cannot go down"}}).Expect(t, 201)

		refused := s.Do(t, "POST", "/api/v1/records/deal", tok, map[string]any{"name": "d1", "amount": "1000", "discount": "25"}).Expect(t, 400).JSON(t)
		fe = firstError(t, refused)
		if refused["code"] != "validation_rule" || fe["field"] != "discount" || fe["rule"] != "discount_limit" || fe["message"] != "Discounts above 20% need a key deal" {
			t.Fatalf("refused create: %v", refused)
		}
		if n := len(s.Do(t, "GET", "/api/v1/records/deal", tok, nil).Expect(t, 200).JSON(t)["data"].([]any)); n != 0 {
			t.Fatalf("a refused create wrote %d records", n)
		}
		d := create(t, s, tok, "deal", map[string]any{"name": "d1", "amount": "1000", "discount": "25", "is_key": true})
		id := str(d["id"])
		refused = s.Do(t, "PATCH", "/api/v1/records/deal/"+id, tok, map[string]any{"amount": "900"}).Expect(t, 400).JSON(t)
		if fe := firstError(t, refused); fe["rule"] != "no_drop" || fe["field"] != "" {
			t.Fatalf("update lowering the amount: %v", refused)
		}
		s.Do(t, "PATCH", "/api/v1/records/deal/"+id, tok, map[string]any{"amount": "1100"}).Expect(t, 200)
		// A change to another field leaves the amount unchanged: no_drop
		// does not fire, but discount_limit still judges the whole record.
		s.Do(t, "PATCH", "/api/v1/records/deal/"+id, tok, map[string]any{"is_key": false}).Expect(t, 400)
		got := s.Do(t, "GET", "/api/v1/records/deal/"+id, tok, nil).Expect(t, 200).JSON(t)
		if got["amount"] != "1100.00" || got["is_key"] != true || jsonNum(got["version"]) != 2 {
			t.Fatalf("after refused updates: %v", got)
		}
		// An inactive rule decides nothing; a deleted one neither.
		rule["active"] = false
		s.Do(t, "PUT", "/api/v1/meta/objects/deal/validation-rules/discount_limit", tok, rule).Expect(t, 200)
		s.Do(t, "PATCH", "/api/v1/records/deal/"+id, tok, map[string]any{"is_key": false}).Expect(t, 200)
		s.Do(t, "DELETE", "/api/v1/meta/objects/deal/validation-rules/no_drop", tok, nil).Expect(t, 204)
		s.Do(t, "PATCH", "/api/v1/records/deal/"+id, tok, map[string]any{"amount": "10"}).Expect(t, 200)
		// Bad definitions name their field.
		for _, tc := range []struct {
			body  map[string]any
			field string
		}{
			{map[string]any{"api_name": "x", "labels": map[string]any{"en": "X"}, "condition": "amount > 1", "message": map[string]any{"en": "m"}, "field": "nope"}, "field"},
			{map[string]any{"api_name": "x", "labels": map[string]any{"en": "X"}, "condition": "amount > 1"}, "message"},
			{map[string]any{"api_name": "x", "labels": map[string]any{"en": "X"}, "condition": "amount * 2", "message": map[string]any{"en": "m"}}, "condition"},
			{map[string]any{"api_name": "Bad Name", "labels": map[string]any{"en": "X"}, "condition": "true", "message": map[string]any{"en": "m"}}, "api_name"},
		} {
			if f, _ := s.Do(t, "POST", "/api/v1/meta/objects/deal/validation-rules", tok, tc.body).Expect(t, 400).Problem(t); f != tc.field {
				t.Errorf("%v: error on %q, want %q", tc.body, f, tc.field)
			}
		}
	})
}

func TestRules_FormulaFieldsAndDefaultFormulas(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		tok := dealTenant(t, s, "acme")
		typo := s.Do(t, "POST", "/api/v1/meta/objects/deal/fields", tok, map[string]any{"api_name": "net", "type": "currency", "label": "Net",
			"formula": "amout * (1 - discount / 100)", "formula_stored": true}).Expect(t, 400).JSON(t)
		if fe := firstError(t, typo); fe["field"] != "formula" || fe["suggestion"] != "amount" {
			t.Fatalf("typo in a formula: %v", typo)
		}
		s.Do(t, "POST", "/api/v1/meta/objects/deal/fields", tok, map[string]any{"api_name": "net", "type": "currency", "label": "Net",
			"formula": "amount * (1 - coalesce(discount, 0) / 100)", "formula_stored": true}).Expect(t, 201)
		s.Do(t, "POST", "/api/v1/meta/objects/deal/fields", tok, map[string]any{"api_name": "client_tier", "type": "text", "label": "Client tier",
			"formula": `concat("Tier ", client_id.tier)`}).Expect(t, 201)
		s.Do(t, "POST", "/api/v1/meta/objects/deal/fields", tok, map[string]any{"api_name": "follow_up", "type": "date", "label": "Follow up",
			"default_formula": "add_days(coalesce(close_date, $today), 7)"}).Expect(t, 201)
		// A formula that reads itself through another is refused.
		s.Do(t, "POST", "/api/v1/meta/objects/deal/fields", tok, map[string]any{"api_name": "gross", "type": "currency", "label": "Gross", "formula": "net * 2"}).Expect(t, 201)
		loop := s.Do(t, "PATCH", "/api/v1/meta/objects/deal/fields/net", tok, map[string]any{"formula": "gross / 2"}).Expect(t, 400).JSON(t)
		if fe := firstError(t, loop); fe["field"] != "formula" || !strings.Contains(str(fe["message"]), "reads itself") {
			t.Fatalf("formula cycle: %v", loop)
		}

		client := create(t, s, tok, "client", map[string]any{"name": "Acme", "tier": "A"})
		d := create(t, s, tok, "deal", map[string]any{"name": "d1", "amount": "1000", "discount": "15", "close_date": "2026-12-01", "client_id": client["id"]})
		if d["net"] != "850.00" || d["gross"] != "1700.00" || d["client_tier"] != "Tier A" || d["follow_up"] != "2026-12-08" {
			t.Fatalf("computed on create: net=%v gross=%v tier=%v follow_up=%v", d["net"], d["gross"], d["client_tier"], d["follow_up"])
		}
		id := str(d["id"])
		s.Do(t, "PATCH", "/api/v1/records/deal/"+id, tok, map[string]any{"discount": "20"}).Expect(t, 200)
		s.Do(t, "PATCH", "/api/v1/records/client/"+str(client["id"]), tok, map[string]any{"tier": "B"}).Expect(t, 200)
		got := s.Do(t, "GET", "/api/v1/records/deal/"+id, tok, nil).Expect(t, 200).JSON(t)
		if got["net"] != "800.00" || got["client_tier"] != "Tier B" || got["follow_up"] != "2026-12-08" {
			t.Fatalf("after changes: net=%v tier=%v follow_up=%v", got["net"], got["client_tier"], got["follow_up"])
		}
		list := s.Do(t, "GET", "/api/v1/records/deal?filter="+url.QueryEscape("net > 700"), tok, nil).Expect(t, 200).JSON(t)["data"].([]any)
		if len(list) != 1 || list[0].(map[string]any)["client_tier"] != "Tier B" {
			t.Fatalf("list filtered on a stored formula: %v", list)
		}
		if f, _ := s.Do(t, "GET", "/api/v1/records/deal?filter="+url.QueryEscape(`client_tier == "Tier B"`), tok, nil).Expect(t, 400).Problem(t); f != "filter" {
			t.Fatalf("filter on a formula computed on read: %q", f)
		}
		if f, code := s.Do(t, "PATCH", "/api/v1/records/deal/"+id, tok, map[string]any{"net": "1"}).Expect(t, 400).Problem(t); f != "net" || code != "read_only" {
			t.Fatalf("writing a formula: %s %s", f, code)
		}
		// Deleting a field a formula reads would break it: refused, named.
		broken := s.Do(t, "DELETE", "/api/v1/meta/objects/deal/fields/discount", tok, nil).Expect(t, 409).JSON(t)
		if !strings.Contains(str(broken["detail"]), "fields.net.formula") {
			t.Fatalf("deleting a formula's input: %v", broken)
		}
		// So would a change on the looked-up object.
		s.Do(t, "DELETE", "/api/v1/meta/objects/client/fields/tier", tok, nil).Expect(t, 409)
	})
}

func TestExpressions_VocabularyCheckAndDryRun(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		tok := dealTenant(t, s, "acme")
		other := dealTenant(t, s, "globex")
		voc := s.Do(t, "GET", "/api/v1/meta/objects/deal/expressions/vocabulary?prior=true", tok, nil).Expect(t, 200).JSON(t)
		names := map[string]string{}
		for _, n := range voc["names"].([]any) {
			m := n.(map[string]any)
			names[str(m["name"])] = str(m["type"])
		}
		for name, typ := range map[string]string{"amount": "number", "client_id.tier": "text", "prior.amount": "number", "$user.role": "text", "$today": "date", "close_date": "date"} {
			if names[name] != typ {
				t.Errorf("vocabulary %s: %q, want %q", name, names[name], typ)
			}
		}
		if len(voc["functions"].([]any)) < 40 {
			t.Fatalf("functions: %d", len(voc["functions"].([]any)))
		}
		ok := s.Do(t, "POST", "/api/v1/meta/objects/deal/expressions/check", tok, map[string]any{"expression": "amount > 100 && client_id.tier == \"A\"", "result_type": "boolean"}).Expect(t, 200).JSON(t)
		if ok["valid"] != true || ok["result_type"] != "boolean" || str(ok["related"]) != "map[client_id:[tier]]" || str(ok["fields"]) != "[amount client_id]" {
			t.Fatalf("check valid: %v", ok)
		}
		bad := s.Do(t, "POST", "/api/v1/meta/objects/deal/expressions/check", tok, map[string]any{"expression": "名称 == 1 || amout > 1"}).Expect(t, 200).JSON(t)
		if bad["valid"] != false {
			t.Fatalf("check invalid: %v", bad)
		}
		e := bad["errors"].([]any)[0].(map[string]any)
		// 名称 is two characters of three bytes each: offsets are in bytes.
		if str(e["position"]) != "0" || str(e["end"]) != "6" {
			t.Fatalf("unknown name error: %v", e)
		}
		s.Do(t, "POST", "/api/v1/meta/objects/deal/expressions/check", tok, map[string]any{"result_type": "boolean"}).Expect(t, 400)
		s.Do(t, "POST", "/api/v1/meta/objects/deal/expressions/check", tok, map[string]any{"expression": "1", "result_type": "money"}).Expect(t, 400)
		s.Do(t, "POST", "/api/v1/meta/objects/nope/expressions/check", tok, map[string]any{"expression": "1"}).Expect(t, 404)

		client := create(t, s, tok, "client", map[string]any{"name": "Acme", "tier": "A"})
		d := create(t, s, tok, "deal", map[string]any{"name": "d1", "amount": "1000", "client_id": client["id"]})
		run := s.Do(t, "POST", "/api/v1/meta/objects/deal/expressions/evaluate", tok, map[string]any{"expression": `concat(client_id.tier, ":", amount * 1.1)`, "record_id": d["id"]}).Expect(t, 200).JSON(t)
		if run["value"] != "A:1100" {
			t.Fatalf("dry run: %v", run)
		}
		run = s.Do(t, "POST", "/api/v1/meta/objects/deal/expressions/evaluate", tok, map[string]any{"expression": `amount / 0`, "record_id": d["id"]}).Expect(t, 200).JSON(t)
		if run["error"] != "division by zero" {
			t.Fatalf("dry run error: %v", run)
		}
		// Another tenant's record is not found, as any record one cannot read.
		s.Do(t, "POST", "/api/v1/meta/objects/deal/expressions/evaluate", other, map[string]any{"expression": `amount`, "record_id": d["id"]}).Expect(t, 404)
	})
}

func TestRules_RollupsStayExact(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		tok := dealTenant(t, s, "acme")
		c1 := create(t, s, tok, "client", map[string]any{"name": "Acme", "tier": "A"})
		c2 := create(t, s, tok, "client", map[string]any{"name": "Globex", "tier": "B"})
		create(t, s, tok, "deal", map[string]any{"name": "old", "amount": "100.10", "client_id": c1["id"], "close_date": "2026-01-05"})
		// Added to a client that already has a deal: filled at once.
		for _, f := range []map[string]any{
			{"api_name": "deal_count", "type": "integer", "label": "Deals", "rollup": map[string]any{"object": "deal", "via": "client_id", "op": "count"}},
			{"api_name": "key_total", "type": "currency", "label": "Key total", "rollup": map[string]any{"object": "deal", "via": "client_id", "op": "sum", "field": "amount", "filter": "is_key == true"}},
			{"api_name": "total", "type": "currency", "label": "Total", "rollup": map[string]any{"object": "deal", "via": "client_id", "op": "sum", "field": "amount"}},
			{"api_name": "biggest", "type": "currency", "label": "Biggest", "rollup": map[string]any{"object": "deal", "via": "client_id", "op": "max", "field": "amount"}},
			{"api_name": "first_close", "type": "date", "label": "First close", "rollup": map[string]any{"object": "deal", "via": "client_id", "op": "min", "field": "close_date"}},
		} {
			s.Do(t, "POST", "/api/v1/meta/objects/client/fields", tok, f).Expect(t, 201)
		}
		got := s.Do(t, "GET", "/api/v1/records/client/"+str(c1["id"]), tok, nil).Expect(t, 200).JSON(t)
		if jsonNum(got["deal_count"]) != 1 || got["total"] != "100.10" || got["first_close"] != "2026-01-05" {
			t.Fatalf("filled on add: %v", got)
		}
		d2 := create(t, s, tok, "deal", map[string]any{"name": "d2", "amount": "9.95", "is_key": true, "client_id": c1["id"], "close_date": "2025-12-31"})
		create(t, s, tok, "deal", map[string]any{"name": "d3", "amount": "1000", "client_id": c1["id"]})
		got = s.Do(t, "GET", "/api/v1/records/client/"+str(c1["id"]), tok, nil).Expect(t, 200).JSON(t)
		if jsonNum(got["deal_count"]) != 3 || got["total"] != "1110.05" || got["key_total"] != "9.95" || got["biggest"] != "1000.00" || got["first_close"] != "2025-12-31" {
			t.Fatalf("after creates: %v", got)
		}
		// Moving a deal to another client updates both.
		s.Do(t, "PATCH", "/api/v1/records/deal/"+str(d2["id"]), tok, map[string]any{"client_id": c2["id"]}).Expect(t, 200)
		got = s.Do(t, "GET", "/api/v1/records/client/"+str(c1["id"]), tok, nil).Expect(t, 200).JSON(t)
		other := s.Do(t, "GET", "/api/v1/records/client/"+str(c2["id"]), tok, nil).Expect(t, 200).JSON(t)
		if jsonNum(got["deal_count"]) != 2 || got["key_total"] != "0.00" || jsonNum(other["deal_count"]) != 1 || other["key_total"] != "9.95" {
			t.Fatalf("after a move: %v / %v", got, other)
		}
		// Delete and restore follow.
		s.Do(t, "DELETE", "/api/v1/records/deal/"+str(d2["id"]), tok, nil).Expect(t, 204)
		if other = s.Do(t, "GET", "/api/v1/records/client/"+str(c2["id"]), tok, nil).Expect(t, 200).JSON(t); jsonNum(other["deal_count"]) != 0 || other["biggest"] != nil {
			t.Fatalf("after delete: %v", other)
		}
		s.Do(t, "POST", "/api/v1/records/deal/"+str(d2["id"])+"/restore", tok, nil).Expect(t, 200)
		if other = s.Do(t, "GET", "/api/v1/records/client/"+str(c2["id"]), tok, nil).Expect(t, 200).JSON(t); jsonNum(other["deal_count"]) != 1 {
			t.Fatalf("after restore: %v", other)
		}
		// Concurrent children of one parent are all counted.
		var wg sync.WaitGroup
		for i := range 12 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s.Do(t, "POST", "/api/v1/records/deal", tok, map[string]any{"name": fmt.Sprint("c", i), "amount": "1.01", "client_id": c2["id"]}).Expect(t, 201)
			}()
		}
		wg.Wait()
		if other = s.Do(t, "GET", "/api/v1/records/client/"+str(c2["id"]), tok, nil).Expect(t, 200).JSON(t); jsonNum(other["deal_count"]) != 13 || other["total"] != "22.07" {
			t.Fatalf("after concurrent creates: count %v total %v", other["deal_count"], other["total"])
		}
		// Roll-ups are computed: not writable; their inputs are protected.
		s.Do(t, "PATCH", "/api/v1/records/client/"+str(c2["id"]), tok, map[string]any{"total": "1"}).Expect(t, 400)
		s.Do(t, "DELETE", "/api/v1/meta/objects/deal/fields/client_id", tok, nil).Expect(t, 409)
		bad := s.Do(t, "POST", "/api/v1/meta/objects/client/fields", tok, map[string]any{"api_name": "x", "type": "text", "label": "X",
			"rollup": map[string]any{"object": "deal", "via": "client_id", "op": "sum", "field": "name"}}).Expect(t, 400)
		if f, _ := bad.Problem(t); f != "rollup.field" {
			t.Fatalf("bad roll-up: %s", f)
		}
		if f, _ := s.Do(t, "POST", "/api/v1/meta/objects/client/fields", tok, map[string]any{"api_name": "y", "type": "integer", "label": "Y",
			"rollup": map[string]any{"object": "deal", "via": "client_id", "op": "count", "filter": "amout > 1"}}).Expect(t, 400).Problem(t); f != "rollup.filter" {
			t.Fatalf("bad roll-up filter named %q", f)
		}
	})
}

func TestRules_LayoutVisibleIfAndRequiredIf(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		tok := dealTenant(t, s, "acme")
		layout := map[string]any{"api_name": "deal_form", "labels": map[string]any{"en": "Deal form"}, "sections": []any{
			map[string]any{"labels": map[string]any{"en": "Main"}, "columns": 1, "fields": []any{
				map[string]any{"field": "name"},
				map[string]any{"field": "amount"},
				map[string]any{"field": "discount", "visible_if": "amount > 1000", "required_if": "is_kye"},
				map[string]any{"field": "close_date", "required_if": `amount > 5000`},
				map[string]any{"field": "is_key"},
			}},
		}}
		bad := s.Do(t, "POST", "/api/v1/meta/objects/deal/layouts", tok, layout).Expect(t, 400).JSON(t)
		if fe := firstError(t, bad); fe["field"] != "sections[0].fields[2].required_if" || fe["suggestion"] != "is_key" {
			t.Fatalf("typo in required_if: %v", fe)
		}
		layout["sections"].([]any)[0].(map[string]any)["fields"].([]any)[2].(map[string]any)["required_if"] = "is_key"
		s.Do(t, "POST", "/api/v1/meta/objects/deal/layouts", tok, layout).Expect(t, 201)

		st := s.Do(t, "POST", "/api/v1/records/deal/form-state", tok, map[string]any{"layout": "deal_form", "values": map[string]any{"amount": "500"}}).Expect(t, 200).JSON(t)
		if str(st["hidden"]) != "[discount]" || str(st["required"]) != "[]" {
			t.Fatalf("form state for 500: %v", st)
		}
		st = s.Do(t, "POST", "/api/v1/records/deal/form-state", tok, map[string]any{"layout": "deal_form", "values": map[string]any{"amount": "6000", "is_key": true}}).Expect(t, 200).JSON(t)
		if str(st["hidden"]) != "[]" || str(st["required"]) != "[discount close_date]" {
			t.Fatalf("form state for a key 6000: %v", st)
		}
		// Saving through the layout enforces it; the API without it does not.
		refused := s.Do(t, "POST", "/api/v1/records/deal?layout=deal_form", tok, map[string]any{"name": "d", "amount": "6000", "is_key": true}).Expect(t, 400).JSON(t)
		errs := refused["errors"].([]any)
		if len(errs) != 2 || errs[0].(map[string]any)["field"] != "discount" || errs[1].(map[string]any)["field"] != "close_date" {
			t.Fatalf("required by the layout: %v", refused)
		}
		d := create(t, s, tok, "deal", map[string]any{"name": "d", "amount": "6000", "is_key": true})
		s.Do(t, "PATCH", "/api/v1/records/deal/"+str(d["id"])+"?layout=deal_form", tok, map[string]any{"name": "d2"}).Expect(t, 400)
		s.Do(t, "PATCH", "/api/v1/records/deal/"+str(d["id"])+"?layout=deal_form", tok, map[string]any{"close_date": "2026-12-01", "discount": "3"}).Expect(t, 200)
		st = s.Do(t, "POST", "/api/v1/records/deal/form-state", tok, map[string]any{"layout": "deal_form", "id": d["id"], "values": map[string]any{"amount": "10"}}).Expect(t, 200).JSON(t)
		if str(st["hidden"]) != "[discount]" {
			t.Fatalf("form state of a stored record with a draft: %v", st)
		}
		s.Do(t, "POST", "/api/v1/records/deal?layout=nope", tok, map[string]any{"name": "x"}).Expect(t, 400)
		s.Do(t, "POST", "/api/v1/records/deal/form-state", tok, map[string]any{"layout": "nope"}).Expect(t, 400)
	})
}

func TestRules_StoredFormulasFollowTheRecordsTheyLookUp(t *testing.T) {
	forEachDialectWith(t, testserver.Options{Jobs: true}, func(t *testing.T, s *testserver.Server) {
		tok := dealTenant(t, s, "acme")
		s.Do(t, "POST", "/api/v1/meta/objects/deal/fields", tok, map[string]any{"api_name": "client_tier", "type": "text", "label": "Client tier",
			"formula": `concat("Tier ", client_id.tier)`, "formula_stored": true}).Expect(t, 201)
		c := create(t, s, tok, "client", map[string]any{"name": "Acme", "tier": "A"})
		other := create(t, s, tok, "client", map[string]any{"name": "Globex", "tier": "A"})
		for i := range 3 {
			create(t, s, tok, "deal", map[string]any{"name": fmt.Sprint("d", i), "client_id": c["id"]})
		}
		stranger := create(t, s, tok, "deal", map[string]any{"name": "x", "client_id": other["id"]})
		s.Do(t, "PATCH", "/api/v1/records/client/"+str(c["id"]), tok, map[string]any{"tier": "B"}).Expect(t, 200)
		waitJobs(t, s)
		list := s.Do(t, "GET", "/api/v1/records/deal?filter="+url.QueryEscape(`client_tier == "Tier B"`), tok, nil).Expect(t, 200).JSON(t)["data"].([]any)
		if len(list) != 3 {
			t.Fatalf("stored formulas after the client changed: %v", list)
		}
		if got := s.Do(t, "GET", "/api/v1/records/deal/"+str(stranger["id"]), tok, nil).Expect(t, 200).JSON(t); got["client_tier"] != "Tier A" {
			t.Fatalf("another client's deal changed: %v", got["client_tier"])
		}
		// A change the formulas do not read enqueues nothing.
		s.Do(t, "PATCH", "/api/v1/records/client/"+str(c["id"]), tok, map[string]any{"name": "Acme Ltd"}).Expect(t, 200)
		var n int64
		q := `SELECT COUNT(*) FROM river_job WHERE kind = 'formula_refresh'`
		if s.App.DB.Dialect.Name() == "postgres" {
			q = `SELECT COUNT(*) FROM tessera.river_job WHERE kind = 'formula_refresh'`
		}
		if err := s.App.DB.Gorm.Raw(q).Scan(&n).Error; err != nil || n != 1 {
			t.Fatalf("refresh jobs: %d %v", n, err)
		}
	})
}
