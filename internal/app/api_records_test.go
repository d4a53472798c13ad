package app_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/tessera-crm/tessera/internal/testutil/testserver"
)

func TestRecords_CreateReadUpdateWithEveryFieldType(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		tok := projectTenant(t, s, "acme")
		client := create(t, s, tok, "client", map[string]any{"name": "Northwind", "tier": "a"})
		rec := create(t, s, tok, "project", map[string]any{
			"name": "ERP rollout", "code": "P-1", "notes": "  keep spaces  ", "seats": 42, "ratio": "1.125",
			"budget": map[string]any{"amount": "120000.5", "currency": "CNY"}, "discount": "12.5",
			"start_date": "2025-03-01", "kickoff_at": "2025-03-01T09:30:00+08:00", "email": "PM@Example.com",
			"phone": "+86 138-0000-0000", "site": "https://example.com/x", "tags": []any{"crm", "erp", "crm"},
			"client_id": client["id"],
		})
		want := map[string]any{
			"name": "ERP rollout", "notes": "  keep spaces  ", "seats": json.Number("42"), "ratio": "1.125", "budget": "120000.50",
			"discount": "12.5000", "active": true, "start_date": "2025-03-01", "kickoff_at": "2025-03-01T01:30:00Z",
			"email": "pm@example.com", "phase": "plan", "version": json.Number("1"),
		}
		for k, v := range want {
			if rec[k] != v {
				t.Errorf("%s = %#v, want %#v", k, rec[k], v)
			}
		}
		if tags := rec["tags"].([]any); len(tags) != 2 || tags[0] != "erp" || tags[1] != "crm" {
			t.Errorf("tags = %v, want [erp crm] (deduplicated, in option order)", tags)
		}
		if n := str(rec["number"]); !strings.HasPrefix(n, "PRJ-") || !strings.HasSuffix(n, "-0001") {
			t.Errorf("auto number = %q, want PRJ-<year>-0001", n)
		}
		second := create(t, s, tok, "project", map[string]any{"name": "Second"})
		if n := str(second["number"]); !strings.HasSuffix(n, "-0002") {
			t.Errorf("second auto number = %q, want ...-0002", n)
		}
		id := str(rec["id"])
		got := s.Do(t, "GET", "/api/v1/records/project/"+id, tok, nil).Expect(t, 200)
		if got.Header.Get("ETag") != `"1"` {
			t.Errorf("ETag = %q, want \"1\"", got.Header.Get("ETag"))
		}
		upd := s.Do(t, "PATCH", "/api/v1/records/project/"+id, tok, map[string]any{"seats": nil, "phase": "build"}, "If-Match", `"1"`).Expect(t, 200).JSON(t)
		if upd["seats"] != nil || upd["phase"] != "build" || upd["version"] != json.Number("2") || upd["name"] != "ERP rollout" {
			t.Errorf("after patch: %v", upd)
		}
	})
}

func TestRecords_RefuseBadValuesNamingTheField(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		tok := projectTenant(t, s, "acme")
		cases := []struct {
			body        map[string]any
			field, code string
		}{
			{map[string]any{"code": "x"}, "name", "required"},
			{map[string]any{"name": "x", "seats": "many"}, "seats", "invalid_type"},
			{map[string]any{"name": "x", "seats": 1.5}, "seats", "invalid_type"},
			{map[string]any{"name": "x", "seats": 100001}, "seats", "out_of_range"},
			{map[string]any{"name": "x", "budget": "12.345"}, "budget", "invalid_value"},
			{map[string]any{"name": "x", "budget": "1e5"}, "budget", "invalid_type"},
			{map[string]any{"name": "x", "budget": map[string]any{"amount": "1", "currency": "USD"}}, "budget", "invalid_value"},
			{map[string]any{"name": "x", "ratio": "12345678.1"}, "ratio", "out_of_range"},
			{map[string]any{"name": "x", "active": "yes"}, "active", "invalid_type"},
			{map[string]any{"name": "x", "start_date": "2025-02-30"}, "start_date", "invalid_type"},
			{map[string]any{"name": "x", "kickoff_at": "yesterday"}, "kickoff_at", "invalid_type"},
			{map[string]any{"name": "x", "email": "not-an-email"}, "email", "invalid_value"},
			{map[string]any{"name": "x", "site": "ftp://x"}, "site", "invalid_value"},
			{map[string]any{"name": "x", "phase": "dream"}, "phase", "invalid_value"},
			{map[string]any{"name": "x", "tags": "erp"}, "tags", "invalid_type"},
			{map[string]any{"name": "x", "client_id": "nope"}, "client_id", "invalid_type"},
			{map[string]any{"name": "x", "client_id": "0190a0b0-0000-7000-8000-000000000001"}, "client_id", "lookup_not_found"},
			{map[string]any{"name": "x", "number": "PRJ-1"}, "number", "read_only"},
			{map[string]any{"name": "x", "version": 3}, "version", "read_only"},
			{map[string]any{"name": "x", "colour": "red"}, "colour", "unknown_field"},
			{map[string]any{"name": strings.Repeat("长", 256)}, "name", "too_long"},
			{map[string]any{"name": "x", "code": strings.Repeat("c", 21)}, "code", "too_long"},
		}
		for _, c := range cases {
			r := s.Do(t, "POST", "/api/v1/records/project", tok, c.body)
			r.Expect(t, 400)
			field, code := r.Problem(t)
			if field != c.field || code != c.code {
				t.Errorf("%v: got %s/%s, want %s/%s (%s)", c.body, field, code, c.field, c.code, r.Body)
			}
		}
		list := s.Do(t, "GET", "/api/v1/records/project?count=true", tok, nil).Expect(t, 200).JSON(t)
		if list["total"] != json.Number("0") {
			t.Fatalf("refused writes left records behind: %v", list["total"])
		}
	})
}

