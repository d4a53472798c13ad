package app_test

import (
	"encoding/csv"
	"net/url"
	"strings"
	"testing"

	"github.com/tessera-crm/tessera/internal/testutil/testserver"
)

func TestLayoutsAndListViews_AreMetadata(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		tok := s.NewTenant(t, "acme", "sales")
		layout := map[string]any{"api_name": "sales_layout", "label": "Sales", "default": true,
			"sections": []any{
				map[string]any{"labels": map[string]any{"en": "Main"}, "columns": 2, "fields": []any{
					map[string]any{"field": "name", "required": true}, map[string]any{"field": "industry"}, map[string]any{"field": "tier", "read_only": true}}},
			},
			"related_lists": []any{map[string]any{"object": "contact", "field": "account_id", "columns": []any{"name", "email"}}},
		}
		got := s.Do(t, "POST", "/api/v1/meta/objects/account/layouts", tok, layout).Expect(t, 201).JSON(t)
		if got["default"] != true || len(got["related_lists"].([]any)) != 1 {
			t.Fatalf("layout: %v", got)
		}
		s.Do(t, "POST", "/api/v1/meta/objects/account/layouts", tok, layout).Expect(t, 409)
		bad := map[string]any{"api_name": "bad", "label": "Bad", "sections": []any{map[string]any{"columns": 3, "fields": []any{map[string]any{"field": "ghost"}}}},
			"related_lists": []any{map[string]any{"object": "product", "field": "name"}}}
		r := s.Do(t, "POST", "/api/v1/meta/objects/account/layouts", tok, bad).Expect(t, 400)
		for _, want := range []string{"sections[0].columns", "sections[0].fields[0].field", "related_lists[0].field"} {
			if !strings.Contains(string(r.Body), want) {
				t.Errorf("layout errors do not name %s: %s", want, r.Body)
			}
		}
		view := map[string]any{"api_name": "big_deals", "label": "Big deals", "default": true, "filter": `amount > 100000`, "sort": "-amount",
			"columns": []any{map[string]any{"field": "name", "width": 240}, map[string]any{"field": "amount"}}}
		s.Do(t, "POST", "/api/v1/meta/objects/opportunity/list-views", tok, view).Expect(t, 201)
		view["filter"] = "amount >"
		s.Do(t, "PUT", "/api/v1/meta/objects/opportunity/list-views/big_deals", tok, view).Expect(t, 400)
		view["filter"] = `stage == "proposal"`
		s.Do(t, "PUT", "/api/v1/meta/objects/opportunity/list-views/big_deals", tok, view).Expect(t, 200)
		obj := s.Do(t, "GET", "/api/v1/meta/objects/opportunity", tok, nil).Expect(t, 200).JSON(t)
		views := obj["list_views"].([]any)
		if len(views) != 1 || views[0].(map[string]any)["filter"] != `stage == "proposal"` {
			t.Fatalf("list views: %v", views)
		}
		// Deleting a custom field removes it from layouts and views; deleting
		// a lookup removes the related lists that used it.
		s.Do(t, "POST", "/api/v1/meta/objects/contact/fields", tok, map[string]any{"api_name": "partner_account_id", "type": "lookup", "label": "Partner", "target": "account"}).Expect(t, 201)
		s.Do(t, "POST", "/api/v1/meta/objects/account/fields", tok, map[string]any{"api_name": "motto", "type": "text", "label": "Motto"}).Expect(t, 201)
		layout["sections"].([]any)[0].(map[string]any)["fields"] = append(layout["sections"].([]any)[0].(map[string]any)["fields"].([]any), map[string]any{"field": "motto"})
		layout["related_lists"] = append(layout["related_lists"].([]any), map[string]any{"object": "contact", "field": "partner_account_id", "columns": []any{"name"}})
		s.Do(t, "PUT", "/api/v1/meta/objects/account/layouts/sales_layout", tok, layout).Expect(t, 200)
		s.Do(t, "DELETE", "/api/v1/meta/objects/account/fields/motto", tok, nil).Expect(t, 204)
		s.Do(t, "DELETE", "/api/v1/meta/objects/contact/fields/partner_account_id", tok, nil).Expect(t, 204)
		acct := s.Do(t, "GET", "/api/v1/meta/objects/account", tok, nil).Expect(t, 200).JSON(t)
		l := acct["layouts"].([]any)[0].(map[string]any)
		if strings.Contains(toJSON(l), "motto") || strings.Contains(toJSON(l), "partner_account_id") {
			t.Fatalf("deleted fields linger in the layout: %s", toJSON(l))
		}
		s.Do(t, "DELETE", "/api/v1/meta/objects/account/layouts/sales_layout", tok, nil).Expect(t, 204)
		s.Do(t, "DELETE", "/api/v1/meta/objects/account/layouts/sales_layout", tok, nil).Expect(t, 404)
	})
}

