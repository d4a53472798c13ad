package expression

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tessera-crm/tessera/metadata"
)

// User is the acting user as $user shows it.
type User struct {
	ID, Email, Name, Role, Team, Manager string
}

func (u User) attribute(name string) string {
	switch name {
	case "id":
		return u.ID
	case "email":
		return u.Email
	case "name":
		return u.Name
	case "role":
		return u.Role
	case "team":
		return u.Team
	case "manager":
		return u.Manager
	}
	return ""
}

// Input is what one evaluation reads. Record values may be in the API form
// (decimals and dates as strings) or canonical (decimal.Decimal, time.Time).
type Input struct {
	Record map[string]any
	// Prior is the record before an update; nil on create.
	Prior map[string]any
	// Related holds, by lookup field, the record it points to (only the
	// fields the programs read; see Program.Related).
	Related map[string]map[string]any
	User    User
	// Now is the current instant; the zero time means time.Now().
	Now   time.Time
	Extra map[string]any
}

// Vars builds the variables the given programs read from in: one map serves
// every program of a save, so each value is converted once.
func Vars(in *Input, progs ...*Program) map[string]any {
	size := 0
	for _, p := range progs {
		size += len(p.reads)
	}
	vars := make(map[string]any, size)
	for _, p := range progs {
		for _, n := range p.reads {
			if _, done := vars[n.Name]; !done {
				vars[n.Name] = n.value(in, p.loc)
			}
		}
	}
	return vars
}

func (n *Name) value(in *Input, loc *time.Location) any {
	v := n.rawValue(in, loc)
	if t, ok := v.(time.Time); ok && n.Type == Datetime {
		return t.In(instantZone(loc))
	}
	return v
}

func (n *Name) rawValue(in *Input, loc *time.Location) any {
	switch n.src {
	case fromRecord:
		return n.conv(in.Record[n.field])
	case fromRelated:
		return n.conv(in.Related[n.lookup][n.field])
	case fromPrior:
		if in.Prior == nil {
			return n.conv(nil)
		}
		return n.conv(in.Prior[n.field])
	case fromChanged:
		cur, set := in.Record[n.field]
		if in.Prior == nil {
			return set && !isBlank(n.fieldConv(cur))
		}
		if !set {
			return false
		}
		return !sameValue(n.fieldConv(cur), n.fieldConv(in.Prior[n.field]))
	case fromUser:
		return in.User.attribute(n.field)
	case fromNow:
		return now(in).In(instantZone(loc))
	case fromToday:
		return dateOf(now(in).In(instantZone(loc)), loc)
	case fromExtra:
		return n.conv(in.Extra[n.field])
	}
	return nil
}

func now(in *Input) time.Time {
	if in.Now.IsZero() {
		return time.Now().UTC()
	}
	return in.Now.UTC()
}

// Dates and instants are both time.Time; what tells them apart is the
// location. A date is midnight in time.UTC itself; an instant is held in
// the tenant's zone, or for a tenant on UTC in instantUTC, a zone of the
// same offset that is not time.UTC. So a date never shifts by a zone, and
// an instant at midnight UTC is still an instant.
var instantUTC = time.FixedZone("UTC", 0)

// isDate reports whether t is a calendar date rather than an instant.
func isDate(t time.Time) bool { return t.Location() == time.UTC }

// instantZone is the location instants are held in for tenant zone loc.
func instantZone(loc *time.Location) *time.Location {
	if loc == nil || loc == time.UTC || loc.String() == "UTC" {
		return instantUTC
	}
	return loc
}

// dateOf is the calendar day of t: a date as is, an instant's day in the
// tenant's zone.
func dateOf(t time.Time, loc *time.Location) time.Time {
	if isDate(t) {
		return t
	}
	if loc != nil {
		t = t.In(loc)
	}
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// converter returns the function that turns a stored or API value into the
// language's value of type t. Blank text is "" and a blank list is empty,
// so that text functions need no nil checks; blank numbers, dates and
// instants stay nil, and the operators treat them as SQL does.
func converter(t Type) func(any) any {
	switch t {
	case Text:
		return func(v any) any {
			switch s := v.(type) {
			case nil:
				return ""
			case string:
				return s
			case fmt.Stringer:
				return s.String()
			}
			return fmt.Sprint(v)
		}
	case Number:
		return func(v any) any {
			if d, ok := toDecimal(v); ok {
				return d
			}
			return nil
		}
	case Boolean:
		return func(v any) any {
			if s, ok := v.(string); ok {
				return s == "true" // a value written as text (a trigger's "to")
			}
			b, _ := v.(bool)
			return b
		}
	case Date:
		return func(v any) any {
			switch x := v.(type) {
			case time.Time:
				return dateOf(x, time.UTC)
			case string:
				if len(x) >= len(metadata.DateLayout) {
					if d, err := time.Parse(metadata.DateLayout, x[:len(metadata.DateLayout)]); err == nil {
						return d
					}
				}
			}
			return nil
		}
	case Datetime:
		return func(v any) any {
			switch x := v.(type) {
			case time.Time:
				return x.In(instantUTC)
			case string:
				if len(x) == len(metadata.DateLayout) {
					if d, err := time.Parse(metadata.DateLayout, x); err == nil {
						return d
					}
				}
				if ts, err := time.Parse(time.RFC3339Nano, x); err == nil {
					return ts.In(instantUTC)
				}
			}
			return nil
		}
	case List:
		return func(v any) any {
			switch l := v.(type) {
			case []string:
				return l
			case []any:
				out := make([]string, 0, len(l))
				for _, x := range l {
					out = append(out, fmt.Sprint(x))
				}
				return out
			}
			return []string{}
		}
	}
	return func(v any) any { return v }
}

// toDecimal converts the numeric forms values arrive in.
func toDecimal(v any) (decimal.Decimal, bool) {
	switch n := v.(type) {
	case decimal.Decimal:
		return n, true
	case int:
		return decimal.NewFromInt(int64(n)), true
	case int64:
		return decimal.NewFromInt(n), true
	case int32:
		return decimal.NewFromInt(int64(n)), true
	case float64:
		return decimal.NewFromFloat(n), true
	case string:
		d, err := decimal.NewFromString(n)
		return d, err == nil
	}
	return decimal.Decimal{}, false
}

func isBlank(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case []string:
		return len(x) == 0
	case []any:
		return len(x) == 0
	}
	return false
}

func sameValue(a, b any) bool {
	if isBlank(a) || isBlank(b) {
		return isBlank(a) && isBlank(b)
	}
	if da, ok := a.(decimal.Decimal); ok {
		db, ok := b.(decimal.Decimal)
		return ok && da.Equal(db)
	}
	if ta, ok := a.(time.Time); ok {
		tb, ok := b.(time.Time)
		return ok && ta.Equal(tb)
	}
	return fmt.Sprint(a) == fmt.Sprint(b)
}

// FieldValue is a stored, API or canonical value of field f as the
// language holds it.
func FieldValue(f *metadata.Field, v any) any { return converter(FieldType(f))(v) }

// IsBlank reports whether a language value is blank (nil, "", no items).
func IsBlank(v any) bool { return isBlank(v) }

// SameFieldValue compares two values of field f in whatever form they come
// (API strings, canonical decimals and times, text a user typed).
func SameFieldValue(f *metadata.Field, a, b any) bool {
	conv := converter(FieldType(f))
	return sameValue(conv(a), conv(b))
}
