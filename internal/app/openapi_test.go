package app_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/tessera-crm/tessera/internal/testutil/testserver"
)

func TestOpenAPI_DescribesTheTenantsObjects(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *testserver.Server) {
		tok := projectTenant(t, s, "acme")
		client := create(t, s, tok, "client", map[string]any{"name": "c", "tier": "a"})
		raw := s.Do(t, "GET", "/api/v1/openapi.json", tok, nil).Expect(t, 200).Body
		doc, err := openapi3.NewLoader().LoadFromData(raw)
		if err != nil {
			t.Fatalf("load: %v", err)
		}
		if err := doc.Validate(context.Background()); err != nil {
			t.Fatalf("the document is not valid OpenAPI: %v", err)
		}
		if doc.Paths.Find("/records/project/{id}") == nil || doc.Components.Schemas["project"] == nil {
			t.Fatal("project is not described")
		}
		// A real record of every field type conforms to its schema.
		rec := s.Do(t, "POST", "/api/v1/records/project", tok, map[string]any{
			"name": "p", "code": "c1", "seats": 3, "ratio": "1.5", "budget": "10", "discount": "5", "start_date": "2025-01-02",
			"kickoff_at": "2025-01-02T03:04:05Z", "email": "a@b.co", "phone": "+86 21 1234 5678", "site": "https://a.b/c",
			"phase": "build", "tags": []any{"bi"}, "client_id": client["id"],
		}).Expect(t, 201).Body
		var value any
		if err := json.Unmarshal(rec, &value); err != nil {
			t.Fatal(err)
		}
		schema := doc.Components.Schemas["project"].Value
		if err := schema.VisitJSON(value); err != nil {
			t.Fatalf("record does not match its schema: %v", err)
		}
		bad := value.(map[string]any)
		bad["phase"] = "not-an-option"
		if err := schema.VisitJSON(bad); err == nil {
			t.Fatal("the schema accepts a value outside the picklist")
		}
	})
}
