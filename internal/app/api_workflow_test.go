package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tessera-crm/tessera/engine/workflow"
	"github.com/tessera-crm/tessera/internal/testutil/testserver"
)

// hookReceiver records the webhooks it receives.
type hookReceiver struct {
	mu   sync.Mutex
	got  []http.Header
	body [][]byte
}

func (h *hookReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	h.got = append(h.got, r.Header.Clone())
	h.body = append(h.body, b)
	h.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func waitJobs(t *testing.T, s *testserver.Server) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.App.Jobs.WaitIdle(ctx); err != nil {
		t.Fatalf("wait for jobs: %v", err)
	}
}

func runs(t *testing.T, s *testserver.Server, tok, query string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, r := range s.Do(t, "GET", "/api/v1/workflow-runs?"+query, tok, nil).Expect(t, 200).JSON(t)["data"].([]any) {
		out = append(out, r.(map[string]any))
	}
	return out
}

func TestWorkflows_RunOnTheQueueAfterTheWrite(t *testing.T) {
	forEachDialectWith(t, testserver.Options{Jobs: true, AllowPrivateWebhooks: true}, func(t *testing.T, s *testserver.Server) {
		tok := dealTenant(t, s, "acme")
		hooks := &hookReceiver{}
		receiver := httptest.NewServer(hooks)
		defer receiver.Close()
		s.Do(t, "POST", "/api/v1/meta/objects", tok, map[string]any{"api_name": "task", "label": "Task", "fields": []any{
			map[string]any{"api_name": "due_date", "type": "date", "label": "Due"},
			map[string]any{"api_name": "deal_id", "type": "lookup", "target": "deal", "label": "Deal"},
		}}).Expect(t, 201)
		s.Do(t, "POST", "/api/v1/meta/objects/deal/validation-rules", tok, map[string]any{"api_name": "cap", "labels": map[string]any{"en": "Cap"},
			"condition": "discount > 50", "message": map[string]any{"en": "at most 50%"}, "active": true}).Expect(t, 201)
		// before_save: a deal without a discount gets 5%.
		s.Do(t, "POST", "/api/v1/meta/objects/deal/workflows", tok, map[string]any{"api_name": "default_discount", "labels": map[string]any{"en": "Default discount"},
			"active": true, "trigger": map[string]any{"type": "before_save"}, "condition": "is_blank(discount)",
			"actions": []any{map[string]any{"type": "update_fields", "values": map[string]any{"discount": "5"}}}}).Expect(t, 201)
		// A deal becoming key creates a follow-up task, tells the owner, calls a webhook.
		bad := s.Do(t, "POST", "/api/v1/meta/objects/deal/workflows", tok, map[string]any{"api_name": "key_follow_up", "labels": map[string]any{"en": "Key follow-up"},
			"active": true, "trigger": map[string]any{"type": "field_changed", "field": "is_key", "to": "true"}, "condition": "amout > 500",
			"actions": []any{map[string]any{"type": "notify", "to": []any{"owner"}, "subject": map[string]any{"en": "Key"}}}}).Expect(t, 400).JSON(t)
		if fe := firstError(t, bad); fe["field"] != "condition" || fe["suggestion"] != "amount" {
			t.Fatalf("workflow condition typo: %v", fe)
		}
		s.Do(t, "POST", "/api/v1/meta/objects/deal/workflows", tok, map[string]any{"api_name": "key_follow_up", "labels": map[string]any{"en": "Key follow-up"},
			"active": true, "trigger": map[string]any{"type": "field_changed", "field": "is_key", "to": "true"}, "condition": "amount > 500 && !prior.is_key",
			"actions": []any{
				map[string]any{"type": "create_record", "object": "task", "values": map[string]any{"name": `concat("Call about ", name)`, "due_date": "add_days($today, 3)", "deal_id": "id"}},
				map[string]any{"type": "notify", "to": []any{"owner"}, "subject": map[string]any{"en": "{{name}} is now key", "zh-CN": "{{name}} 已成为重点交易"}, "body": map[string]any{"en": "Amount {{format(amount, \"#,##0.00\")}}"}},
				map[string]any{"type": "webhook", "url": receiver.URL + "/hook"},
			}}).Expect(t, 201)

		d := create(t, s, tok, "deal", map[string]any{"name": "Big", "amount": "1200"})
		if !strings.HasPrefix(str(d["discount"]), "5.0") {
			t.Fatalf("before_save did not set the discount: %v", d["discount"])
		}
		id := str(d["id"])
		s.Do(t, "PATCH", "/api/v1/records/deal/"+id, tok, map[string]any{"is_key": true}).Expect(t, 200)
		waitJobs(t, s)
		// Saving again while key does not change is_key: no second run.
		s.Do(t, "PATCH", "/api/v1/records/deal/"+id, tok, map[string]any{"amount": "1300"}).Expect(t, 200)
		waitJobs(t, s)

		tasks := s.Do(t, "GET", "/api/v1/records/task", tok, nil).Expect(t, 200).JSON(t)["data"].([]any)
		if len(tasks) != 1 || tasks[0].(map[string]any)["name"] != "Call about Big" || tasks[0].(map[string]any)["deal_id"] != id {
			t.Fatalf("follow-up tasks: %v", tasks)
		}
		if tasks[0].(map[string]any)["owner_id"] != d["owner_id"] {
			t.Fatalf("the task belongs to %v, the deal's owner is %v", tasks[0].(map[string]any)["owner_id"], d["owner_id"])
		}
		notes := s.Do(t, "GET", "/api/v1/notifications", tok, nil).Expect(t, 200).JSON(t)
		list := notes["data"].([]any)
		if len(list) != 1 || list[0].(map[string]any)["title"] != "Big is now key" || list[0].(map[string]any)["body"] != "Amount 1,200.00" || jsonNum(notes["unread"]) != 1 {
			t.Fatalf("notifications: %v", notes)
		}
		s.Do(t, "POST", "/api/v1/notifications/read", tok, map[string]any{"all": true}).Expect(t, 200)
		if n := s.Do(t, "GET", "/api/v1/notifications?unread=true", tok, nil).Expect(t, 200).JSON(t); jsonNum(n["unread"]) != 0 {
			t.Fatalf("after read: %v", n)
		}
		hooks.mu.Lock()
		if len(hooks.got) != 1 {
			t.Fatalf("webhooks received: %d", len(hooks.got))
		}
		secret, err := s.App.Keys.WebhookSecret(context.Background(), tenantIDOf(t, s, tok))
		if err != nil {
			t.Fatal(err)
		}
		sig := hooks.got[0].Get(workflow.HeaderSignature)
		ts := strings.TrimPrefix(strings.Split(sig, ",")[0], "t=")
		stamp, _ := time.Parse(time.RFC3339, time.Unix(atoi(ts), 0).UTC().Format(time.RFC3339))
		if sig != workflow.Sign(secret, stamp, hooks.body[0]) || hooks.got[0].Get(workflow.HeaderDelivery) == "" {
			t.Fatalf("webhook signature %q does not verify", sig)
		}
		var payload map[string]any
		_ = json.Unmarshal(hooks.body[0], &payload)
		if payload["event"] != "workflow.key_follow_up" || payload["record"].(map[string]any)["id"] != id {
			t.Fatalf("webhook payload: %v", payload)
		}
		hooks.mu.Unlock()
		log := runs(t, s, tok, "workflow=key_follow_up")
		if len(log) != 1 || log[0]["status"] != "succeeded" || !strings.Contains(string(mustJSON(log[0]["actions"])), `"create_record"`) {
			t.Fatalf("execution log: %v", log)
		}

		// An action the data refuses fails the whole run: nothing of it stays.
		s.Do(t, "POST", "/api/v1/meta/objects/deal/workflows", tok, map[string]any{"api_name": "too_generous", "labels": map[string]any{"en": "Too generous"},
			"active": true, "trigger": map[string]any{"type": "after_create"},
			"actions": []any{
				map[string]any{"type": "create_record", "object": "task", "values": map[string]any{"name": `"should not stay"`}},
				map[string]any{"type": "update_fields", "values": map[string]any{"discount": "90"}},
			}}).Expect(t, 201)
		create(t, s, tok, "deal", map[string]any{"name": "Small", "amount": "10"})
		waitJobs(t, s)
		failed := runs(t, s, tok, "workflow=too_generous")
		if len(failed) != 1 || failed[0]["status"] != "failed" || !strings.Contains(str(failed[0]["error"]), "at most 50%") {
			t.Fatalf("failed run: %v", failed)
		}
		if n := len(s.Do(t, "GET", "/api/v1/records/task", tok, nil).Expect(t, 200).JSON(t)["data"].([]any)); n != 1 {
			t.Fatalf("a failed run left %d tasks", n)
		}

		// A manual workflow runs from a button; one chained into itself stops.
		s.Do(t, "POST", "/api/v1/meta/objects/deal/workflows", tok, map[string]any{"api_name": "bump", "labels": map[string]any{"en": "Bump"},
			"active": true, "trigger": map[string]any{"type": "manual"},
			"actions": []any{map[string]any{"type": "update_fields", "values": map[string]any{"amount": "amount + 1"}}}}).Expect(t, 201)
		s.Do(t, "POST", "/api/v1/meta/objects/deal/workflows", tok, map[string]any{"api_name": "echo", "labels": map[string]any{"en": "Echo"},
			"active": true, "trigger": map[string]any{"type": "after_update"}, "condition": `is_changed("amount")`,
			"actions": []any{map[string]any{"type": "update_fields", "values": map[string]any{"amount": "amount + 10"}}}}).Expect(t, 201)
		s.Do(t, "POST", "/api/v1/records/deal/"+id+"/workflows/bump", tok, nil).Expect(t, 202)
		s.Do(t, "POST", "/api/v1/records/deal/"+id+"/workflows/nope", tok, nil).Expect(t, 404)
		waitJobs(t, s)
		got := s.Do(t, "GET", "/api/v1/records/deal/"+id, tok, nil).Expect(t, 200).JSON(t)
		// 1300 + 1 (bump) + 10 (echo, once: its own update does not re-run it)
		if got["amount"] != "1311.00" {
			t.Fatalf("after the manual run and its chain: %v", got["amount"])
		}
		if r := runs(t, s, tok, "workflow=echo"); len(r) != 1 || jsonNum(r[0]["depth"]) != 2 {
			t.Fatalf("echo runs: %v", r)
		}
	})
}

