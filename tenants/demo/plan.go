package demo

import (
	"fmt"
	"slices"
	"time"
)

// dataset is the whole demo, planned in memory before anything is written.
// Records point at each other through pointers; ids are filled in as each
// object is written, before the records that look it up are built.
type dataset struct {
	accounts      []*account
	contacts      []*contact
	leads         []*lead
	opportunities []*opportunity
	activities    []*activity
}

type account struct {
	id string
	company
	industry, size, tier, source, lifecycle string
	revenue                                 int64 // CNY, 0 when unknown
	website                                 bool
	description                             string
	contacts                                []*contact
	opportunities                           []*opportunity
}

type contact struct {
	id      string
	account *account
	person
	role                         role
	email, phone, mobile, wechat string
	notes                        string
	decisionMaker                bool
}

type lead struct {
	id string
	company
	person
	converted                   *account
	title, email, phone, source string
	status, description         string
	amount                      int64
}

type opportunity struct {
	id                                          string
	account                                     *account
	contact                                     *contact
	name, stage, kind, source, nextStep, detail string
	amount                                      int64 // in the account's currency
	closeDate                                   time.Time
}

func (o *opportunity) closed() bool { return o.stage == "closed_won" || o.stage == "closed_lost" }

type activity struct {
	name, kind  string
	due         time.Time
	done        bool
	account     *account
	contact     *contact
	opportunity *opportunity
	lead        *lead
	notes       string
}

// plan draws the whole dataset. The other objects scale with the number of
// accounts: per 300 accounts, 600 contacts, 150 leads, 400 opportunities
// and 550 activities.
func plan(opts Options) *dataset {
	g := newGen(opts)
	n := opts.Accounts
	d := &dataset{}
	d.accounts = g.accounts(n)
	d.contacts = g.contacts(d.accounts, 2*n)
	d.opportunities = g.opportunities(d.accounts, n*4/3)
	g.settle(d.accounts)
	d.leads = g.leads(d.accounts, n/2)
	d.activities = g.activities(d, n*11/6)
	return d
}

var sizes = []choice{
	{"s_1_49", 20}, {"s_50_199", 30}, {"s_200_499", 22}, {"s_500_999", 13}, {"s_1000_4999", 10}, {"s_5000_plus", 5},
}

// Annual revenue by size, in 10,000 CNY (万元).
var revenueBySize = map[string][2]int64{
	"s_1_49": {200, 3000}, "s_50_199": {2000, 20000}, "s_200_499": {10000, 80000},
	"s_500_999": {30000, 300000}, "s_1000_4999": {100000, 1000000}, "s_5000_plus": {500000, 5000000},
}

// Tier weights (a, b, c) by size: big companies are key accounts.
var tiersBySize = map[string][]choice{
	"s_1_49": {{"a", 3}, {"b", 27}, {"c", 70}}, "s_50_199": {{"a", 8}, {"b", 40}, {"c", 52}},
	"s_200_499": {{"a", 20}, {"b", 50}, {"c", 30}}, "s_500_999": {{"a", 35}, {"b", 50}, {"c", 15}},
	"s_1000_4999": {{"a", 60}, {"b", 35}, {"c", 5}}, "s_5000_plus": {{"a", 80}, {"b", 20}},
}

var sources = []choice{
	{"website", 20}, {"referral", 18}, {"exhibition", 15}, {"cold_call", 12}, {"partner", 15}, {"advertising", 10}, {"other", 10},
}

func (g *gen) industry() industry {
	weights := make([]int, len(industries))
	for i, ind := range industries {
		weights[i] = ind.weight
	}
	return industries[g.weighted(weights)]
}

