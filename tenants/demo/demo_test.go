package demo_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tessera-crm/tessera/internal/testutil"
	"github.com/tessera-crm/tessera/metadata"
	"github.com/tessera-crm/tessera/tenants/demo"
	"github.com/tessera-crm/tessera/tenants/template"
)

// now is a fixed "now" so that dates are reproducible.
var now = time.Date(2025, 6, 15, 2, 30, 0, 0, time.UTC)

// call is one CreateMany the generator made.
type call struct {
	Object  string
	Records []map[string]any
	IDs     []string
}

// memWriter records calls and hands out sequential UUIDs.
type memWriter struct {
	calls []call
	next  int
}

func (w *memWriter) CreateMany(_ context.Context, object string, records []map[string]any) ([]string, error) {
	ids := make([]string, len(records))
	for i := range records {
		w.next++
		ids[i] = fmt.Sprintf("00000000-0000-7000-8000-%012x", w.next)
	}
	w.calls = append(w.calls, call{Object: object, Records: records, IDs: ids})
	return ids, nil
}

// records returns every record created for object, in order.
func (w *memWriter) records(object string) []map[string]any {
	var out []map[string]any
	for _, c := range w.calls {
		if c.Object == object {
			out = append(out, c.Records...)
		}
	}
	return out
}

func generate(t *testing.T, opts demo.Options) (*memWriter, demo.Summary) {
	t.Helper()
	w := &memWriter{}
	sum, err := demo.Generate(context.Background(), w, opts)
	if err != nil {
		t.Fatal(err)
	}
	return w, sum
}