func TestRecords_UniqueConflictAndStaleVersion(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		tok := projectTenant(t, s, "acme")
		a := create(t, s, tok, "project", map[string]any{"name": "A", "code": "DUP"})
		r := s.Do(t, "POST", "/api/v1/records/project", tok, map[string]any{"name": "B", "code": "DUP"}).Expect(t, 409)
		if field, code := r.Problem(t); field != "code" || code != "unique_violation" {
			t.Fatalf("duplicate: %s/%s", field, code)
		}
		id := str(a["id"])
		s.Do(t, "PATCH", "/api/v1/records/project/"+id, tok, map[string]any{"name": "A2"}, "If-Match", `"1"`).Expect(t, 200)
		r = s.Do(t, "PATCH", "/api/v1/records/project/"+id, tok, map[string]any{"name": "A3"}, "If-Match", `"1"`).Expect(t, 412)
		if _, code := r.Problem(t); code != "version_conflict" {
			t.Fatalf("stale If-Match: code %s", code)
		}
		s.Do(t, "DELETE", "/api/v1/records/project/"+id, tok, nil, "If-Match", `"1"`).Expect(t, 412)
		s.Do(t, "GET", "/api/v1/records/project/"+id, tok, nil, "If-None-Match", `"2"`).Expect(t, 304)
	})
}

func TestRecords_ConcurrentUpdatesLoseNothing(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		tok := projectTenant(t, s, "acme")
		rec := create(t, s, tok, "project", map[string]any{"name": "counter", "seats": 0})
		id := str(rec["id"])
		const workers, each = 8, 5
		var wg sync.WaitGroup
		errs := make(chan string, workers*each)
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < each; i++ {
					// Read-modify-write with If-Match, retrying on 412: the
					// optimistic-concurrency loop every client runs.
					for attempt := 0; ; attempt++ {
						cur := s.Do(t, "GET", "/api/v1/records/project/"+id, tok, nil)
						m := cur.JSON(t)
						next := jsonNum(m["seats"]) + 1
						r := s.Do(t, "PATCH", "/api/v1/records/project/"+id, tok, map[string]any{"seats": next}, "If-Match", cur.Header.Get("ETag"))
						if r.Status == 200 {
							break
						}
						if r.Status != 412 || attempt > 200 {
							errs <- fmt.Sprintf("status %d: %s", r.Status, r.Body)
							return
						}
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for e := range errs {
			t.Fatal(e)
		}
		final := s.Do(t, "GET", "/api/v1/records/project/"+id, tok, nil).Expect(t, 200).JSON(t)
		if jsonNum(final["seats"]) != workers*each || jsonNum(final["version"]) != workers*each+1 {
			t.Fatalf("seats = %v, version = %v; want %d and %d (an update was lost)", final["seats"], final["version"], workers*each, workers*each+1)
		}
	})
}