func TestWorkflows_DateRelativeRunsWhenDueAndSkipsMovedDates(t *testing.T) {
	forEachDialectWith(t, testserver.Options{Jobs: true}, func(t *testing.T, s *testserver.Server) {
		tok := dealTenant(t, s, "acme")
		s.Do(t, "POST", "/api/v1/meta/objects/deal/fields", tok, map[string]any{"api_name": "remind_at", "type": "datetime", "label": "Remind at"}).Expect(t, 201)
		s.Do(t, "POST", "/api/v1/meta/objects/deal/workflows", tok, map[string]any{"api_name": "remind", "labels": map[string]any{"en": "Remind"},
			"active": true, "trigger": map[string]any{"type": "date_relative", "field": "remind_at", "offset_days": 0},
			"actions": []any{map[string]any{"type": "notify", "to": []any{"owner"}, "subject": map[string]any{"en": "Reminder: {{name}}"}}}}).Expect(t, 201)
		soon := time.Now().UTC().Add(2 * time.Second).Format(time.RFC3339)
		later := time.Now().UTC().Add(4 * time.Second).Format(time.RFC3339)
		d := create(t, s, tok, "deal", map[string]any{"name": "Renewal", "remind_at": soon})
		s.Do(t, "PATCH", "/api/v1/records/deal/"+str(d["id"]), tok, map[string]any{"remind_at": later}).Expect(t, 200)
		deadline := time.Now().Add(40 * time.Second)
		for {
			r := runs(t, s, tok, "workflow=remind")
			if len(r) == 2 {
				// Both may become due in the same scheduler pass: any order.
				statuses := map[string]int{str(r[0]["status"]): 1}
				statuses[str(r[1]["status"])]++
				if statuses["succeeded"] != 1 || statuses["skipped"] != 1 {
					t.Fatalf("date runs: %v", r)
				}
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("date runs after 40 s: %v", r)
			}
			time.Sleep(250 * time.Millisecond)
		}
		notes := s.Do(t, "GET", "/api/v1/notifications", tok, nil).Expect(t, 200).JSON(t)["data"].([]any)
		if len(notes) != 1 || notes[0].(map[string]any)["title"] != "Reminder: Renewal" {
			t.Fatalf("reminders: %v", notes)
		}
	})
}

