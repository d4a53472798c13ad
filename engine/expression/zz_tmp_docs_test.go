package expression

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/metadata"
)

func docsSnap() *metadata.Snapshot {
	opt := func(name, en, zh string) metadata.Option {
		return metadata.Option{APIName: name, Labels: metadata.Labels{"en": en, "zh-CN": zh}, Active: true}
	}
	stage := func(name, en, zh string, p int) metadata.Option {
		o := opt(name, en, zh)
		o.Probability = ptr(p)
		return o
	}
	f := func(name, typ string) *metadata.Field { return &metadata.Field{APIName: name, Type: typ, Active: true} }
	account := &metadata.Object{APIName: "account", NameField: "name", Fields: []*metadata.Field{
		f("name", metadata.TypeText),
		{APIName: "tier", Type: metadata.TypePicklist, Active: true, Options: []metadata.Option{opt("a", "A", "A类"), opt("b", "B", "B类"), opt("c", "C", "C类")}},
		{APIName: "region", Type: metadata.TypePicklist, Active: true, Options: []metadata.Option{opt("east_china", "East China", "华东"), opt("north_china", "North China", "华北")}},
		{APIName: "annual_revenue", Type: metadata.TypeCurrency, Active: true, Scale: ptr(2)},
		{APIName: "tax_id", Type: metadata.TypeText, Active: true, Encrypted: true},
	}}
	contact := &metadata.Object{APIName: "contact", NameField: "name", Fields: []*metadata.Field{
		f("name", metadata.TypeText), f("phone", metadata.TypePhone), f("email", metadata.TypeEmail), f("title", metadata.TypeText),
	}}
	probField := os.Getenv("DOCS_PROB_FIELD") != ""
	oppFields := []*metadata.Field{
		f("name", metadata.TypeText),
		{APIName: "account_id", Type: metadata.TypeLookup, Target: "account", Active: true},
		{APIName: "contact_id", Type: metadata.TypeLookup, Target: "contact", Active: true},
		{APIName: "amount", Type: metadata.TypeCurrency, Active: true, Scale: ptr(2)},
		{APIName: "budget", Type: metadata.TypeCurrency, Active: true, Scale: ptr(2)},
		{APIName: "discount", Type: metadata.TypePercent, Active: true, Scale: ptr(2)},
		f("quantity", metadata.TypeInteger),
		{APIName: "stage", Type: metadata.TypePicklist, Active: true, Pipeline: &metadata.Pipeline{}, Options: []metadata.Option{
			stage("qualification", "Qualification", "验证客户", 10), stage("needs_analysis", "Needs Analysis", "需求分析", 20),
			stage("proposal", "Proposal / Quote", "方案报价", 50), stage("negotiation", "Negotiation", "商务谈判", 75),
			stage("closed_won", "Closed Won", "赢单", 100), stage("closed_lost", "Closed Lost", "输单", 0)}},
		{APIName: "type", Type: metadata.TypePicklist, Active: true, Options: []metadata.Option{opt("new_business", "New Business", "新客户"), opt("renewal", "Renewal", "续约"), opt("upsell", "Upsell", "增购")}},
		{APIName: "currency", Type: metadata.TypePicklist, Active: true, Options: []metadata.Option{opt("CNY", "CNY", "人民币"), opt("USD", "USD", "美元"), opt("JPY", "JPY", "日元")}},
		f("close_date", metadata.TypeDate),
		f("signed_date", metadata.TypeDate),
		f("last_contacted_at", metadata.TypeDatetime),
		f("next_step", metadata.TypeText),
		{APIName: "solutions", Type: metadata.TypeMultiPicklist, Active: true, Options: []metadata.Option{opt("erp", "ERP", "ERP"), opt("crm", "CRM", "CRM"), opt("bi", "BI", "BI")}},
		f("is_key", metadata.TypeBoolean),
		f("description", metadata.TypeLongText),
		{APIName: "old_code", Type: metadata.TypeText, Active: false},
	}
	if probField {
		oppFields = append(oppFields, &metadata.Field{APIName: "probability", Type: metadata.TypePercent, Active: true})
	}
	opp := &metadata.Object{APIName: "opportunity", NameField: "name", Fields: oppFields}
	quote := &metadata.Object{APIName: "quote", NameField: "name", Fields: []*metadata.Field{
		f("name", metadata.TypeText), f("quote_number", metadata.TypeText),
		{APIName: "opportunity_id", Type: metadata.TypeLookup, Target: "opportunity", Active: true},
		{APIName: "list_price", Type: metadata.TypeCurrency, Active: true, Scale: ptr(2)},
		f("quantity", metadata.TypeInteger),
		{APIName: "discount", Type: metadata.TypePercent, Active: true, Scale: ptr(2)},
		f("valid_until", metadata.TypeDate),
		{APIName: "status", Type: metadata.TypePicklist, Active: true, Options: []metadata.Option{opt("draft", "Draft", "草稿"), opt("pending_approval", "Pending approval", "审批中"), opt("approved", "Approved", "已审批")}},
	}}
	return metadata.NewSnapshot(metadata.Tenant{ID: "t1", Key: "xinghai", TimeZone: "Asia/Shanghai", Locale: "zh-CN", Currency: "CNY"}, 1, []*metadata.Object{account, contact, opp, quote})
}

