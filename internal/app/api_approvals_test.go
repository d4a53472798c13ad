package app_test

import (
	"testing"

	"github.com/tessera-crm/tessera/internal/testutil/testserver"
)

func TestApprovals_StepsDecisionsLockAndOutcomes(t *testing.T) {
	forEachDialectWith(t, testserver.Options{Jobs: true}, func(t *testing.T, s *testserver.Server) {
		o := newSalesOrg(t, s, "acme")
		s.Do(t, "PATCH", "/api/v1/users/"+o.repA.id, o.admin, map[string]any{"manager_id": o.lead.id}).Expect(t, 200)
		adminID := str(s.Do(t, "GET", "/api/v1/auth/me", o.admin, nil).Expect(t, 200).JSON(t)["user"].(map[string]any)["id"])
		process := map[string]any{"api_name": "deal_review", "labels": map[string]any{"en": "Deal review"}, "active": true,
			"entry_criteria": "amount > 0",
			"steps": []any{
				map[string]any{"name": "manager", "labels": map[string]any{"en": "Manager"}, "approvers": []any{"manager"}, "mode": "any"},
				map[string]any{"name": "director", "labels": map[string]any{"en": "Director"}, "approvers": []any{"role:regional_director"}, "mode": "any", "condition": "amount > 100000"},
			},
			"on_approve": []any{map[string]any{"type": "update_fields", "values": map[string]any{"next_step": `"Approved"`}}},
			"on_reject":  []any{map[string]any{"type": "notify", "to": []any{"owner"}, "subject": map[string]any{"en": "{{name}} was rejected"}}},
		}
		bad := s.Do(t, "POST", "/api/v1/meta/objects/opportunity/approval-processes", o.admin, map[string]any{"api_name": "x", "labels": map[string]any{"en": "X"}, "active": true,
			"steps": []any{map[string]any{"name": "s", "labels": map[string]any{"en": "S"}, "approvers": []any{"boss"}, "mode": "some"}}}).Expect(t, 400).JSON(t)
		if len(bad["errors"].([]any)) != 2 {
			t.Fatalf("bad process: %v", bad)
		}
		s.Do(t, "POST", "/api/v1/meta/objects/opportunity/approval-processes", o.admin, process).Expect(t, 201)

		acct := str(create(t, s, o.repA.tok, "account", map[string]any{"name": "Acme"})["id"])
		opp := create(t, s, o.repA.tok, "opportunity", map[string]any{"account_id": acct, "name": "Big", "amount": "200000", "stage": "proposal", "close_date": "2099-01-01"})
		path := "/api/v1/records/opportunity/" + str(opp["id"])
		s.Do(t, "POST", path+"/approvals", o.repA.tok, map[string]any{"process": "nope"}).Expect(t, 400)
		ap := s.Do(t, "POST", path+"/approvals", o.repA.tok, map[string]any{"process": "deal_review", "comment": "please"}).Expect(t, 201).JSON(t)
		apID := str(ap["id"])
		if ap["status"] != "pending" || jsonNum(ap["step"]) != 0 || len(ap["tasks"].([]any)) != 1 || ap["tasks"].([]any)[0].(map[string]any)["approver_id"] != o.lead.id {
			t.Fatalf("submitted: %v", ap)
		}
		s.Do(t, "POST", path+"/approvals", o.repA.tok, map[string]any{"process": "deal_review"}).Expect(t, 409)
		// Locked while pending, for members; admins may still change it.
		if _, code := s.Do(t, "PATCH", path, o.repA.tok, map[string]any{"amount": "1"}).Expect(t, 409).Problem(t); code != "record_locked" {
			t.Fatalf("locked record: %s", code)
		}
		s.Do(t, "PATCH", path, o.admin, map[string]any{"description": "noted"}).Expect(t, 200)
		s.Do(t, "POST", "/api/v1/approvals/"+apID+"/approve", o.repB.tok, map[string]any{}).Expect(t, 403)
		if inbox := s.Do(t, "GET", "/api/v1/approvals/inbox", o.lead.tok, nil).Expect(t, 200).JSON(t)["data"].([]any); len(inbox) != 1 || inbox[0].(map[string]any)["record_name"] != "Big" {
			t.Fatalf("lead's inbox: %v", inbox)
		}
		ap = s.Do(t, "POST", "/api/v1/approvals/"+apID+"/approve", o.lead.tok, map[string]any{"comment": "ok"}).Expect(t, 200).JSON(t)
		if ap["status"] != "pending" || jsonNum(ap["step"]) != 1 {
			t.Fatalf("after the manager: %v", ap)
		}
		s.Do(t, "POST", "/api/v1/approvals/"+apID+"/approve", o.lead.tok, map[string]any{}).Expect(t, 403)
		s.Do(t, "POST", "/api/v1/approvals/"+apID+"/reject", o.direct.tok, map[string]any{}).Expect(t, 400)
		ap = s.Do(t, "POST", "/api/v1/approvals/"+apID+"/reject", o.direct.tok, map[string]any{"comment": "too cheap"}).Expect(t, 200).JSON(t)
		if ap["status"] != "rejected" {
			t.Fatalf("rejected: %v", ap)
		}
		s.Do(t, "PATCH", path, o.repA.tok, map[string]any{"amount": "210000"}).Expect(t, 200)
		notes := s.Do(t, "GET", "/api/v1/notifications", o.repA.tok, nil).Expect(t, 200).JSON(t)["data"].([]any)
		titles := map[string]bool{}
		for _, n := range notes {
			titles[str(n.(map[string]any)["title"])] = true
		}
		if !titles["Big was rejected"] || !titles["Deal review: Big"] {
			t.Fatalf("submitter's notifications: %v", titles)
		}

		// Again: the director hands the task to the admin, who approves.
		ap = s.Do(t, "POST", path+"/approvals", o.repA.tok, map[string]any{"process": "deal_review"}).Expect(t, 201).JSON(t)
		apID = str(ap["id"])
		s.Do(t, "POST", "/api/v1/approvals/"+apID+"/approve", o.lead.tok, map[string]any{}).Expect(t, 200)
		s.Do(t, "POST", "/api/v1/approvals/"+apID+"/reassign", o.direct.tok, map[string]any{"to": adminID, "comment": "on leave"}).Expect(t, 200)
		s.Do(t, "POST", "/api/v1/approvals/"+apID+"/approve", o.direct.tok, map[string]any{}).Expect(t, 403)
		ap = s.Do(t, "POST", "/api/v1/approvals/"+apID+"/approve", o.admin, map[string]any{}).Expect(t, 200).JSON(t)
		if ap["status"] != "approved" {
			t.Fatalf("approved: %v", ap)
		}
		if got := s.Do(t, "GET", path, o.repA.tok, nil).Expect(t, 200).JSON(t); got["next_step"] != "Approved" {
			t.Fatalf("on_approve did not run: %v", got["next_step"])
		}
		history := s.Do(t, "GET", path+"/approvals", o.repA.tok, nil).Expect(t, 200).JSON(t)["data"].([]any)
		if len(history) != 2 || history[0].(map[string]any)["status"] != "approved" || history[1].(map[string]any)["status"] != "rejected" {
			t.Fatalf("history: %v", history)
		}
		s.Do(t, "GET", path+"/approvals", o.repB.tok, nil).Expect(t, 404) // repB cannot read repA's deal

		// A small deal skips the director's step; the submitter may recall.
		small := create(t, s, o.repA.tok, "opportunity", map[string]any{"account_id": acct, "name": "Small", "amount": "500", "stage": "proposal", "close_date": "2099-01-01"})
		ap = s.Do(t, "POST", "/api/v1/records/opportunity/"+str(small["id"])+"/approvals", o.repA.tok, map[string]any{"process": "deal_review"}).Expect(t, 201).JSON(t)
		s.Do(t, "POST", "/api/v1/approvals/"+str(ap["id"])+"/recall", o.repB.tok, map[string]any{}).Expect(t, 403)
		if ap = s.Do(t, "POST", "/api/v1/approvals/"+str(ap["id"])+"/recall", o.repA.tok, map[string]any{}).Expect(t, 200).JSON(t); ap["status"] != "recalled" {
			t.Fatalf("recalled: %v", ap)
		}
		zero := create(t, s, o.repA.tok, "opportunity", map[string]any{"account_id": acct, "name": "Zero", "amount": "0", "stage": "proposal", "close_date": "2099-01-01"})
		s.Do(t, "POST", "/api/v1/records/opportunity/"+str(zero["id"])+"/approvals", o.repA.tok, map[string]any{"process": "deal_review"}).Expect(t, 422)

		// A workflow can start the process.
		s.Do(t, "POST", "/api/v1/meta/objects/opportunity/workflows", o.admin, map[string]any{"api_name": "auto_review", "labels": map[string]any{"en": "Auto review"},
			"active": true, "trigger": map[string]any{"type": "after_create"}, "condition": "amount > 900000",
			"actions": []any{map[string]any{"type": "start_approval", "process": "deal_review"}}}).Expect(t, 201)
		huge := create(t, s, o.repA.tok, "opportunity", map[string]any{"account_id": acct, "name": "Huge", "amount": "950000", "stage": "proposal", "close_date": "2099-01-01"})
		waitJobs(t, s)
		list := s.Do(t, "GET", "/api/v1/records/opportunity/"+str(huge["id"])+"/approvals", o.repA.tok, nil).Expect(t, 200).JSON(t)["data"].([]any)
		if len(list) != 1 || list[0].(map[string]any)["status"] != "pending" || list[0].(map[string]any)["submitted_by"] != o.repA.id {
			t.Fatalf("started by a workflow: %v", list)
		}
		s.Do(t, "DELETE", "/api/v1/meta/objects/opportunity/approval-processes/deal_review", o.admin, nil).Expect(t, 409)
	})
}