func TestRecords_IdempotencyKeyReplaysTheFirstResponse(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		tok := projectTenant(t, s, "acme")
		body := map[string]any{"name": "once"}
		first := s.Do(t, "POST", "/api/v1/records/project", tok, body, "Idempotency-Key", "k-1").Expect(t, 201)
		again := s.Do(t, "POST", "/api/v1/records/project", tok, body, "Idempotency-Key", "k-1").Expect(t, 201)
		if string(first.Body) != string(again.Body) || again.Header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("replay differs:\n%s\n%s", first.Body, again.Body)
		}
		s.Do(t, "POST", "/api/v1/records/project", tok, map[string]any{"name": "other"}, "Idempotency-Key", "k-1").Expect(t, 422)
		list := s.Do(t, "GET", "/api/v1/records/project?count=true", tok, nil).Expect(t, 200).JSON(t)
		if list["total"] != json.Number("1") {
			t.Fatalf("total = %v, want 1", list["total"])
		}
		// A request that fails is not remembered: the retry may succeed.
		s.Do(t, "POST", "/api/v1/records/project", tok, map[string]any{"seats": 1}, "Idempotency-Key", "k-2").Expect(t, 400)
		s.Do(t, "POST", "/api/v1/records/project", tok, map[string]any{"seats": 1}, "Idempotency-Key", "k-2").Expect(t, 400)
	})
}

func TestRecords_BulkIsAtomic(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		tok := projectTenant(t, s, "acme")
		existing := create(t, s, tok, "project", map[string]any{"name": "keep", "code": "K"})
		ops := []any{
			map[string]any{"op": "create", "values": map[string]any{"name": "n1"}},
			map[string]any{"op": "update", "id": existing["id"], "values": map[string]any{"name": "changed"}},
			map[string]any{"op": "create", "values": map[string]any{"name": "n2", "code": "K"}}, // unique violation
		}
		r := s.Do(t, "POST", "/api/v1/records/project/bulk", tok, map[string]any{"operations": ops}).Expect(t, 409)
		if field, _ := r.Problem(t); field != "operations[2].code" {
			t.Fatalf("error field = %q, want operations[2].code", field)
		}
		got := s.Do(t, "GET", "/api/v1/records/project/"+str(existing["id"]), tok, nil).Expect(t, 200).JSON(t)
		if got["name"] != "keep" {
			t.Fatal("a failed bulk request left the update behind")
		}
		list := s.Do(t, "GET", "/api/v1/records/project?count=true", tok, nil).JSON(t)
		if list["total"] != json.Number("1") {
			t.Fatalf("a failed bulk request left creates behind: total %v", list["total"])
		}
		ops[2] = map[string]any{"op": "delete", "id": existing["id"]}
		res := s.Do(t, "POST", "/api/v1/records/project/bulk", tok, map[string]any{"operations": ops}).Expect(t, 200).JSON(t)
		if n := len(res["results"].([]any)); n != 3 {
			t.Fatalf("results = %d", n)
		}
		many := make([]any, 201)
		for i := range many {
			many[i] = map[string]any{"op": "create", "values": map[string]any{"name": "x"}}
		}
		r = s.Do(t, "POST", "/api/v1/records/project/bulk", tok, map[string]any{"operations": many}).Expect(t, 400)
		if _, code := r.Problem(t); code != "limit_exceeded" {
			t.Fatalf("201 operations: %s", code)
		}
	})
}