var docsNow = time.Date(2026, 11, 24, 20, 30, 0, 0, time.UTC)
var docsUser = User{ID: "usr_zhangwei", Email: "zhang.wei@example.com", Name: "张伟", Role: "sales_rep", Team: "华东销售部", Manager: "usr_lina"}

func docsOpp() map[string]any {
	return map[string]any{
		"id": "opp_0042", "owner_id": "usr_zhangwei", "created_at": "2026-10-08T03:15:00Z", "version": int64(7),
		"name": "星海科技 ERP 升级", "account_id": "acc_0007", "contact_id": "con_0011",
		"amount": "120000.00", "discount": "15", "quantity": int64(12), "stage": "negotiation", "type": "upsell", "currency": "CNY",
		"close_date": "2026-11-20", "last_contacted_at": "2026-11-01T02:00:00Z", "next_step": nil,
		"solutions": []any{"erp", "bi"}, "is_key": true, "probability": "75",
	}
}

func docsInput(mode string) (*metadata.Object, *Input) {
	snap := docsSnap()
	rel := map[string]map[string]any{
		"account_id": {"id": "acc_0007", "name": "星海科技", "tier": "a", "region": "east_china", "annual_revenue": "50000000.00"},
		"contact_id": {"name": "李娜", "phone": "138-0000-1234", "email": "Li.Na@XingHai.cn", "title": "采购经理"},
	}
	in := &Input{Record: docsOpp(), Related: rel, User: docsUser, Now: docsNow}
	obj := snap.Object("opportunity")
	switch mode {
	case "update":
		prior := docsOpp()
		prior["stage"], prior["amount"], prior["discount"] = "proposal", "150000.00", "10"
		in.Prior = prior
	case "midnight":
		in.Record["last_contacted_at"] = "2026-11-01T00:00:00Z"
	case "quote":
		obj = snap.Object("quote")
		in.Record = map[string]any{"id": "quo_0101", "name": "ERP 升级报价", "quote_number": "QT-2026-0042", "opportunity_id": "opp_0042",
			"list_price": "10000.00", "quantity": int64(12), "discount": "15", "valid_until": "2026-12-15", "status": "draft"}
		in.Related = map[string]map[string]any{"opportunity_id": docsOpp()}
	}
	return obj, in
}

func TestZZTmpDocs(t *testing.T) {
	fh, err := os.Open(os.Getenv("DOCS_EXPRS"))
	if err != nil {
		t.Skip()
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		line := sc.Text()
		if strings.TrimSpace(line) == "" {
			continue
		}
		mode, src, _ := strings.Cut(line, "\t")
		result := Any
		if strings.HasPrefix(mode, "bool") {
			result = Boolean
		}
		obj, in := docsInput(strings.TrimPrefix(mode, "bool"))
		snap := docsSnap()
		obj = snap.Object(obj.APIName)
		p, err := Compile(src, Env{Snapshot: snap, Object: obj, Prior: true, Result: result})
		if err != nil {
			pe, _ := problem.As(err)
			if pe != nil {
				fe := pe.Errors[0]
				end := -1
				if fe.End != nil {
					end = *fe.End
				}
				fmt.Printf("%s\t%s\tCOMPILE ERROR pos=%d end=%d sugg=%q: %s\n", mode, src, *fe.Position, end, fe.Suggestion, fe.Message)
			} else {
				fmt.Printf("%s\t%s\tCOMPILE ERROR %v\n", mode, src, err)
			}
			continue
		}
		out, err := p.Run(Vars(in, p))
		if err != nil {
			fmt.Printf("%s\t%s\tRUN ERROR: %v\n", mode, src, err)
			continue
		}
		fmt.Printf("%s\t%s\t=> %#v  [%s %T]\n", mode, src, JSON(out), p.Result, out)
	}
}
