package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// chinaTime is China Standard Time, fixed so the generator needs no tzdata.
var chinaTime = time.FixedZone("CST", 8*3600)

// gen draws everything from one seeded source and remembers the names it
// handed out, so companies, domains and e-mail addresses do not repeat.
// Only integer draws feed values, so a seed gives the same data everywhere.
type gen struct {
	rng       *rand.Rand
	now       time.Time // in China time
	today     time.Time // midnight China time
	companies map[string]bool
	domains   map[string]bool
	emails    map[string]bool
}

func newGen(opts Options) *gen {
	now := opts.Now.In(chinaTime)
	return &gen{
		rng:       rand.New(rand.NewPCG(uint64(opts.Seed), 0x7e55e7a)),
		now:       now,
		today:     time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, chinaTime),
		companies: map[string]bool{},
		domains:   map[string]bool{},
		emails:    map[string]bool{},
	}
}

// between returns an integer in [lo, hi].
func (g *gen) between(lo, hi int) int { return lo + g.rng.IntN(hi-lo+1) }

// chance reports true with probability percent/100.
func (g *gen) chance(percent int) bool { return g.rng.IntN(100) < percent }

func pick[T any](g *gen, xs []T) T { return xs[g.rng.IntN(len(xs))] }

// weighted returns an index with probability proportional to its weight.
func (g *gen) weighted(weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := g.rng.IntN(total)
	for i, w := range weights {
		if n < w {
			return i
		}
		n -= w
	}
	return len(weights) - 1
}

// choice is a value with its weight.
type choice struct {
	value  string
	weight int
}

func (g *gen) choose(cs []choice) string {
	weights := make([]int, len(cs))
	for i, c := range cs {
		weights[i] = c.weight
	}
	return cs[g.weighted(weights)].value
}

// logBetween returns a value in [lo, hi] spread roughly evenly on a log
// scale: it picks one of the 1-2-5 steps inside the range, then a value in
// that step. Money is like that: as many 50k deals as 500k ones.
func (g *gen) logBetween(lo, hi int64) int64 {
	cuts := []int64{lo}
	for s := int64(1); s <= hi; s *= 10 {
		for _, m := range []int64{1, 2, 5} {
			if c := s * m; c > lo && c < hi {
				cuts = append(cuts, c)
			}
		}
	}
	cuts = append(cuts, hi)
	i := g.rng.IntN(len(cuts) - 1)
	return cuts[i] + g.rng.Int64N(cuts[i+1]-cuts[i]+1)
}

// digits returns n random decimal digits.
func (g *gen) digits(n int) string {
	var b strings.Builder
	for range n {
		b.WriteByte(byte('0' + g.rng.IntN(10)))
	}
	return b.String()
}

// company is where an account or a lead works, with what follows from its
// location.
type company struct {
	name, short string
	english     bool
	abroad      bool
	domain      string
	region      string
	areaCode    string // mainland landline prefix, when in China
	countryCode string // when abroad
	currency    string // option of opportunity.currency
	cnyPerMille int64  // CNY per 1000 units of currency
	phone       string
	address     string
}

// chineseCompany names a mainland company the way they are registered:
// city + brand + business + 有限公司, e.g. 上海启明精密制造有限公司.
func (g *gen) chineseCompany(ind industry, large bool) company {
	var c company
	var brand word
	var city chinaCity
	for try := 0; try < 20; try++ {
		city = g.chinaCity()
		head, tail := pick(g, brandHeads), pick(g, brandTails)
		for tail.zh == head.zh {
			tail = pick(g, brandTails)
		}
		brand = word{head.zh + tail.zh, head.pinyin + tail.pinyin}
		business := pick(g, ind.zh)
		suffix := "有限公司"
		if large && g.chance(50) {
			suffix = pick(g, []string{"股份有限公司", "集团有限公司"})
		}
		c.name = city.zh + brand.zh + business.full + suffix
		c.short = brand.zh + business.short
		if !g.companies[c.name] {
			break
		}
	}
	g.companies[c.name] = true
	c.region, c.areaCode, c.currency, c.cnyPerMille = city.region, city.areaCode, "CNY", 1000
	c.domain = g.domain(brand.pinyin+"."+pick(g, []string{"com", "com.cn", "cn"}), brand.pinyin+city.pinyin+".com")
	c.phone = g.landline(city.areaCode)
	c.address = fmt.Sprintf("%s市%s%d号", city.zh, pick(g, roads).zh, g.between(1, 999))
	if g.chance(50) {
		c.address += fmt.Sprintf("%s%d层", pick(g, buildings), g.between(2, 28))
	}
	return c
}