func TestRecords_SoftDeleteRestorePurgeAndLookups(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		tok := s.NewTenant(t, "acme", "sales")
		acct := create(t, s, tok, "account", map[string]any{"name": "上海启明精密制造有限公司"})
		contact := create(t, s, tok, "contact", map[string]any{"name": "王芳", "account_id": acct["id"]})
		opp := create(t, s, tok, "opportunity", map[string]any{"name": "ERP 二期", "account_id": acct["id"], "close_date": "2026-06-30", "amount": "500000"})
		acctPath := "/api/v1/records/account/" + str(acct["id"])

		// opportunity.account_id is restrict: the account cannot go while the deal lives.
		r := s.Do(t, "DELETE", acctPath, tok, nil).Expect(t, 409)
		if _, code := r.Problem(t); code != "referenced" {
			t.Fatalf("restrict: %s", code)
		}
		s.Do(t, "DELETE", "/api/v1/records/opportunity/"+str(opp["id"]), tok, nil).Expect(t, 204)
		s.Do(t, "DELETE", acctPath, tok, nil).Expect(t, 204)
		// contact.account_id is cascade: the contact went to the recycle bin too.
		s.Do(t, "GET", "/api/v1/records/contact/"+str(contact["id"]), tok, nil).Expect(t, 404)
		bin := s.Do(t, "GET", "/api/v1/records/contact?deleted=true", tok, nil).Expect(t, 200).JSON(t)
		if len(bin["data"].([]any)) != 1 {
			t.Fatalf("recycle bin = %v", bin["data"])
		}
		s.Do(t, "POST", acctPath+"/restore", tok, nil).Expect(t, 200)
		s.Do(t, "GET", "/api/v1/records/contact/"+str(contact["id"]), tok, nil).Expect(t, 200)
		// Writing a lookup to a deleted record is refused.
		s.Do(t, "DELETE", "/api/v1/records/contact/"+str(contact["id"]), tok, nil).Expect(t, 204)
		r = s.Do(t, "POST", "/api/v1/records/activity", tok, map[string]any{"name": "call", "contact_id": contact["id"]}).Expect(t, 400)
		if field, code := r.Problem(t); field != "contact_id" || code != "lookup_not_found" {
			t.Fatalf("lookup to deleted: %s/%s", field, code)
		}
		// An update is checked the same way, and a stale version still says 412.
		other := create(t, s, tok, "account", map[string]any{"name": "Other"})
		cPath := "/api/v1/records/contact/"
		live := create(t, s, tok, "contact", map[string]any{"name": "李娜", "account_id": other["id"]})
		r = s.Do(t, "PATCH", cPath+str(live["id"]), tok, map[string]any{"account_id": "0190a0b0-0000-7000-8000-000000000009"}).Expect(t, 400)
		if field, code := r.Problem(t); field != "account_id" || code != "lookup_not_found" {
			t.Fatalf("update to a missing lookup: %s/%s", field, code)
		}
		s.Do(t, "PATCH", cPath+str(live["id"]), tok, map[string]any{"account_id": other["id"]}, "If-Match", `"7"`).Expect(t, 412)
		s.Do(t, "PATCH", cPath+str(live["id"]), tok, map[string]any{"account_id": other["id"]}, "If-Match", `"1"`).Expect(t, 200)
		// Purge only from the recycle bin; restrict counts deleted referrers too.
		s.Do(t, "POST", acctPath+"/purge", tok, nil).Expect(t, 404)
		s.Do(t, "DELETE", acctPath, tok, nil).Expect(t, 204)
		s.Do(t, "POST", acctPath+"/purge", tok, nil).Expect(t, 409)
		s.Do(t, "POST", "/api/v1/records/opportunity/"+str(opp["id"])+"/purge", tok, nil).Expect(t, 204)
		s.Do(t, "POST", acctPath+"/purge", tok, nil).Expect(t, 204)
		s.Do(t, "GET", "/api/v1/records/contact/"+str(contact["id"])+"?deleted=true", tok, nil).Expect(t, 404)
		s.Do(t, "POST", acctPath+"/restore", tok, nil).Expect(t, 404)
	})
}

func TestRecords_StageHistoryAndProbability(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		tok := s.NewTenant(t, "acme", "sales")
		acct := create(t, s, tok, "account", map[string]any{"name": "Northwind"})
		opp := create(t, s, tok, "opportunity", map[string]any{"name": "Deal", "account_id": acct["id"], "close_date": "2026-06-30"})
		if opp["stage"] != "qualification" || opp["probability"] != "10.0000" {
			t.Fatalf("default stage/probability: %v %v", opp["stage"], opp["probability"])
		}
		path := "/api/v1/records/opportunity/" + str(opp["id"])
		moved := s.Do(t, "PATCH", path, tok, map[string]any{"stage": "proposal"}).Expect(t, 200).JSON(t)
		if moved["probability"] != "50.0000" {
			t.Fatalf("probability after move = %v, want the stage's 50", moved["probability"])
		}
		s.Do(t, "PATCH", path, tok, map[string]any{"stage": "proposal", "probability": "55"}).Expect(t, 200)
		s.Do(t, "PATCH", path, tok, map[string]any{"stage": "closed_won"}).Expect(t, 200)
		h := s.Do(t, "GET", path+"/stage-history", tok, nil).Expect(t, 200).JSON(t)
		rows := h["data"].([]any)
		if len(rows) != 3 {
			t.Fatalf("history rows = %d: %v", len(rows), rows)
		}
		stages := []string{"qualification", "proposal", "closed_won"}
		for i, row := range rows {
			m := row.(map[string]any)
			if m["stage"] != stages[i] {
				t.Errorf("row %d stage %v, want %s", i, m["stage"], stages[i])
			}
			if (m["left_at"] == nil) != (i == 2) {
				t.Errorf("row %d left_at = %v", i, m["left_at"])
			}
			if m["entered_by"] == nil {
				t.Errorf("row %d has no entered_by", i)
			}
		}
	})
}