func TestRecords_QuickSearchAggregateAndExport(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		tok := s.NewTenant(t, "acme", "sales")
		acct := create(t, s, tok, "account", map[string]any{"name": "杭州云栖数据科技有限公司"})
		create(t, s, tok, "account", map[string]any{"name": "Blue_Harbor 100%"})
		deals := []map[string]any{
			{"stage": "proposal", "amount": "1000000.10"}, {"stage": "proposal", "amount": "0.20"},
			{"stage": "negotiation", "amount": "99999999999.99"}, {"stage": "qualification"},
		}
		for i, d := range deals {
			d["name"] = "=HYPERLINK(\"x\") deal " + string(rune('A'+i))
			d["account_id"] = acct["id"]
			d["close_date"] = "2026-06-30"
			create(t, s, tok, "opportunity", d)
		}
		page := s.Do(t, "GET", "/api/v1/records/account?q="+url.QueryEscape("云栖"), tok, nil).Expect(t, 200).JSON(t)
		if len(page["data"].([]any)) != 1 {
			t.Fatalf("q=云栖: %v", page["data"])
		}
		// % and _ are literal in a quick search.
		page = s.Do(t, "GET", "/api/v1/records/account?q="+url.QueryEscape("e_harbor 100%"), tok, nil).Expect(t, 200).JSON(t)
		if len(page["data"].([]any)) != 1 {
			t.Fatalf("q with %% and _: %v", page["data"])
		}
		page = s.Do(t, "GET", "/api/v1/records/account?q="+url.QueryEscape("blue%harbor"), tok, nil).Expect(t, 200).JSON(t)
		if len(page["data"].([]any)) != 0 {
			t.Fatalf("%% matched as a wildcard: %v", page["data"])
		}
		agg := s.Do(t, "GET", "/api/v1/records/opportunity/aggregate?group_by=stage&sum=amount", tok, nil).Expect(t, 200).JSON(t)
		sums := map[string]string{}
		counts := map[string]string{}
		for _, g := range agg["data"].([]any) {
			m := g.(map[string]any)
			counts[str(m["key"])] = str(m["count"])
			if m["sum"] != nil {
				sums[str(m["key"])] = str(m["sum"])
			}
		}
		if sums["proposal"] != "1000000.30" || sums["negotiation"] != "99999999999.99" || counts["proposal"] != "2" || counts["qualification"] != "1" {
			t.Fatalf("aggregate: counts %v sums %v (sums must be exact)", counts, sums)
		}
		// Amounts in different currencies are summed per currency, never together.
		create(t, s, tok, "opportunity", map[string]any{"name": "usd deal", "account_id": acct["id"], "close_date": "2026-06-30",
			"stage": "proposal", "amount": map[string]any{"amount": "5.00", "currency": "USD"}})
		agg = s.Do(t, "GET", "/api/v1/records/opportunity/aggregate?group_by=stage&sum=amount&filter="+url.QueryEscape(`stage == "proposal"`), tok, nil).Expect(t, 200).JSON(t)
		g := agg["data"].([]any)[0].(map[string]any)
		if str(g["count"]) != "3" || g["sum"] != nil || toJSON(g["sums"]) != `[{"currency":"CNY","sum":"1000000.30"},{"currency":"USD","sum":"5.00"}]` {
			t.Fatalf("mixed currencies: %s", toJSON(g))
		}
		s.Do(t, "GET", "/api/v1/records/opportunity/aggregate?group_by=amount", tok, nil).Expect(t, 400)
		s.Do(t, "GET", "/api/v1/records/opportunity/aggregate?group_by=stage&sum=name", tok, nil).Expect(t, 400)

		r := s.Do(t, "GET", "/api/v1/records/opportunity/export?sort=name&fields=name,stage,amount&filter="+url.QueryEscape(`stage == "proposal" && currency == "CNY"`), tok, nil).Expect(t, 200)
		if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") || !strings.HasPrefix(string(r.Body), "\uFEFF") {
			t.Fatalf("export headers/BOM: %q", r.Header.Get("Content-Type"))
		}
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(r.Body), "\uFEFF"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 3 || strings.Join(rows[0], "|") != "Opportunity Name|Stage|Amount" {
			t.Fatalf("export rows (want labelled header and two deals): %v", rows)
		}
		if !strings.HasPrefix(rows[1][0], "'=") {
			t.Fatalf("a formula-looking cell was not neutralised: %q", rows[1][0])
		}
		s.Do(t, "GET", "/api/v1/records/opportunity/export?filter=nope", tok, nil).Expect(t, 400)
	})
}