func mustJSON(v any) []byte { b, _ := json.Marshal(v); return b }

func atoi(s string) int64 {
	var n int64
	for _, c := range s {
		n = n*10 + int64(c-'0')
	}
	return n
}

func tenantIDOf(t *testing.T, s *testserver.Server, tok string) string {
	t.Helper()
	return str(s.Do(t, "GET", "/api/v1/tenant", tok, nil).Expect(t, 200).JSON(t)["id"])
}

func TestWorkflows_ScheduleFiresOnTheRecordsItsFilterSelects(t *testing.T) {
	forEachDialectWith(t, testserver.Options{Jobs: true}, func(t *testing.T, s *testserver.Server) {
		tok := dealTenant(t, s, "acme")
		s.Do(t, "POST", "/api/v1/meta/objects/deal/workflows", tok, map[string]any{"api_name": "weekly", "labels": map[string]any{"en": "Weekly"},
			"active": true, "trigger": map[string]any{"type": "schedule", "cron": "every day"}, "actions": []any{map[string]any{"type": "notify", "to": []any{"owner"}, "subject": map[string]any{"en": "x"}}}}).
			Expect(t, 400)
		s.Do(t, "POST", "/api/v1/meta/objects/deal/workflows", tok, map[string]any{"api_name": "weekly", "labels": map[string]any{"en": "Weekly"},
			"active": true, "trigger": map[string]any{"type": "schedule", "cron": "0 9 * * 1", "filter": "amount > 100"}, "condition": "!is_key",
			"actions": []any{map[string]any{"type": "notify", "to": []any{"owner"}, "subject": map[string]any{"en": "Review {{name}}"}}}}).Expect(t, 201)
		create(t, s, tok, "deal", map[string]any{"name": "Big", "amount": "500"})
		create(t, s, tok, "deal", map[string]any{"name": "Key", "amount": "500", "is_key": true})
		create(t, s, tok, "deal", map[string]any{"name": "Small", "amount": "5"})
		// The schedule's next firing is next Monday 09:00 in Shanghai; make
		// it due now, as the clock would, and let the minute tick find it.
		var next time.Time
		if err := s.App.DB.Gorm.Raw(`SELECT next_run_at FROM workflow_schedules`).Scan(&next).Error; err != nil || next.IsZero() {
			t.Fatalf("schedule row: %v %v", next, err)
		}
		if wd := next.In(time.FixedZone("CST", 8*3600)); wd.Weekday() != time.Monday || wd.Hour() != 9 {
			t.Fatalf("next firing %v is not Monday 09:00 in the tenant's zone", wd)
		}
		if err := s.App.DB.Gorm.Exec(`UPDATE workflow_schedules SET next_run_at = ?`, time.Now().UTC().Add(-time.Minute)).Error; err != nil {
			t.Fatal(err)
		}
		if _, err := s.App.Jobs.Enqueue(context.Background(), workflow.TickArgs{}, nil); err != nil {
			t.Fatal(err)
		}
		waitJobs(t, s)
		got := runs(t, s, tok, "workflow=weekly")
		statuses := map[string]int{}
		for _, r := range got {
			statuses[str(r["status"])]++
		}
		if statuses["succeeded"] != 1 || statuses["skipped"] != 1 || len(got) != 2 {
			t.Fatalf("scheduled runs: %v", got)
		}
		notes := s.Do(t, "GET", "/api/v1/notifications", tok, nil).Expect(t, 200).JSON(t)["data"].([]any)
		if len(notes) != 1 || notes[0].(map[string]any)["title"] != "Review Big" {
			t.Fatalf("notifications: %v", notes)
		}
		var again time.Time
		_ = s.App.DB.Gorm.Raw(`SELECT next_run_at FROM workflow_schedules`).Scan(&again).Error
		if !again.After(time.Now()) {
			t.Fatalf("the schedule did not move on: %v", again)
		}
	})
}

