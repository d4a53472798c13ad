package template_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/tessera-crm/tessera/internal/database"
	"github.com/tessera-crm/tessera/internal/testutil"
	"github.com/tessera-crm/tessera/metadata"
	"github.com/tessera-crm/tessera/tenants/template"
)

func TestSales_Parses(t *testing.T) {
	tpl, err := template.Sales()
	if err != nil {
		t.Fatal(err)
	}
	if tpl.Key != "sales" || tpl.Version != 3 {
		t.Fatalf("key, version = %q, %d; want sales, 3", tpl.Key, tpl.Version)
	}
	if tpl.Access == nil || len(tpl.Access.Roles) != 5 || len(tpl.Access.PermissionSets) != 3 || tpl.Access.AdminRole != "ceo" {
		t.Fatalf("access = %+v; want 5 roles, 3 permission sets and the ceo admin role", tpl.Access)
	}
	if acct := tpl.Objects[0]; acct.Sharing.Default() != "private" || !acct.Sharing.HierarchyEdits() {
		t.Fatalf("account sharing = %+v; want private with hierarchy edit", acct.Sharing)
	}
	var names []string
	for _, o := range tpl.Objects {
		names = append(names, o.APIName)
	}
	want := "account contact lead opportunity product activity"
	if got := strings.Join(names, " "); got != want {
		t.Fatalf("objects = %s, want %s", got, want)
	}
}

func TestSales_ReturnsFreshObjects(t *testing.T) {
	a, err := template.Sales()
	if err != nil {
		t.Fatal(err)
	}
	a.Objects[0].Labels["en"] = "changed"
	a.Objects[0].Fields[0].APIName = "changed"
	b, err := template.Sales()
	if err != nil {
		t.Fatal(err)
	}
	if b.Objects[0].Labels["en"] == "changed" || b.Objects[0].Fields[0].APIName == "changed" {
		t.Fatal("Sales returned objects shared with an earlier call")
	}
}

func TestSales_LabelsEverythingInEnglishAndChinese(t *testing.T) {
	tpl, err := template.Sales()
	if err != nil {
		t.Fatal(err)
	}
	check := func(where string, l metadata.Labels) {
		t.Helper()
		for _, locale := range []string{"en", "zh-CN"} {
			if strings.TrimSpace(l[locale]) == "" {
				t.Errorf("%s has no %s label", where, locale)
			}
		}
	}
	for _, o := range tpl.Objects {
		check(o.APIName, o.Labels)
		check(o.APIName+" (plural)", o.PluralLabels)
		for _, f := range o.Fields {
			where := o.APIName + "." + f.APIName
			check(where, f.Labels)
			if f.HelpText != nil {
				check(where+" help text", f.HelpText)
			}
			if f.Pipeline != nil {
				check(where+" pipeline", f.Pipeline.Labels)
			}
			for _, opt := range f.Options {
				check(where+"="+opt.APIName, opt.Labels)
			}
		}
	}
}

func TestSales_MarksEverythingStandardAndActive(t *testing.T) {
	tpl, err := template.Sales()
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range tpl.Objects {
		if !o.Standard {
			t.Errorf("%s is not standard", o.APIName)
		}
		if o.Icon == "" || o.NameField == "" {
			t.Errorf("%s needs an icon and a name_field", o.APIName)
		}
		for _, f := range o.Fields {
			if !f.Standard {
				t.Errorf("%s.%s is not standard", o.APIName, f.APIName)
			}
			for _, opt := range f.Options {
				if !opt.Active {
					t.Errorf("%s.%s option %s is not active", o.APIName, f.APIName, opt.APIName)
				}
			}
		}
	}
}

// Colours are quoted in the YAML because an unquoted # starts a comment; a
// forgotten quote would silently leave the colour empty.
func TestSales_ColoursEveryOptionOfAColouredPicklist(t *testing.T) {
	tpl, err := template.Sales()
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range tpl.Objects {
		for _, f := range o.Fields {
			coloured := 0
			for _, opt := range f.Options {
				if opt.Color != "" {
					coloured++
				}
			}
			if coloured > 0 && coloured != len(f.Options) {
				t.Errorf("%s.%s colours %d of %d options", o.APIName, f.APIName, coloured, len(f.Options))
			}
		}
	}
}

func TestSales_DefinesLookupTargetsBeforeTheirLookups(t *testing.T) {
	tpl, err := template.Sales()
	if err != nil {
		t.Fatal(err)
	}
	defined := map[string]bool{}
	for _, o := range tpl.Objects {
		defined[o.APIName] = true
		for _, f := range o.Fields {
			if f.Type == metadata.TypeLookup && !defined[f.Target] {
				t.Errorf("%s.%s looks up %s, which comes later", o.APIName, f.APIName, f.Target)
			}
		}
	}
}