func TestRecords_ListFilterSortPageExpand(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		tok := projectTenant(t, s, "acme")
		ca := create(t, s, tok, "client", map[string]any{"name": "A Corp", "tier": "a"})
		cb := create(t, s, tok, "client", map[string]any{"name": "B Corp", "tier": "b"})
		var ops []any
		for i := 0; i < 57; i++ {
			v := map[string]any{"name": fmt.Sprintf("p%02d", i), "budget": fmt.Sprintf("%d.50", (i*37)%100*1000), "phase": []string{"plan", "build", "run"}[i%3]}
			if i%2 == 0 {
				v["client_id"] = ca["id"]
			} else {
				v["client_id"] = cb["id"]
			}
			if i%10 == 0 {
				delete(v, "budget") // NULLs sort last ascending, first descending
			}
			ops = append(ops, map[string]any{"op": "create", "values": v})
		}
		s.Do(t, "POST", "/api/v1/records/project/bulk", tok, map[string]any{"operations": ops}).Expect(t, 200)

		for _, sort := range []string{"-budget,name", "budget", "phase,-name", "", "-created_at"} {
			seen := map[string]bool{}
			var prev []any
			cursor := ""
			pages := 0
			for {
				q := "/api/v1/records/project?limit=10&sort=" + url.QueryEscape(sort) + "&filter=" + url.QueryEscape(`client_id.tier in ["a","b"]`)
				if cursor != "" {
					q += "&cursor=" + cursor
				}
				page := s.Do(t, "GET", q, tok, nil).Expect(t, 200).JSON(t)
				data := page["data"].([]any)
				for _, d := range data {
					id := str(d.(map[string]any)["id"])
					if seen[id] {
						t.Fatalf("sort %q: %s seen twice across pages", sort, id)
					}
					seen[id] = true
					prev = append(prev, d)
				}
				pages++
				if page["next_cursor"] == nil {
					break
				}
				cursor = url.QueryEscape(str(page["next_cursor"]))
			}
			if len(seen) != 57 || pages != 6 {
				t.Fatalf("sort %q: %d records over %d pages, want 57 over 6", sort, len(seen), pages)
			}
			if sort == "-budget,name" {
				first := prev[0].(map[string]any)
				if first["budget"] != nil {
					t.Fatalf("descending: NULL budgets come first, got %v", first["budget"])
				}
				smallest := ""
				for i := 0; i < 57; i++ {
					if i%10 != 0 {
						b := fmt.Sprintf("%d.50", (i*37)%100*1000)
						if smallest == "" || cmpDecimal(b, smallest) < 0 {
							smallest = b
						}
					}
				}
				if last := prev[56].(map[string]any); last["budget"] != smallest {
					t.Fatalf("descending: the last row has budget %v, want the smallest %s", last["budget"], smallest)
				}
				for i := 7; i < 56; i++ {
					a, b := prev[i].(map[string]any)["budget"], prev[i+1].(map[string]any)["budget"]
					if a != nil && b != nil && cmpDecimal(str(a), str(b)) < 0 {
						t.Fatalf("descending budget out of order at %d: %v then %v", i, a, b)
					}
				}
			}
		}
		f := url.QueryEscape(`budget > 50000 && phase == "plan" && client_id.tier == "a"`)
		page := s.Do(t, "GET", "/api/v1/records/project?count=true&fields=name,budget&expand=client_id&filter="+f, tok, nil).Expect(t, 200).JSON(t)
		data := page["data"].([]any)
		if jsonNum(page["total"]) != int64(len(data)) || len(data) == 0 {
			t.Fatalf("total %v, rows %d", page["total"], len(data))
		}
		for _, d := range data {
			m := d.(map[string]any)
			if _, ok := m["phase"]; ok {
				t.Fatalf("fields=name,budget returned phase: %v", m)
			}
			ex := m["expand"].(map[string]any)["client_id"].(map[string]any)
			if ex["tier"] != "a" || cmpDecimal(str(m["budget"]), "50000") <= 0 {
				t.Fatalf("row does not match the filter: %v", m)
			}
		}
		r := s.Do(t, "GET", "/api/v1/records/project?filter="+url.QueryEscape(`budget >> 5`), tok, nil).Expect(t, 400)
		if field, code := r.Problem(t); field != "filter" || code != "invalid_filter" {
			t.Fatalf("malformed filter: %s/%s", field, code)
		}
		if !strings.Contains(string(r.Body), `"position"`) {
			t.Fatalf("malformed filter error has no position: %s", r.Body)
		}
		s.Do(t, "GET", "/api/v1/records/project?sort=notes", tok, nil).Expect(t, 400)
		s.Do(t, "GET", "/api/v1/records/project?sort=nope", tok, nil).Expect(t, 400)
		s.Do(t, "GET", "/api/v1/records/project?limit=201", tok, nil).Expect(t, 400)
		s.Do(t, "GET", "/api/v1/records/project?cursor=garbage", tok, nil).Expect(t, 400)
		s.Do(t, "GET", "/api/v1/records/project?fields=nope", tok, nil).Expect(t, 400)
		s.Do(t, "GET", "/api/v1/records/project?expand=name", tok, nil).Expect(t, 400)
		// A cursor from one sort does not page another.
		p1 := s.Do(t, "GET", "/api/v1/records/project?limit=5&sort=name", tok, nil).JSON(t)
		s.Do(t, "GET", "/api/v1/records/project?limit=5&sort=-name&cursor="+url.QueryEscape(str(p1["next_cursor"])), tok, nil).Expect(t, 400)
	})
}