// TestTemplate_RemindersAreWorkflows checks the sales template's reminders:
// a completed activity moves the account's last activity, the weekly
// "not contacted" schedule exists, an opportunity schedules its
// close-date reminder for 09:00 the day after, an activity its due
// reminder 30 minutes before.
func TestTemplate_RemindersAreWorkflows(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		tok := s.NewTenant(t, "acme", "sales")
		acct := create(t, s, tok, "account", map[string]any{"name": "Acme"})
		create(t, s, tok, "activity", map[string]any{"name": "Visit", "type": "visit", "due_at": "2026-11-02T02:00:00Z", "done": true, "account_id": acct["id"]})
		create(t, s, tok, "activity", map[string]any{"name": "Open call", "type": "call", "due_at": "2099-01-01T02:00:00Z", "account_id": acct["id"]})
		got := s.Do(t, "GET", "/api/v1/records/account/"+str(acct["id"]), tok, nil).Expect(t, 200).JSON(t)
		if !strings.HasPrefix(str(got["last_activity_at"]), "2026-11-02T02:00:00") {
			t.Fatalf("last activity: %v", got["last_activity_at"])
		}
		var schedules int64
		if err := s.App.DB.Gorm.Raw(`SELECT COUNT(*) FROM workflow_schedules WHERE workflow = 'not_contacted_reminder'`).Scan(&schedules).Error; err != nil || schedules != 1 {
			t.Fatalf("not-contacted schedule rows: %d %v", schedules, err)
		}
		create(t, s, tok, "opportunity", map[string]any{"name": "Deal", "account_id": acct["id"], "close_date": "2099-03-01", "stage": "proposal", "amount": "100"})
		due := scheduledRuns(t, s, "close_date_passed")
		// 09:00 on 2 March in Shanghai is 01:00 UTC.
		if len(due) != 1 || !due[0].Equal(time.Date(2099, 3, 2, 1, 0, 0, 0, time.UTC)) {
			t.Fatalf("close-date reminder scheduled for %v", due)
		}
		if due := scheduledRuns(t, s, "due_reminder"); len(due) != 1 || !due[0].Equal(time.Date(2099, 1, 1, 1, 30, 0, 0, time.UTC)) {
			t.Fatalf("due reminder scheduled for %v", due)
		}
	})
}