// accounts draws n accounts, 30% of them international. Their lifecycle
// stage is settled once their deals are known.
func (g *gen) accounts(n int) []*account {
	out := make([]*account, 0, n)
	for range n {
		ind := g.industry()
		a := &account{industry: ind.option, size: g.choose(sizes), source: g.choose(sources)}
		large := a.size == "s_1000_4999" || a.size == "s_5000_plus"
		if g.chance(30) {
			a.company = g.englishCompany(ind)
		} else {
			a.company = g.chineseCompany(ind, large)
		}
		a.tier = g.choose(tiersBySize[a.size])
		if g.chance(70) {
			r := revenueBySize[a.size]
			a.revenue = g.logBetween(r[0], r[1]) * 10000
		}
		a.website = g.chance(80)
		if g.chance(25) {
			a.description = pick(g, byLanguage(a.english, accountNotesZH, accountNotesEN))
		}
		out = append(out, a)
	}
	return out
}

var tierWeight = map[string]int{"a": 5, "b": 3, "c": 1}

// contacts gives every account one contact, most often its decision maker,
// and spreads the rest towards key accounts, at most six per account.
func (g *gen) contacts(accounts []*account, total int) []*contact {
	counts := make([]int, len(accounts))
	weights := make([]int, len(accounts))
	for i, a := range accounts {
		counts[i] = 1
		weights[i] = tierWeight[a.tier]
	}
	for extra := total - len(accounts); extra > 0 && len(accounts) > 0; extra-- {
		i := g.weighted(weights)
		for try := 0; counts[i] >= 6 && try < 10; try++ {
			i = g.weighted(weights)
		}
		counts[i]++
	}
	var out []*contact
	for i, a := range accounts {
		for k := range counts[i] {
			c := g.contact(a, k == 0 && g.chance(70))
			a.contacts = append(a.contacts, c)
			out = append(out, c)
		}
	}
	return out
}

func (g *gen) contact(a *account, deciding bool) *contact {
	c := &contact{account: a, person: g.personFor(a.company)}
	roles := chineseRoles
	if a.english {
		roles = englishRoles
	}
	for {
		c.role = pick(g, roles)
		if !deciding || c.role.decides {
			break
		}
	}
	c.decisionMaker = c.role.decides
	c.email = g.email(c.person, a.domain)
	c.mobile = g.mobile(a.company)
	if g.chance(40) {
		c.phone = g.landlineNear(a.company)
	}
	if c.chinese && !a.abroad && g.chance(65) {
		c.wechat = g.wechat(c.person)
	}
	if g.chance(20) {
		c.notes = pick(g, byLanguage(a.english, contactNotesZH, contactNotesEN))
	}
	return c
}

// landlineNear is an office number at the company's switchboard.
func (g *gen) landlineNear(c company) string {
	if c.abroad {
		return g.foreignLandline(c.countryCode)
	}
	return g.landline(c.areaCode)
}

var stages = []choice{
	{"qualification", 16}, {"needs_analysis", 16}, {"proposal", 15}, {"negotiation", 13}, {"closed_won", 22}, {"closed_lost", 18},
}

// Days from today within which an open deal of the stage is expected to close.
var openHorizon = map[string]int{"qualification": 180, "needs_analysis": 150, "proposal": 120, "negotiation": 60}

// opportunities draws n deals on accounts weighted towards key accounts;
// the first six cover every stage. Their names and types come in settle.
func (g *gen) opportunities(accounts []*account, n int) []*opportunity {
	if len(accounts) == 0 {
		return nil
	}
	weights := make([]int, len(accounts))
	for i, a := range accounts {
		weights[i] = tierWeight[a.tier]
	}
	out := make([]*opportunity, 0, n)
	for i := range n {
		a := accounts[g.weighted(weights)]
		o := &opportunity{account: a, stage: g.choose(stages)}
		if i < len(stages) {
			o.stage = stages[i].value
		}
		if o.closed() {
			o.closeDate = g.today.AddDate(0, 0, -g.between(1, 365))
		} else {
			o.closeDate = g.today.AddDate(0, 0, g.between(1, openHorizon[o.stage]))
		}
		o.amount = g.dealAmount(a)
		o.source = a.source
		if g.chance(30) {
			o.source = g.choose(sources)
		}
		o.contact = g.dealContact(a)
		switch {
		case o.stage == "closed_lost" && g.chance(80):
			o.detail = pick(g, byLanguage(a.english, lostReasonsZH, lostReasonsEN))
		case o.stage == "closed_won" && g.chance(30):
			o.detail = pick(g, byLanguage(a.english, wonNotesZH, wonNotesEN))
		case !o.closed():
			o.nextStep = pick(g, byLanguage(a.english, nextStepsZH[o.stage], nextStepsEN[o.stage]))
		}
		a.opportunities = append(a.opportunities, o)
		out = append(out, o)
	}
	return out
}