func TestSavedViews_PrivateAndShared(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		admin := s.NewTenant(t, "acme", "sales")
		me := s.Do(t, "GET", "/api/v1/auth/me", admin, nil).JSON(t)
		tenantID := str(me["tenant"].(map[string]any)["id"])
		for _, email := range []string{"rep1@acme.test", "rep2@acme.test"} {
			if _, err := s.App.Identity.CreateUser(t.Context(), tenantID, identityInput(email)); err != nil {
				t.Fatal(err)
			}
		}
		rep1 := s.Login(t, "acme", "rep1@acme.test", testserver.Password)
		rep2 := s.Login(t, "acme", "rep2@acme.test", testserver.Password)
		mine := s.Do(t, "POST", "/api/v1/views/opportunity", rep1, map[string]any{"name": "My deals", "filter": `amount > 1`, "sort": "-amount",
			"columns": []any{map[string]any{"field": "name", "width": 200}}}).Expect(t, 201).JSON(t)
		s.Do(t, "POST", "/api/v1/views/opportunity", rep1, map[string]any{"name": "Team", "shared": true}).Expect(t, 403)
		s.Do(t, "POST", "/api/v1/views/opportunity", rep1, map[string]any{"name": "Bad", "filter": "amount >"}).Expect(t, 400)
		s.Do(t, "POST", "/api/v1/views/opportunity", rep1, map[string]any{"name": "Bad", "columns": []any{map[string]any{"field": "ghost"}}}).Expect(t, 400)
		shared := s.Do(t, "POST", "/api/v1/views/opportunity", admin, map[string]any{"name": "Pipeline", "shared": true}).Expect(t, 201).JSON(t)

		list := s.Do(t, "GET", "/api/v1/views/opportunity", rep2, nil).Expect(t, 200).JSON(t)["data"].([]any)
		if len(list) != 1 || list[0].(map[string]any)["id"] != shared["id"] {
			t.Fatalf("rep2 sees %v; want only the shared view", list)
		}
		path := "/api/v1/views/opportunity/" + str(mine["id"])
		s.Do(t, "PUT", path, rep2, map[string]any{"name": "stolen"}).Expect(t, 404)
		s.Do(t, "DELETE", path, rep2, nil).Expect(t, 404)
		s.Do(t, "PUT", "/api/v1/views/opportunity/"+str(shared["id"]), rep2, map[string]any{"name": "mine now"}).Expect(t, 403)
		s.Do(t, "PUT", path, rep1, map[string]any{"name": "Renamed", "sort": "name"}).Expect(t, 200)
		s.Do(t, "DELETE", path, rep1, nil).Expect(t, 204)
		s.Do(t, "GET", "/api/v1/views/ghost", rep1, nil).Expect(t, 404)
	})
}