func cmpDecimal(a, b string) int {
	var x, y float64
	fmt.Sscan(a, &x)
	fmt.Sscan(b, &y)
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// Deleting, restoring and purging a parent with many children costs a few
// statements per lookup relation, not a few per child.
func TestRecords_CascadesAreSetBased(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		tok := s.NewTenant(t, "acme", "sales")
		acct := create(t, s, tok, "account", map[string]any{"name": "Parent Co"})
		var ops []any
		for i := 0; i < 25; i++ {
			ops = append(ops, map[string]any{"op": "create", "values": map[string]any{"name": fmt.Sprintf("c%d", i), "account_id": acct["id"]}})
		}
		res := s.Do(t, "POST", "/api/v1/records/contact/bulk", tok, map[string]any{"operations": ops}).Expect(t, 200).JSON(t)["results"].([]any)
		ops = nil
		for _, r := range res {
			ops = append(ops, map[string]any{"op": "create", "values": map[string]any{"name": "call", "account_id": acct["id"], "contact_id": r.(map[string]any)["id"]}})
		}
		s.Do(t, "POST", "/api/v1/records/activity/bulk", tok, map[string]any{"operations": ops}).Expect(t, 200)
		total := func(object, deleted string) string {
			return str(s.Do(t, "GET", "/api/v1/records/"+object+"?count=true&limit=1&deleted="+deleted, tok, nil).Expect(t, 200).JSON(t)["total"])
		}
		path := "/api/v1/records/account/" + str(acct["id"])
		sql := countSQL(s)
		s.Do(t, "DELETE", path, tok, nil).Expect(t, 204)
		if n := len(sql.reset()); n > 15 {
			t.Fatalf("deleting an account with 25 contacts and 25 activities ran %d statements", n)
		}
		if total("contact", "true") != "25" || total("activity", "true") != "25" || total("contact", "false") != "0" {
			t.Fatal("the delete did not cascade to every contact and activity")
		}
		s.Do(t, "POST", path+"/restore", tok, nil).Expect(t, 200)
		// Restoring the activities also refreshes the account's roll-up of
		// them (last_activity_at): a few statements more, still not per child.
		if n := len(sql.reset()); n > 20 {
			t.Fatalf("restore ran %d statements", n)
		}
		if total("contact", "false") != "25" || total("activity", "false") != "25" {
			t.Fatal("restore did not bring every child back")
		}
		s.Do(t, "DELETE", path, tok, nil).Expect(t, 204)
		sql.reset()
		s.Do(t, "POST", path+"/purge", tok, nil).Expect(t, 204)
		if n := len(sql.reset()); n > 30 {
			t.Fatalf("purge ran %d statements", n)
		}
		if total("contact", "true") != "0" || total("activity", "true") != "0" {
			t.Fatal("purge left children behind")
		}
	})
}