var dealRange = map[string][2]int64{"a": {100_000, 2_000_000}, "b": {50_000, 800_000}, "c": {20_000, 300_000}}

// dealAmount is a round CNY amount by tier, converted to the account's
// currency.
func (g *gen) dealAmount(a *account) int64 {
	r := dealRange[a.tier]
	cny := g.logBetween(r[0], r[1])
	if cny >= 100_000 {
		cny = cny / 1000 * 1000
	} else {
		cny = cny / 500 * 500
	}
	if a.cnyPerMille == 1000 {
		return cny
	}
	return max(100, cny*1000/a.cnyPerMille/100*100)
}

// dealContact is most often the account's decision maker.
func (g *gen) dealContact(a *account) *contact {
	if len(a.contacts) == 0 || g.chance(10) {
		return nil
	}
	if g.chance(80) {
		for _, c := range a.contacts {
			if c.decisionMaker {
				return c
			}
		}
	}
	return pick(g, a.contacts)
}

// settle makes each account's history consistent: deals before the first
// win are new business, later ones mostly renewals and upsells; accounts
// with two wins are long-term partners, one win a customer, open talks an
// intent. Deal names follow from their type.
func (g *gen) settle(accounts []*account) {
	for _, a := range accounts {
		slices.SortStableFunc(a.opportunities, func(x, y *opportunity) int { return x.closeDate.Compare(y.closeDate) })
		wins := 0
		used := map[string]bool{}
		for _, o := range a.opportunities {
			o.kind = "new_business"
			if wins > 0 {
				o.kind = g.choose([]choice{{"renewal", 4}, {"upsell", 4}, {"new_business", 2}})
			}
			if o.stage == "closed_won" {
				wins++
			}
			o.name = g.dealName(a, o.kind, used)
		}
		switch {
		case wins >= 2, wins == 1 && a.tier == "a" && g.chance(30):
			a.lifecycle = "long_term"
		case wins == 1:
			a.lifecycle = "customer"
		case len(a.opportunities) > 0, g.chance(25):
			a.lifecycle = "intent"
		default:
			a.lifecycle = "prospect"
		}
	}
}

func (g *gen) dealName(a *account, kind string, used map[string]bool) string {
	names := opportunityNamesZH[kind]
	if a.english {
		names = opportunityNamesEN[kind]
	}
	var name string
	for try := 0; try < 5; try++ {
		name = fmt.Sprintf(pick(g, names), a.short)
		if !used[name] {
			break
		}
	}
	for n := 2; used[name]; n++ {
		name = fmt.Sprintf("%s (%d)", fmt.Sprintf(pick(g, names), a.short), n)
	}
	used[name] = true
	return name
}

var leadStatuses = []choice{{"new", 25}, {"working", 35}, {"qualified", 25}, {"unqualified", 15}}