func TestUsers_AdminManagesUsers(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		admin := s.NewTenant(t, "acme", "none")
		created := s.Do(t, "POST", "/api/v1/users", admin, map[string]any{"email": "Rep@Acme.test", "name": "Rep"}).Expect(t, 201).JSON(t)
		pw := str(created["password"])
		user := created["user"].(map[string]any)
		if user["email"] != "rep@acme.test" || user["role"] != "member" || pw == "" {
			t.Fatalf("created: %v", created)
		}
		s.Do(t, "POST", "/api/v1/users", admin, map[string]any{"email": "rep@acme.test"}).Expect(t, 409)
		s.Do(t, "POST", "/api/v1/users", admin, map[string]any{"email": "x@acme.test", "role": "owner"}).Expect(t, 400)
		rep := s.Login(t, "acme", "rep@acme.test", pw)
		// Members read the directory (to show owners), without roles.
		dir := s.Do(t, "GET", "/api/v1/users", rep, nil).Expect(t, 200).JSON(t)["data"].([]any)
		if len(dir) != 2 || dir[0].(map[string]any)["role"] != nil {
			t.Fatalf("member directory: %v", dir)
		}
		s.Do(t, "POST", "/api/v1/users", rep, map[string]any{"email": "x@acme.test"}).Expect(t, 403)
		// The user changes their own language.
		me := s.Do(t, "PATCH", "/api/v1/auth/me", rep, map[string]any{"locale": "zh-CN", "time_zone": "Europe/Berlin"}).Expect(t, 200).JSON(t)
		if me["user"].(map[string]any)["locale"] != "zh-CN" || me["user"].(map[string]any)["time_zone"] != "Europe/Berlin" {
			t.Fatalf("me: %v", me)
		}
		s.Do(t, "PATCH", "/api/v1/auth/me", rep, map[string]any{"locale": "fr"}).Expect(t, 400)
		s.Do(t, "PATCH", "/api/v1/auth/me", rep, map[string]any{"role": "admin"}).Expect(t, 400)
		// Reset password: old sessions end, the new password works.
		id := str(user["id"])
		reset := s.Do(t, "POST", "/api/v1/users/"+id+"/reset-password", admin, nil).Expect(t, 200).JSON(t)
		s.Do(t, "GET", "/api/v1/auth/me", rep, nil).Expect(t, 401)
		rep = s.Login(t, "acme", "rep@acme.test", str(reset["password"]))
		// Deactivation ends sessions and blocks login.
		s.Do(t, "PATCH", "/api/v1/users/"+id, admin, map[string]any{"status": "inactive"}).Expect(t, 200)
		s.Do(t, "GET", "/api/v1/auth/me", rep, nil).Expect(t, 401)
		s.Do(t, "POST", "/api/v1/auth/login", "", map[string]any{"tenant": "acme", "email": "rep@acme.test", "password": str(reset["password"])}).Expect(t, 401)
		// The last admin cannot demote or deactivate themselves.
		users := s.Do(t, "GET", "/api/v1/users", admin, nil).Expect(t, 200).JSON(t)["data"].([]any)
		var adminID string
		for _, u := range users {
			if u.(map[string]any)["role"] == "admin" {
				adminID = str(u.(map[string]any)["id"])
			}
		}
		s.Do(t, "PATCH", "/api/v1/users/"+adminID, admin, map[string]any{"role": "member"}).Expect(t, 409)
		s.Do(t, "PATCH", "/api/v1/users/not-a-uuid", admin, map[string]any{"name": "x"}).Expect(t, 404)
		s.Do(t, "POST", "/api/v1/users/not-a-uuid/reset-password", admin, nil).Expect(t, 404)
	})
}

func TestTenantSettings_NameAndLogo(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		admin := s.NewTenant(t, "acme", "none")
		logo := "data:image/png;base64,iVBORw0KGgo="
		got := s.Do(t, "PATCH", "/api/v1/tenant", admin, map[string]any{"name": "Acme 中国", "logo_url": logo}).Expect(t, 200).JSON(t)
		if got["name"] != "Acme 中国" || got["logo_url"] != logo {
			t.Fatalf("settings: %v", got)
		}
		me := s.Do(t, "GET", "/api/v1/auth/me", admin, nil).Expect(t, 200).JSON(t)["tenant"].(map[string]any)
		if me["name"] != "Acme 中国" || me["logo_url"] != logo {
			t.Fatalf("me does not show the new settings: %v", me)
		}
		for _, bad := range []map[string]any{{"logo_url": "javascript:alert(1)"}, {"logo_url": "http://x.test/a.png"}, {"logo_url": "data:text/html;base64,PGI+"}, {"name": ""}, {"time_zone": "Nowhere"}} {
			s.Do(t, "PATCH", "/api/v1/tenant", admin, bad).Expect(t, 400)
		}
		if _, err := s.App.Identity.CreateUser(t.Context(), str(me["id"]), identityInput("rep@acme.test")); err != nil {
			t.Fatal(err)
		}
		rep := s.Login(t, "acme", "rep@acme.test", testserver.Password)
		s.Do(t, "GET", "/api/v1/tenant", rep, nil).Expect(t, 200)
		s.Do(t, "PATCH", "/api/v1/tenant", rep, map[string]any{"name": "pwned"}).Expect(t, 403)
	})
}