// scheduledRuns lists the due times of the queued runs of a workflow.
func scheduledRuns(t *testing.T, s *testserver.Server, workflowName string) []time.Time {
	t.Helper()
	// River keeps args as jsonb on both dialects.
	q := `SELECT json(args) FROM river_job WHERE kind = 'workflow_run'`
	if s.App.DB.Dialect.Name() == "postgres" {
		q = `SELECT CAST(args AS text) FROM tessera.river_job WHERE kind = 'workflow_run'`
	}
	var args []string
	if err := s.App.DB.Gorm.Raw(q).Scan(&args).Error; err != nil {
		t.Fatal(err)
	}
	var out []time.Time
	for _, a := range args {
		var run workflow.RunArgs
		if err := json.Unmarshal([]byte(a), &run); err != nil {
			t.Fatal(err)
		}
		if run.Workflow == workflowName && run.Due != nil {
			out = append(out, run.Due.UTC())
		}
	}
	return out
}

// TestTemplate_LeadsAreAssignedByRegionInTurn: inbound leads go in turn to
// the representatives of the team named like the lead's region.
func TestTemplate_LeadsAreAssignedByRegionInTurn(t *testing.T) {
	forEachDialectWith(t, testserver.Options{Jobs: true}, func(t *testing.T, s *testserver.Server) {
		o := newSalesOrg(t, s, "acme")
		east := str(s.Do(t, "POST", "/api/v1/org/units", o.admin, map[string]any{"name": "华东", "kind": "team"}).Expect(t, 201).JSON(t)["id"])
		for _, rep := range []member{o.repA, o.repB} {
			s.Do(t, "PATCH", "/api/v1/users/"+rep.id, o.admin, map[string]any{"unit_id": east}).Expect(t, 200)
		}
		var owners []string
		for i := range 4 {
			l := create(t, s, o.admin, "lead", map[string]any{"name": fmt.Sprint("L", i), "company": "Acme", "source": "website", "region": "east_china"})
			waitJobs(t, s)
			got := s.Do(t, "GET", "/api/v1/records/lead/"+str(l["id"]), o.admin, nil).Expect(t, 200).JSON(t)
			owners = append(owners, str(got["owner_id"]))
		}
		if owners[0] == owners[1] || owners[0] != owners[2] || owners[1] != owners[3] || (owners[0] != o.repA.id && owners[0] != o.repB.id) {
			t.Fatalf("east China leads went to %v (reps %s, %s)", owners, o.repA.id, o.repB.id)
		}
		// A lead the admin enters by hand from a referral stays theirs.
		l := create(t, s, o.admin, "lead", map[string]any{"name": "Mine", "company": "Acme", "source": "referral", "region": "east_china"})
		waitJobs(t, s)
		if got := s.Do(t, "GET", "/api/v1/records/lead/"+str(l["id"]), o.admin, nil).Expect(t, 200).JSON(t); got["owner_id"] != l["owner_id"] {
			t.Fatalf("a referral lead was reassigned to %v", got["owner_id"])
		}
		rep := o.repA
		if owners[0] == o.repB.id {
			rep = o.repB
		}
		notes := s.Do(t, "GET", "/api/v1/notifications", rep.tok, nil).Expect(t, 200).JSON(t)["data"].([]any)
		if len(notes) != 2 || !strings.HasPrefix(str(notes[0].(map[string]any)["title"]), "New lead assigned to you") {
			t.Fatalf("the assigned representative's notifications: %v", notes)
		}
	})
}

