package bench

import (
	"context"
	"fmt"
	"testing"

	"github.com/tessera-crm/tessera/metadata"
)

// rulesOnOpportunity are 20 typical active rules on the opportunity: 12
// validation rules (one through the account lookup), 4 stored formulas, 2
// default formulas and 2 after-save workflows whose conditions do not hold
// for the benchmark's writes.
func addTwentyRules(ctx context.Context, s *Session) error {
	tenant := s.Tenant.ID
	conditions := []string{
		`amount < 0`, `is_blank(close_date) && stage != "qualification"`, `amount > 100000000`,
		`stage == "closed_won" && is_blank(amount)`, `probability > 100`, `length(name) > 200`,
		`close_date < date(2000, 1, 1)`, `is_changed("stage") && prior.stage == "closed_won" && stage != "closed_won"`,
		`stage == "closed_lost" && is_blank(next_step) && false`, `currency == "JPY" && amount != round(amount, 0)`,
		`amount > 0 && is_blank(account_id)`, `account_id.industry == "other" && amount > 50000000`,
	}
	for i, c := range conditions {
		r := metadata.ValidationRule{APIName: fmt.Sprintf("rule_%02d", i), Labels: metadata.Labels{"en": "Rule"}, Condition: c, Message: metadata.Labels{"en": "no"}, Active: true}
		if _, err := s.App.Meta.PutValidationRule(ctx, tenant, "opportunity", r, true); err != nil {
			return fmt.Errorf("rule %d: %w", i, err)
		}
	}
	fields := []*metadata.Field{
		{APIName: "weighted", Type: metadata.TypeCurrency, Labels: metadata.Labels{"en": "Weighted"}, Formula: "amount * coalesce(probability, 0) / 100", FormulaStored: true},
		{APIName: "days_open", Type: metadata.TypeInteger, Labels: metadata.Labels{"en": "Days open"}, Formula: "days_between(created_at, $now)", FormulaStored: true},
		{APIName: "is_big", Type: metadata.TypeBoolean, Labels: metadata.Labels{"en": "Big"}, Formula: "amount > 500000", FormulaStored: true},
		{APIName: "quarter_label", Type: metadata.TypeText, Labels: metadata.Labels{"en": "Quarter"}, Formula: `concat(year(close_date), " Q", quarter(close_date))`, FormulaStored: true},
		{APIName: "follow_up", Type: metadata.TypeDate, Labels: metadata.Labels{"en": "Follow up"}, DefaultFormula: "add_business_days($today, 3)"},
		{APIName: "region_hint", Type: metadata.TypeText, Labels: metadata.Labels{"en": "Region"}, DefaultFormula: `upper(left(name, 3))`},
	}
	for _, f := range fields {
		if _, err := s.App.Meta.AddField(ctx, tenant, "opportunity", f); err != nil {
			return fmt.Errorf("field %s: %w", f.APIName, err)
		}
	}
	for i, c := range []string{`is_changed("stage") && stage == "closed_won"`, `amount > 900000000`} {
		w := metadata.Workflow{APIName: fmt.Sprintf("flow_%d", i), Labels: metadata.Labels{"en": "Flow"}, Active: true,
			Trigger: metadata.Trigger{Type: metadata.TriggerAfterSave}, Condition: c,
			Actions: []metadata.Action{{Type: metadata.ActionNotify, To: []string{"owner"}, Subject: metadata.Labels{"en": "Won {{name}}"}}}}
		if _, err := s.App.Meta.PutWorkflow(ctx, tenant, "opportunity", w, true); err != nil {
			return fmt.Errorf("workflow %d: %w", i, err)
		}
	}
	return nil
}

// BenchmarkSaveWithRules compares an opportunity update with no rules and
// with twenty active rules (the target: < 1.5×).
func BenchmarkSaveWithRules(b *testing.B) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		for _, rules := range []int{0, 20} {
			b.Run(fmt.Sprintf("%s/rules=%d", dialect, rules), func(b *testing.B) {
				if dialect == "postgres" {
					postgresOnly(b)
				}
				ctx := context.Background()
				a := newApp(b, dialect)
				s, err := Provision(ctx, a)
				if err != nil {
					b.Fatal(err)
				}
				seeded, err := s.Seed(10, 100, 1, 7)
				if err != nil {
					b.Fatal(err)
				}
				if rules > 0 {
					if err := addTwentyRules(ctx, s); err != nil {
						b.Fatal(err)
					}
				}
				snap, err := a.Snapshots.Get(ctx, s.Tenant.ID)
				if err != nil {
					b.Fatal(err)
				}
				i := 0
				b.ResetTimer()
				for b.Loop() {
					id := seeded.Opportunities[i%len(seeded.Opportunities)]
					amount := fmt.Sprintf("%d.50", 1000+i%5000)
					if _, err := a.Records.Update(s.Ctx, snap, "opportunity", id, map[string]any{"amount": amount}, nil); err != nil {
						b.Fatal(err)
					}
					i++
				}
			})
		}
	}
}