// salesSnapshot installs the sales template on SQLite and returns the
// snapshot the engine would check records against, with every default the
// metadata validation fills (text limits, decimal scales...).
func salesSnapshot(t *testing.T) *metadata.Snapshot {
	t.Helper()
	tpl, err := template.Sales()
	if err != nil {
		t.Fatal(err)
	}
	db := testutil.OpenDB(t, "sqlite")
	tenantID := testutil.NewTenantRow(t, db, "demo")
	snap, err := metadata.NewService(db, nil).CreateObjects(context.Background(), tenantID, tpl.Objects)
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

func TestGenerate_IsDeterministicForASeed(t *testing.T) {
	a, _ := generate(t, demo.Options{Seed: 42, Now: now})
	b, _ := generate(t, demo.Options{Seed: 42, Now: now})
	if !reflect.DeepEqual(a.calls, b.calls) {
		t.Fatal("the same seed produced different records")
	}
	c, _ := generate(t, demo.Options{Seed: 43, Now: now})
	if reflect.DeepEqual(a.calls, c.calls) {
		t.Fatal("different seeds produced the same records")
	}
}

func TestGenerate_CreatesAbout2000RecordsInBatchesOfAtMost200(t *testing.T) {
	w, sum := generate(t, demo.Options{Seed: 1, Now: now})
	sent := demo.Summary{}
	for _, c := range w.calls {
		if len(c.Records) == 0 || len(c.Records) > demo.BatchSize {
			t.Errorf("CreateMany(%s) got %d records", c.Object, len(c.Records))
		}
		sent[c.Object] += len(c.Records)
	}
	if !reflect.DeepEqual(sent, sum) {
		t.Errorf("summary %v, but sent %v", sum, sent)
	}
	if total := sum.Total(); total < 1800 || total > 2400 {
		t.Errorf("total = %d, want 1,800-2,400 (%v)", total, sum)
	}
	want := map[string][2]int{"account": {300, 300}, "contact": {550, 650}, "lead": {120, 180}, "opportunity": {350, 450}, "activity": {480, 620}}
	for object, r := range want {
		if n := sum[object]; n < r[0] || n > r[1] {
			t.Errorf("%d %s records, want %d-%d", n, object, r[0], r[1])
		}
	}
	t.Logf("summary: %v, total %d", sum, sum.Total())
}

func TestGenerate_CreatesObjectsInDependencyOrder(t *testing.T) {
	w, _ := generate(t, demo.Options{Seed: 1, Now: now})
	var order []string
	for _, c := range w.calls {
		if len(order) == 0 || order[len(order)-1] != c.Object {
			order = append(order, c.Object)
		}
	}
	want := []string{"product", "account", "contact", "lead", "opportunity", "activity"}
	if !slices.Equal(order, want) {
		t.Fatalf("order = %v, want %v", order, want)
	}
}

func TestGenerate_LooksUpOnlyRecordsCreatedEarlierForTheTarget(t *testing.T) {
	snap := salesSnapshot(t)
	w, _ := generate(t, demo.Options{Seed: 7, Now: now})
	created := map[string]map[string]bool{} // object -> ids returned so far
	accountOf := map[string]any{}           // contact id -> its account id
	lookups := 0
	for _, c := range w.calls {
		obj := snap.Object(c.Object)
		if obj == nil {
			t.Fatalf("the template has no object %q", c.Object)
		}
		for i, rec := range c.Records {
			for _, f := range obj.Fields {
				v, ok := rec[f.APIName]
				if f.Type != metadata.TypeLookup || !ok {
					continue
				}
				lookups++
				id, _ := v.(string)
				if !created[f.Target][id] {
					t.Errorf("%s #%d: %s = %v is not the id of a %s created earlier", c.Object, i, f.APIName, v, f.Target)
				}
			}
			if c.Object == "opportunity" || c.Object == "activity" {
				if cid, ok := rec["contact_id"]; ok && rec["account_id"] != nil && accountOf[cid.(string)] != rec["account_id"] {
					t.Errorf("%s %q: its contact works at another account", c.Object, rec["name"])
				}
			}
			if c.Object == "contact" {
				accountOf[c.IDs[i]] = rec["account_id"]
			}
		}
		if created[c.Object] == nil {
			created[c.Object] = map[string]bool{}
		}
		for _, id := range c.IDs {
			created[c.Object][id] = true
		}
	}
	if lookups < 1000 {
		t.Fatalf("only %d lookups checked", lookups)
	}
}

// Every value goes through JSON, as it would over the records API, and then
// through the field type's own coercion: a field name, option or format the
// template does not accept fails here.
func TestGenerate_WritesValuesTheSalesTemplateAccepts(t *testing.T) {
	snap := salesSnapshot(t)
	w, _ := generate(t, demo.Options{Seed: 3, Now: now})
	for _, c := range w.calls {
		obj := snap.Object(c.Object)
		if obj == nil {
			t.Fatalf("the template has no object %q", c.Object)
		}
		for i, rec := range c.Records {
			for key, val := range viaJSON(t, rec) {
				f := obj.Field(key)
				switch {
				case slices.Contains(metadata.SystemFields, key):
					t.Errorf("%s #%d sets system field %s", c.Object, i, key)
				case f == nil:
					t.Errorf("%s #%d sets %s, which the template does not have", c.Object, i, key)
				case f.IsReadOnly():
					t.Errorf("%s #%d sets read-only %s", c.Object, i, key)
				default:
					if _, fe := f.Kind().Coerce(f, val); fe != nil {
						t.Errorf("%s #%d: %s = %#v: %s", c.Object, i, key, val, fe.Message)
					}
				}
			}
			for _, f := range obj.Fields {
				if f.Required && f.Default == nil && rec[f.APIName] == nil {
					t.Errorf("%s #%d lacks required %s", c.Object, i, f.APIName)
				}
			}
		}
	}
}

func viaJSON(t *testing.T, rec map[string]any) map[string]any {
	t.Helper()
	b, err := json.Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var out map[string]any
	if err := dec.Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestGenerate_SpreadsRecordsOverEveryOptionThatMatters(t *testing.T) {
	snap := salesSnapshot(t)
	w, _ := generate(t, demo.Options{Seed: 11, Now: now})
	for _, of := range []struct{ object, field string }{
		{"opportunity", "stage"}, {"opportunity", "type"}, {"account", "lifecycle_stage"}, {"account", "region"},
		{"account", "tier"}, {"account", "industry"}, {"account", "size"}, {"account", "source"},
		{"lead", "status"}, {"activity", "type"},
	} {
		used := map[any]bool{}
		for _, rec := range w.records(of.object) {
			used[rec[of.field]] = true
		}
		for _, opt := range snap.Object(of.object).Field(of.field).Options {
			if !used[opt.APIName] {
				t.Errorf("no %s has %s %s", of.object, of.field, opt.APIName)
			}
		}
	}
}

func TestGenerate_DatesDealsAndActivitiesAroundNow(t *testing.T) {
	w, _ := generate(t, demo.Options{Seed: 5, Now: now})
	today := now.In(time.FixedZone("CST", 8*3600)).Format(time.DateOnly)
	yearAgo := now.AddDate(-1, 0, -1).Format(time.DateOnly)
	halfYear := now.AddDate(0, 6, 1).Format(time.DateOnly)
	for _, rec := range w.records("opportunity") {
		closeDate, stage := rec["close_date"].(string), rec["stage"].(string)
		if strings.HasPrefix(stage, "closed_") {
			if closeDate >= today || closeDate < yearAgo {
				t.Errorf("%s deal %q closed on %s, want within the year before %s", stage, rec["name"], closeDate, today)
			}
		} else if closeDate <= today || closeDate > halfYear {
			t.Errorf("open deal %q closes on %s, want within six months after %s", rec["name"], closeDate, today)
		}
		if rec["currency"] == "CNY" {
			amount := rec["amount"].(string)
			var n int64
			if _, err := fmt.Sscanf(amount, "%d.00", &n); err != nil || n < 20_000 || n > 2_000_000 {
				t.Errorf("deal %q amount %s, want 20,000.00-2,000,000.00 CNY", rec["name"], amount)
			}
		}
	}
	var past, done int
	for _, rec := range w.records("activity") {
		due, err := time.Parse(time.RFC3339, rec["due_at"].(string))
		if err != nil || !strings.HasSuffix(rec["due_at"].(string), "Z") {
			t.Fatalf("due_at %v is not RFC 3339 UTC", rec["due_at"])
		}
		if due.Before(now.AddDate(0, 0, -91)) || due.After(now.AddDate(0, 0, 31)) {
			t.Errorf("activity %q due %s, want within 90 days before and 30 after now", rec["name"], due)
		}
		if due.After(now) && rec["done"] == true {
			t.Errorf("future activity %q is done", rec["name"])
		}
		if due.Before(now) {
			past++
			if rec["done"] == true {
				done++
			}
		}
	}
	if past == 0 || done*100/past < 75 {
		t.Errorf("%d of %d past activities are done, want most", done, past)
	}
}

func TestGenerate_NamesAccountsInChineseAndEnglish(t *testing.T) {
	w, _ := generate(t, demo.Options{Seed: 9, Now: now})
	accounts := w.records("account")
	english := 0
	regionOf := map[string]string{"上海": "east_china", "北京": "north_china", "深圳": "south_china", "武汉": "central_china",
		"成都": "southwest_china", "西安": "northwest_china", "沈阳": "northeast_china"}
	names := map[any]bool{}
	for _, rec := range accounts {
		name := rec["name"].(string)
		names[name] = true
		if !strings.HasSuffix(name, "公司") {
			english++
			continue
		}
		for city, region := range regionOf {
			if strings.HasPrefix(name, city) && rec["region"] != region {
				t.Errorf("%s is in region %v, want %s", name, rec["region"], region)
			}
		}
	}
	if share := english * 100 / len(accounts); share < 20 || share > 40 {
		t.Errorf("%d%% of accounts have English names, want about 30%%", share)
	}
	if len(names) != len(accounts) {
		t.Errorf("%d account names repeat", len(accounts)-len(names))
	}
}

func TestGenerate_ScalesWithAccounts(t *testing.T) {
	_, sum := generate(t, demo.Options{Seed: 1, Now: now, Accounts: 30})
	if sum["account"] != 30 || sum["opportunity"] != 40 || sum["contact"] != 60 {
		t.Fatalf("summary = %v, want 30 accounts, 60 contacts, 40 opportunities", sum)
	}
	if _, err := demo.Generate(context.Background(), &memWriter{}, demo.Options{Accounts: -1}); err == nil {
		t.Fatal("negative accounts accepted")
	}
}

type failingWriter struct {
	memWriter
	failOn string
}

func (w *failingWriter) CreateMany(ctx context.Context, object string, records []map[string]any) ([]string, error) {
	if object == w.failOn {
		return nil, errors.New("disk full")
	}
	return w.memWriter.CreateMany(ctx, object, records)
}

func TestGenerate_StopsAtTheFirstWriterError(t *testing.T) {
	w := &failingWriter{failOn: "lead"}
	sum, err := demo.Generate(context.Background(), w, demo.Options{Seed: 1, Now: now})
	if err == nil || !strings.Contains(err.Error(), "disk full") || !strings.Contains(err.Error(), "lead") {
		t.Fatalf("err = %v, want the writer's error naming lead", err)
	}
	if sum["contact"] == 0 || sum["lead"] != 0 || sum["opportunity"] != 0 {
		t.Fatalf("summary = %v, want what was created before leads", sum)
	}
}