// englishCompany names an international company: abroad, or a subsidiary
// registered in a mainland city.
func (g *gen) englishCompany(ind industry) company {
	c := company{english: true}
	abroad := g.chance(60)
	foreign, city := pick(g, foreignCities), g.chinaCity()
	var brand, business string
	for try := 0; try < 20; try++ {
		brand, business = pick(g, englishBrands), pick(g, ind.en)
		if abroad {
			c.name = fmt.Sprintf("%s %s %s", brand, business, pick(g, foreign.suffixes))
		} else {
			c.name = fmt.Sprintf("%s %s (%s) Co., Ltd.", brand, business, city.en)
		}
		if !g.companies[c.name] {
			break
		}
	}
	g.companies[c.name] = true
	c.short = brand + " " + business
	if abroad {
		c.abroad, c.region, c.countryCode = true, "overseas", foreign.countryCode
		c.currency, c.cnyPerMille = foreign.currency, foreign.cnyPerMille
		c.phone = g.foreignLandline(foreign.countryCode)
		c.address = fmt.Sprintf("%d %s, %s, %s", g.between(1, 400), pick(g, foreignStreets), foreign.name, foreign.country)
	} else {
		c.region, c.areaCode, c.currency, c.cnyPerMille = city.region, city.areaCode, "CNY", 1000
		c.phone = g.landline(city.areaCode)
		c.address = fmt.Sprintf("Room %d%02d, %d %s, %s", g.between(2, 30), g.between(1, 20), g.between(1, 999), pick(g, roads).en, city.en)
	}
	base := strings.ToLower(strings.ReplaceAll(brand, " ", ""))
	c.domain = g.domain(base+".com", base+strings.ToLower(strings.ReplaceAll(business, " ", ""))+".com")
	return c
}

func (g *gen) chinaCity() chinaCity {
	weights := make([]int, len(chinaCities))
	for i, c := range chinaCities {
		weights[i] = c.weight
	}
	return chinaCities[g.weighted(weights)]
}

// domain returns the first free of two candidates, else the first with a
// number.
func (g *gen) domain(first, second string) string {
	d := first
	for n := 2; g.domains[d]; n++ {
		if !g.domains[second] {
			d = second
			break
		}
		name, tld, _ := strings.Cut(first, ".")
		d = fmt.Sprintf("%s%d.%s", name, n, tld)
	}
	g.domains[d] = true
	return d
}

func (g *gen) landline(areaCode string) string {
	return fmt.Sprintf("%s-%d%s", areaCode, g.between(5, 8), g.digits(7))
}

func (g *gen) foreignLandline(countryCode string) string {
	return fmt.Sprintf("%s %d%s %s", countryCode, g.between(2, 8), g.digits(3), g.digits(4))
}

var mobilePrefixes = []string{"130", "131", "132", "135", "136", "137", "138", "139", "150", "151", "152", "155", "157", "158", "159", "177", "180", "181", "185", "186", "187", "188", "189", "199"}

// mobile returns a mobile number where the company is.
func (g *gen) mobile(c company) string {
	if c.abroad {
		return fmt.Sprintf("%s 9%s %s", c.countryCode, g.digits(3), g.digits(4))
	}
	return fmt.Sprintf("+86 %s %s %s", pick(g, mobilePrefixes), g.digits(4), g.digits(4))
}

// person is someone's name and the romanized parts for addresses.
type person struct {
	name          string
	given, family string // ASCII, lower case
	chinese       bool
}

// chinesePerson favours common surnames: the lower of two draws leans
// towards the front of the list.
func (g *gen) chinesePerson() person {
	i := g.rng.IntN(len(surnames))
	j := g.rng.IntN(len(surnames))
	s := surnames[min(i, j)]
	n := pick(g, givenNames)
	return person{name: s.zh + n.zh, given: n.pinyin, family: s.pinyin, chinese: true}
}

func (g *gen) englishPerson() person {
	first, last := pick(g, englishFirstNames), pick(g, englishLastNames)
	return person{name: first + " " + last, given: strings.ToLower(first), family: strings.ToLower(last)}
}

// personFor returns someone who works at c.
func (g *gen) personFor(c company) person {
	if c.english && (c.abroad || g.chance(40)) {
		return g.englishPerson()
	}
	return g.chinesePerson()
}

// email returns an unused address for p at domain; some Chinese contacts
// give a personal mailbox instead.
func (g *gen) email(p person, domain string) string {
	var local string
	switch {
	case p.chinese && g.chance(12):
		if g.chance(50) {
			local, domain = fmt.Sprint(g.between(10000000, 2999999999)), "qq.com"
		} else {
			local, domain = p.family+p.given+g.digits(2), pick(g, []string{"163.com", "126.com"})
		}
	case p.chinese:
		local = pick(g, []string{p.family + p.given, p.given + "." + p.family, p.family + "." + p.given})
	default:
		local = pick(g, []string{p.given + "." + p.family, p.given[:1] + p.family})
	}
	addr := local + "@" + domain
	for n := 2; g.emails[addr]; n++ {
		addr = fmt.Sprintf("%s%d@%s", local, n, domain)
	}
	g.emails[addr] = true
	return addr
}

func (g *gen) wechat(p person) string {
	return pick(g, []string{p.family + p.given, p.given + "_" + p.family, "wxid_" + p.family}) + g.digits(g.between(2, 4))
}
