package expression

import (
	"sort"
	"strings"

	"github.com/tessera-crm/tessera/metadata"
)

// Where a name's value comes from at run time.
type source int

const (
	fromRecord  source = iota // a field of the record
	fromRelated               // a field of the record a lookup points to
	fromPrior                 // a field's value before the update
	fromChanged               // whether a field changed in this write
	fromUser                  // the acting user
	fromNow                   // the current instant
	fromToday                 // the current day in the tenant's time zone
	fromExtra                 // a name the caller declared
)

// Name is one identifier an expression may read: a field, a lookup path
// (account_id.tier), prior.<field>, $user.<attribute>, $now or $today.
type Name struct {
	Name   string          `json:"name"`
	Type   Type            `json:"type"`
	Labels metadata.Labels `json:"labels,omitempty"`
	// Options are a picklist's values, for completion, and OptionLabels
	// their labels.
	Options      []string                   `json:"options,omitempty"`
	OptionLabels map[string]metadata.Labels `json:"option_labels,omitempty"`

	src    source
	field  string // the field read (own, related or prior)
	lookup string // the lookup field a path goes through
	conv   func(any) any
	// fieldConv converts the changed field's values, for is_changed.
	fieldConv func(any) any
}

// userAttributes are the acting user's attributes, as $user.<name>.
var userAttributes = []struct {
	name   string
	labels metadata.Labels
}{
	{"id", metadata.Labels{"en": "User id", "zh-CN": "用户 ID"}},
	{"email", metadata.Labels{"en": "User email", "zh-CN": "用户邮箱"}},
	{"name", metadata.Labels{"en": "User name", "zh-CN": "用户姓名"}},
	{"role", metadata.Labels{"en": "Role (api name)", "zh-CN": "角色（API 名称）"}},
	{"team", metadata.Labels{"en": "Team or department (name)", "zh-CN": "团队或部门（名称）"}},
	{"manager", metadata.Labels{"en": "Manager's user id", "zh-CN": "上级的用户 ID"}},
}

// scopeKey identifies the set of names an Env declares on an object, for
// the object's memo.
type scopeKey struct {
	prior bool
	extra string
}

// names returns the names env declares, by name. They are computed once
// per object, snapshot and kind of env.
func names(env Env) map[string]*Name {
	key := scopeKey{prior: env.Prior, extra: extraKey(env.Extra)}
	return env.Object.Memo(key, func() any { return buildNames(env) }).(map[string]*Name)
}

func extraKey(extra map[string]Type) string {
	if len(extra) == 0 {
		return ""
	}
	keys := make([]string, 0, len(extra))
	for k, t := range extra {
		keys = append(keys, k+":"+string(t))
	}
	sort.Strings(keys)
	return strings.Join(keys, ",")
}

func buildNames(env Env) map[string]*Name {
	out := map[string]*Name{}
	add := func(n *Name) {
		n.conv = converter(n.Type)
		out[n.Name] = n
	}
	for _, sf := range systemFields {
		add(&Name{Name: sf.name, Type: sf.typ, src: fromRecord, field: sf.name})
	}
	for _, f := range env.Object.Fields {
		if !f.Active || f.Encrypted {
			continue // an encrypted value must not leak into computed ones
		}
		add(fieldName(f.APIName, f, fromRecord, f.APIName, ""))
		if env.Prior {
			n := fieldName("prior."+f.APIName, f, fromPrior, f.APIName, "")
			n.Labels = prefixed(f.Labels, "Prior ", "原值 ")
			add(n)
			add(&Name{Name: "$changed." + f.APIName, Type: Boolean, src: fromChanged, field: f.APIName, fieldConv: converter(FieldType(f))})
		}
		if f.Type != metadata.TypeLookup {
			continue
		}
		target := env.Snapshot.Object(f.Target)
		if target == nil {
			continue
		}
		for _, sf := range systemFields {
			add(&Name{Name: f.APIName + "." + sf.name, Type: sf.typ, src: fromRelated, field: sf.name, lookup: f.APIName})
		}
		for _, tf := range target.Fields {
			if !tf.Active || tf.Encrypted {
				continue
			}
			n := fieldName(f.APIName+"."+tf.APIName, tf, fromRelated, tf.APIName, f.APIName)
			n.Labels = joined(f.Labels, tf.Labels)
			add(n)
		}
	}
	for _, ua := range userAttributes {
		add(&Name{Name: "$user." + ua.name, Type: Text, Labels: ua.labels, src: fromUser, field: ua.name})
	}
	add(&Name{Name: "$now", Type: Datetime, Labels: metadata.Labels{"en": "Now", "zh-CN": "当前时间"}, src: fromNow})
	add(&Name{Name: "$today", Type: Date, Labels: metadata.Labels{"en": "Today (tenant time zone)", "zh-CN": "今天（租户时区）"}, src: fromToday})
	for k, t := range env.Extra {
		add(&Name{Name: k, Type: t, src: fromExtra, field: k})
	}
	return out
}

func fieldName(name string, f *metadata.Field, src source, field, lookup string) *Name {
	n := &Name{Name: name, Type: FieldType(f), Labels: f.Labels, src: src, field: field, lookup: lookup}
	for _, o := range f.Options {
		if o.Active {
			n.Options = append(n.Options, o.APIName)
			if n.OptionLabels == nil {
				n.OptionLabels = map[string]metadata.Labels{}
			}
			n.OptionLabels[o.APIName] = o.Labels
		}
	}
	return n
}

func prefixed(l metadata.Labels, en, zh string) metadata.Labels {
	return metadata.Labels{"en": en + l.Pick("en"), "zh-CN": zh + l.Pick("zh-CN")}
}

func joined(a, b metadata.Labels) metadata.Labels {
	return metadata.Labels{"en": a.Pick("en") + " › " + b.Pick("en"), "zh-CN": a.Pick("zh-CN") + " › " + b.Pick("zh-CN")}
}

// Names lists what env declares, sorted, for completion in editors.
func Names(env Env) []*Name {
	m := names(env)
	out := make([]*Name, 0, len(m))
	for _, n := range m {
		if n.src == fromChanged {
			continue // written as is_changed("field")
		}
		out = append(out, n)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
