package app_test

import (
	"testing"

	"github.com/tessera-crm/tessera/internal/testutil/testserver"
)

func stage(name string, probability int, category string) map[string]any {
	return map[string]any{"api_name": name, "label": name, "probability": probability, "forecast_category": category}
}

// An object may carry several pipelines; each keeps its own history, and
// re-saving the current stage does not reset an adjusted probability.
func TestPipelines_SeveralPerObjectWithTheirOwnHistory(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		tok := s.NewTenant(t, "acme", "none")
		s.Do(t, "POST", "/api/v1/meta/objects", tok, map[string]any{"api_name": "deal", "label": "Deal", "fields": []any{
			map[string]any{"api_name": "probability", "type": "percent", "label": "Probability"},
			map[string]any{"api_name": "stage", "type": "picklist", "label": "Stage", "pipeline": map[string]any{"probability_field": "probability"},
				"options": []any{stage("open", 10, "pipeline"), stage("won", 100, "closed_won"), stage("lost", 0, "closed_lost")}},
			map[string]any{"api_name": "renewal_stage", "type": "picklist", "label": "Renewal",
				"pipeline": map[string]any{"labels": map[string]any{"en": "Renewal", "zh-CN": "续约"}},
				"options":  []any{stage("notice", 20, "pipeline"), stage("renewed", 100, "closed_won")}},
		}}).Expect(t, 201)
		obj := s.Do(t, "GET", "/api/v1/meta/objects/deal", tok, nil).Expect(t, 200).JSON(t)
		if n := len(obj["pipelines"].([]any)); n != 2 {
			t.Fatalf("pipelines = %d, want 2", n)
		}
		d := create(t, s, tok, "deal", map[string]any{"name": "d", "stage": "open", "renewal_stage": "notice"})
		if d["probability"] != "10.0000" {
			t.Fatalf("probability %v", d["probability"])
		}
		path := "/api/v1/records/deal/" + str(d["id"])
		s.Do(t, "PATCH", path, tok, map[string]any{"probability": "35"}).Expect(t, 200)
		same := s.Do(t, "PATCH", path, tok, map[string]any{"stage": "open", "name": "renamed"}).Expect(t, 200).JSON(t)
		if same["probability"] != "35.0000" {
			t.Fatalf("re-saving the same stage reset the probability to %v", same["probability"])
		}
		s.Do(t, "PATCH", path, tok, map[string]any{"renewal_stage": "renewed"}).Expect(t, 200)
		h := s.Do(t, "GET", path+"/stage-history", tok, nil).Expect(t, 200).JSON(t)["data"].([]any)
		count := map[string]int{}
		for _, row := range h {
			count[str(row.(map[string]any)["field"])]++
		}
		if count["stage"] != 1 || count["renewal_stage"] != 2 {
			t.Fatalf("history per pipeline = %v, want stage 1, renewal_stage 2", count)
		}
		// Deactivating a field hides it from reads and refuses writes; its data stays.
		s.Do(t, "PATCH", "/api/v1/meta/objects/deal/fields/renewal_stage", tok, map[string]any{"active": false}).Expect(t, 200)
		got := s.Do(t, "GET", path, tok, nil).Expect(t, 200).JSON(t)
		if _, ok := got["renewal_stage"]; ok {
			t.Fatal("an inactive field is still returned")
		}
		s.Do(t, "PATCH", path, tok, map[string]any{"renewal_stage": "notice"}).Expect(t, 400)
		s.Do(t, "PATCH", "/api/v1/meta/objects/deal/fields/renewal_stage", tok, map[string]any{"active": true}).Expect(t, 200)
		got = s.Do(t, "GET", path, tok, nil).Expect(t, 200).JSON(t)
		if got["renewal_stage"] != "renewed" {
			t.Fatalf("reactivated field lost its data: %v", got["renewal_stage"])
		}
		// The probability field cannot go while a pipeline uses it.
		s.Do(t, "DELETE", "/api/v1/meta/objects/deal/fields/probability", tok, nil).Expect(t, 409)
		s.Do(t, "DELETE", "/api/v1/meta/objects/deal/fields/renewal_stage", tok, nil).Expect(t, 204)
	})
}