func TestWorkflows_AfterDeleteSeesTheDeletedRecord(t *testing.T) {
	forEachDialectWith(t, testserver.Options{Jobs: true}, func(t *testing.T, s *testserver.Server) {
		tok := dealTenant(t, s, "acme")
		s.Do(t, "POST", "/api/v1/meta/objects/deal/workflows", tok, map[string]any{"api_name": "gone", "labels": map[string]any{"en": "Gone"},
			"active": true, "trigger": map[string]any{"type": "after_delete"}, "condition": "amount > 100",
			"actions": []any{map[string]any{"type": "notify", "to": []any{"owner"}, "subject": map[string]any{"en": "{{name}} was deleted"}}}}).Expect(t, 201)
		big := create(t, s, tok, "deal", map[string]any{"name": "Big", "amount": "500"})
		small := create(t, s, tok, "deal", map[string]any{"name": "Small", "amount": "5"})
		s.Do(t, "DELETE", "/api/v1/records/deal/"+str(big["id"]), tok, nil).Expect(t, 204)
		s.Do(t, "DELETE", "/api/v1/records/deal/"+str(small["id"]), tok, nil).Expect(t, 204)
		waitJobs(t, s)
		notes := s.Do(t, "GET", "/api/v1/notifications", tok, nil).Expect(t, 200).JSON(t)["data"].([]any)
		if len(notes) != 1 || notes[0].(map[string]any)["title"] != "Big was deleted" {
			t.Fatalf("after-delete notifications: %v", notes)
		}
	})
}