func TestSales_InstallsOnEveryDatabase(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		tpl, err := template.Sales()
		if err != nil {
			t.Fatal(err)
		}
		tenantID := testutil.NewTenantRow(t, db, "acme")
		snap, err := metadata.NewService(db, nil).CreateObjects(ctx, tenantID, tpl.Objects)
		if err != nil {
			t.Fatalf("install sales template: %v", err)
		}
		want, err := template.Sales()
		if err != nil {
			t.Fatal(err)
		}
		for _, wo := range want.Objects {
			o := snap.Object(wo.APIName)
			if o == nil {
				t.Errorf("snapshot has no %s", wo.APIName)
				continue
			}
			if len(o.Fields) != len(wo.Fields) {
				t.Errorf("%s has %d fields, want %d", wo.APIName, len(o.Fields), len(wo.Fields))
			}
			for _, wf := range wo.Fields {
				f := o.Field(wf.APIName)
				if f == nil {
					t.Errorf("snapshot has no %s.%s", wo.APIName, wf.APIName)
					continue
				}
				if (wf.Pipeline != nil) != (f.Pipeline != nil) {
					t.Errorf("%s.%s pipeline = %v, want %v", wo.APIName, wf.APIName, f.Pipeline, wf.Pipeline)
				}
			}
		}
		opp := snap.Object("opportunity")
		if p := opp.Pipelines(); len(p) != 1 || p[0].APIName != "stage" || p[0].Pipeline.ProbabilityField != "probability" {
			t.Fatalf("opportunity pipelines = %v, want stage with probability_field probability", p)
		}
		// The stored snapshot reads back the same as the returned one.
		loaded, err := metadata.NewService(db, nil).Load(ctx, tenantID)
		if err != nil {
			t.Fatal(err)
		}
		if loaded.Object("opportunity").Field("stage").Option("closed_won") == nil {
			t.Fatal("loaded snapshot lost the closed_won stage")
		}
	})
}

func TestParse_RejectsUnknownKeys(t *testing.T) {
	field := "      - api_name: name\n        type: text\n        labels: {en: Name}\n"
	doc := func(top, object, fieldExtra string) string {
		return "key: t\nversion: 1\n" + top +
			"objects:\n  - api_name: thing\n    labels: {en: Thing}\n" + object +
			"    fields:\n" + field + fieldExtra
	}
	tests := []struct {
		name, yaml, key, path string
	}{
		{"top level", doc("author: me\n", "", ""), "author", "top level"},
		{"object", doc("", "    colour: red\n", ""), "colour", "objects[0]"},
		{"field", doc("", "", "        requried: true\n"), "requried", "objects[0].fields[0]"},
		{"option", doc("", "", "        options:\n          - {api_name: a, labels: {en: A}, colour: \"#ffffff\"}\n"), "colour", "objects[0].fields[0].options[0]"},
		{"pipeline", doc("", "", "        pipeline: {probability: p}\n"), "probability", "objects[0].fields[0].pipeline"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := template.Parse([]byte(tc.yaml))
			if err == nil {
				t.Fatalf("Parse accepted unknown key %q", tc.key)
			}
			if !strings.Contains(err.Error(), fmt.Sprintf("%q", tc.key)) || !strings.Contains(err.Error(), tc.path) {
				t.Fatalf("error %q does not name key %q at %s", err, tc.key, tc.path)
			}
		})
	}
}

func TestParse_RejectsWrongValueTypes(t *testing.T) {
	_, err := template.Parse([]byte("key: t\nversion: 1\nobjects:\n  - api_name: thing\n    labels: {en: Thing}\n    standard: maybe\n"))
	if err == nil || !strings.Contains(err.Error(), "standard") {
		t.Fatalf("err = %v, want an error about standard", err)
	}
}

func TestParse_RequiresKeyVersionAndObjects(t *testing.T) {
	for name, doc := range map[string]string{
		"empty":      "",
		"no key":     "version: 1\nobjects: [{api_name: a, labels: {en: A}}]\n",
		"no version": "key: t\nobjects: [{api_name: a, labels: {en: A}}]\n",
		"no objects": "key: t\nversion: 1\n",
	} {
		if _, err := template.Parse([]byte(doc)); err == nil {
			t.Errorf("%s: Parse accepted it", name)
		}
	}
}

func TestParse_KeepsDefaultsAsJSON(t *testing.T) {
	tpl, err := template.Parse([]byte(`key: t
version: 1
objects:
  - api_name: thing
    labels: {en: Thing}
    fields:
      - {api_name: on, type: boolean, labels: {en: On}, default: false}
      - {api_name: day, type: date, labels: {en: Day}, default: 2025-03-01}
      - {api_name: kind, type: picklist, labels: {en: Kind}, default: cny}
`))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range tpl.Objects[0].Fields {
		got[f.APIName] = string(f.Default)
	}
	want := map[string]string{"on": "false", "day": `"2025-03-01"`, "kind": `"cny"`}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("default of %s = %s, want %s", k, got[k], v)
		}
	}
}