// leads draws n leads; most qualified ones have become accounts.
func (g *gen) leads(accounts []*account, n int) []*lead {
	var engaged []*account
	for _, a := range accounts {
		if a.lifecycle != "prospect" {
			engaged = append(engaged, a)
		}
	}
	out := make([]*lead, 0, n)
	for range n {
		l := &lead{status: g.choose(leadStatuses), source: g.choose(sources)}
		if l.status == "qualified" && len(engaged) > 0 && g.chance(60) {
			l.converted = pick(g, engaged)
			l.company = l.converted.company
			l.source = l.converted.source
		} else if g.chance(85) {
			l.company = g.chineseCompany(g.industry(), false)
		} else {
			l.company = g.englishCompany(g.industry())
		}
		l.person = g.personFor(l.company)
		roles := chineseRoles
		if l.company.english {
			roles = englishRoles
		}
		l.title = pick(g, roles).title
		l.email = g.email(l.person, l.domain)
		l.phone = g.mobile(l.company)
		if g.chance(50) {
			l.amount = g.logBetween(20_000, 500_000) / 1000 * 1000
		}
		if g.chance(40) {
			l.description = pick(g, leadNotes[l.source])
		}
		out = append(out, l)
	}
	return out
}

var activityKinds = []choice{{"call", 30}, {"email", 20}, {"visit", 15}, {"meeting", 15}, {"task", 20}}
var leadActivityKinds = []choice{{"call", 5}, {"email", 3}, {"task", 2}}

// activities draws n activities due between 90 days ago and 30 days ahead,
// in office hours; past ones are mostly done. About one in eight follows up
// a lead; the rest belong to accounts, busier ones with open deals getting
// more, and often to one of their deals.
func (g *gen) activities(d *dataset, n int) []*activity {
	var openLeads []*lead
	for _, l := range d.leads {
		if l.status != "unqualified" && l.converted == nil {
			openLeads = append(openLeads, l)
		}
	}
	weights := make([]int, len(d.accounts))
	for i, a := range d.accounts {
		weights[i] = 1
		for _, o := range a.opportunities {
			weights[i]++
			if !o.closed() {
				weights[i] += 2
			}
		}
	}
	out := make([]*activity, 0, n)
	for range n {
		act := &activity{due: g.officeHour(g.between(-90, 30))}
		if !act.due.After(g.now) {
			act.done = g.chance(90)
		}
		switch {
		case len(openLeads) > 0 && (len(d.accounts) == 0 || g.chance(12)):
			act.lead = pick(g, openLeads)
			act.kind = g.choose(leadActivityKinds)
			act.name = pick(g, leadActivitySubjects[act.kind])
		case len(d.accounts) > 0:
			a := d.accounts[g.weighted(weights)]
			act.account = a
			act.kind = g.choose(activityKinds)
			act.name = pick(g, byLanguage(a.english, activitySubjectsZH[act.kind], activitySubjectsEN[act.kind]))
			act.opportunity = g.dealAt(a, act.due)
			if act.opportunity != nil && act.opportunity.contact != nil && g.chance(70) {
				act.contact = act.opportunity.contact
			} else if len(a.contacts) > 0 && g.chance(85) {
				act.contact = pick(g, a.contacts)
			}
			if act.done && g.chance(35) {
				act.notes = pick(g, byLanguage(a.english, activityNotesZH, activityNotesEN))
			}
		default:
			continue
		}
		out = append(out, act)
	}
	return out
}

// officeHour is a time between 09:00 and 17:45 China time, days from today.
func (g *gen) officeHour(days int) time.Time {
	return g.today.AddDate(0, 0, days).Add(time.Duration(g.between(9, 17))*time.Hour + time.Duration(15*g.between(0, 3))*time.Minute)
}

// dealAt picks, most of the time, one of the account's deals that was still
// open at the given time.
func (g *gen) dealAt(a *account, at time.Time) *opportunity {
	day := time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, chinaTime)
	var open []*opportunity
	for _, o := range a.opportunities {
		if !o.closed() || !o.closeDate.Before(day) {
			open = append(open, o)
		}
	}
	if len(open) == 0 || g.chance(30) {
		return nil
	}
	return pick(g, open)
}

// byLanguage returns en for an international company, else zh.
func byLanguage[T any](english bool, zh, en T) T {
	if english {
		return en
	}
	return zh
}