func TestWorkflows_DateRelativeIsBackfilledForExistingRecords(t *testing.T) {
	forEachDialectWith(t, testserver.Options{Jobs: true}, func(t *testing.T, s *testserver.Server) {
		tok := dealTenant(t, s, "acme")
		create(t, s, tok, "deal", map[string]any{"name": "Future", "close_date": "2099-06-01"})
		create(t, s, tok, "deal", map[string]any{"name": "Past", "close_date": "2001-06-01"})
		create(t, s, tok, "deal", map[string]any{"name": "None"})
		w := map[string]any{"api_name": "before_close", "labels": map[string]any{"en": "Before close"}, "active": true,
			"trigger": map[string]any{"type": "date_relative", "field": "close_date", "offset_days": -7, "hour": 9},
			"actions": []any{map[string]any{"type": "notify", "to": []any{"owner"}, "subject": map[string]any{"en": "{{name}} closes in a week"}}}}
		s.Do(t, "POST", "/api/v1/meta/objects/deal/workflows", tok, w).Expect(t, 201)
		waitJobs(t, s)
		// 25 May 2099 09:00 in Shanghai.
		due := scheduledRuns(t, s, "before_close")
		if len(due) != 1 || !due[0].Equal(time.Date(2099, 5, 25, 1, 0, 0, 0, time.UTC)) {
			t.Fatalf("backfilled runs: %v", due)
		}
		// Saving the metadata again does not schedule twice; changing the
		// trigger schedules for the new time.
		s.Do(t, "PUT", "/api/v1/meta/objects/deal/workflows/before_close", tok, w).Expect(t, 200)
		waitJobs(t, s)
		if due := scheduledRuns(t, s, "before_close"); len(due) != 1 {
			t.Fatalf("after re-saving: %v", due)
		}
		w["trigger"].(map[string]any)["offset_days"] = -1
		s.Do(t, "PUT", "/api/v1/meta/objects/deal/workflows/before_close", tok, w).Expect(t, 200)
		waitJobs(t, s)
		if due := scheduledRuns(t, s, "before_close"); len(due) != 2 {
			t.Fatalf("after changing the offset: %v", due)
		}
	})
}

// Members learn of the automation only what they can act on.
func TestWorkflows_MembersDoNotSeeTheirWorkings(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		o := newSalesOrg(t, s, "acme")
		s.Do(t, "POST", "/api/v1/meta/objects/opportunity/workflows", o.admin, map[string]any{"api_name": "secret_hook", "labels": map[string]any{"en": "Hook"},
			"active": true, "trigger": map[string]any{"type": "after_save"}, "condition": "amount > 1",
			"actions": []any{map[string]any{"type": "webhook", "url": "https://hooks.example.com/secret-token"}}}).Expect(t, 201)
		s.Do(t, "POST", "/api/v1/meta/objects/opportunity/workflows", o.admin, map[string]any{"api_name": "button", "labels": map[string]any{"en": "Button"},
			"active": true, "trigger": map[string]any{"type": "manual"},
			"actions": []any{map[string]any{"type": "update_fields", "values": map[string]any{"next_step": `"Call"`}}}}).Expect(t, 201)
		member := s.Do(t, "GET", "/api/v1/meta/objects/opportunity", o.repA.tok, nil).Expect(t, 200)
		if strings.Contains(string(member.Body), "secret-token") || strings.Contains(string(member.Body), "amount > 1") {
			t.Fatal("a member sees a workflow's webhook address or condition")
		}
		wfs := member.JSON(t)["workflows"].([]any)
		if len(wfs) != 1 || wfs[0].(map[string]any)["api_name"] != "button" {
			t.Fatalf("member's workflows: %v", wfs)
		}
		if !strings.Contains(string(s.Do(t, "GET", "/api/v1/meta/objects/opportunity", o.admin, nil).Expect(t, 200).Body), "secret-token") {
			t.Fatal("the admin does not see the workflow")
		}
	})
}

func TestWorkflows_EveryBadExpressionIsReportedAtOnce(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		tok := dealTenant(t, s, "acme")
		bad := s.Do(t, "POST", "/api/v1/meta/objects/deal/workflows", tok, map[string]any{"api_name": "w", "labels": map[string]any{"en": "W"},
			"active": true, "trigger": map[string]any{"type": "after_save"}, "condition": "amout > 1",
			"actions": []any{
				map[string]any{"type": "update_fields", "values": map[string]any{"discount": "discont * 2"}},
				map[string]any{"type": "notify", "to": []any{"owner"}, "subject": map[string]any{"en": "Deal {{nme}}"}},
			}}).Expect(t, 400).JSON(t)
		var fields []string
		for _, e := range bad["errors"].([]any) {
			fields = append(fields, str(e.(map[string]any)["field"]))
		}
		if strings.Join(fields, ",") != "condition,actions[0].values.discount,actions[1].subject.en[0]" {
			t.Fatalf("errors: %v", fields)
		}
	})
}
