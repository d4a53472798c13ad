package demo

import (
	"fmt"
	"time"
)

// The records below use the field names of the sales template
// (tenants/template/sales.yaml); the tests check every value against it.
// Empty values are left out rather than sent as "".

// record collects field values, skipping empty ones.
type record map[string]any

func (r record) text(field, v string) {
	if v != "" {
		r[field] = v
	}
}

func (r record) money(field string, v int64) {
	if v != 0 {
		r[field] = fmt.Sprintf("%d.00", v)
	}
}

func (r record) ref(field, id string) { r.text(field, id) }

func (d *dataset) productRecords() []map[string]any {
	out := make([]map[string]any, 0, len(catalogue))
	for _, p := range catalogue {
		r := record{"name": p.name, "code": p.code, "family": p.family, "unit": p.unit, "active": p.active}
		r.money("list_price", int64(p.price))
		r.text("description", p.description)
		out = append(out, r)
	}
	return out
}

func (d *dataset) accountRecords() []map[string]any {
	out := make([]map[string]any, 0, len(d.accounts))
	for _, a := range d.accounts {
		r := record{
			"name": a.name, "industry": a.industry, "size": a.size, "region": a.region,
			"lifecycle_stage": a.lifecycle, "tier": a.tier, "source": a.source,
		}
		r.text("phone", a.phone)
		if a.website {
			r.text("website", "https://www."+a.domain)
		}
		r.text("address", a.address)
		r.money("annual_revenue", a.revenue)
		r.text("description", a.description)
		out = append(out, r)
	}
	return out
}

func (d *dataset) setAccountIDs(ids []string) {
	for i, a := range d.accounts {
		a.id = ids[i]
	}
}

func (d *dataset) contactRecords() []map[string]any {
	out := make([]map[string]any, 0, len(d.contacts))
	for _, c := range d.contacts {
		r := record{"name": c.name, "is_decision_maker": c.decisionMaker}
		r.ref("account_id", c.account.id)
		r.text("title", c.role.title)
		r.text("department", c.role.department)
		r.text("email", c.email)
		r.text("phone", c.phone)
		r.text("mobile", c.mobile)
		r.text("wechat", c.wechat)
		r.text("notes", c.notes)
		out = append(out, r)
	}
	return out
}

func (d *dataset) setContactIDs(ids []string) {
	for i, c := range d.contacts {
		c.id = ids[i]
	}
}

func (d *dataset) leadRecords() []map[string]any {
	out := make([]map[string]any, 0, len(d.leads))
	for _, l := range d.leads {
		r := record{
			"name": l.person.name, "company": l.company.name, "source": l.source, "status": l.status,
			"converted": l.converted != nil, "region": l.region,
		}
		if l.converted != nil {
			r.ref("converted_account_id", l.converted.id)
		}
		r.text("title", l.title)
		r.text("email", l.email)
		r.text("phone", l.phone)
		r.money("estimated_amount", l.amount)
		r.text("description", l.description)
		out = append(out, r)
	}
	return out
}

func (d *dataset) setLeadIDs(ids []string) {
	for i, l := range d.leads {
		l.id = ids[i]
	}
}

// opportunityRecords leaves probability out: the engine sets it from the
// stage, as the pipeline's probability_field.
func (d *dataset) opportunityRecords() []map[string]any {
	out := make([]map[string]any, 0, len(d.opportunities))
	for _, o := range d.opportunities {
		r := record{
			"name": o.name, "account_id": o.account.id, "currency": o.account.currency, "stage": o.stage,
			"close_date": o.closeDate.Format(time.DateOnly), "type": o.kind, "source": o.source,
		}
		r.money("amount", o.amount)
		if o.contact != nil {
			r.ref("contact_id", o.contact.id)
		}
		r.text("next_step", o.nextStep)
		r.text("description", o.detail)
		out = append(out, r)
	}
	return out
}

func (d *dataset) setOpportunityIDs(ids []string) {
	for i, o := range d.opportunities {
		o.id = ids[i]
	}
}

func (d *dataset) activityRecords() []map[string]any {
	out := make([]map[string]any, 0, len(d.activities))
	for _, a := range d.activities {
		r := record{"name": a.name, "type": a.kind, "due_at": a.due.UTC().Format(time.RFC3339), "done": a.done}
		if a.account != nil {
			r.ref("account_id", a.account.id)
		}
		if a.contact != nil {
			r.ref("contact_id", a.contact.id)
		}
		if a.opportunity != nil {
			r.ref("opportunity_id", a.opportunity.id)
		}
		if a.lead != nil {
			r.ref("lead_id", a.lead.id)
		}
		r.text("notes", a.notes)
		out = append(out, r)
	}
	return out
}
