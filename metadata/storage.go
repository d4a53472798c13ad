package metadata

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tessera-crm/tessera/internal/sqldialect"
)

// SQLiteTimeLayout stores instants as fixed-width UTC text on SQLite, so that
// text order is time order.
const SQLiteTimeLayout = "2006-01-02T15:04:05.000000Z"

// BindValue converts a canonical value to what the driver binds to a column
// of the given kind. A nil value binds NULL.
func BindValue(d sqldialect.Name, kind sqldialect.ColumnKind, scale int, v any) any {
	if v == nil {
		return nil
	}
	switch val := v.(type) {
	case decimal.Decimal:
		return val.StringFixed(int32(scale))
	case time.Time:
		if d == sqldialect.SQLite {
			return val.UTC().Format(SQLiteTimeLayout)
		}
		return val.UTC()
	case []string:
		b, _ := json.Marshal(val)
		return string(b)
	}
	return v
}

// Bind converts a field's canonical value for binding.
func (f *Field) Bind(d sqldialect.Name, v any) any {
	scale := 0
	if f.Scale != nil {
		scale = *f.Scale
	}
	return BindValue(d, f.Kind().Storage(f), scale, v)
}

// OutputValue converts a scanned column value into the value the API returns:
// strings for text, ids, decimals and dates; int64; bool; RFC 3339 UTC strings
// for instants; []string for multi-picklists.
func OutputValue(kind sqldialect.ColumnKind, scale int, v any) any {
	if v == nil {
		return nil
	}
	if b, ok := v.([]byte); ok {
		v = string(b)
	}
	switch kind {
	case sqldialect.KindInteger:
		switch n := v.(type) {
		case int64:
			return n
		case float64:
			return int64(n)
		case string:
			i, _ := strconv.ParseInt(n, 10, 64)
			return i
		}
	case sqldialect.KindBoolean:
		switch b := v.(type) {
		case bool:
			return b
		case int64:
			return b != 0
		}
	case sqldialect.KindDecimal:
		switch n := v.(type) {
		case string:
			if d, err := decimal.NewFromString(n); err == nil {
				return d.StringFixed(int32(scale))
			}
			return n
		case float64:
			return decimal.NewFromFloat(n).StringFixed(int32(scale))
		case int64:
			return decimal.NewFromInt(n).StringFixed(int32(scale))
		}
	case sqldialect.KindDate:
		switch t := v.(type) {
		case time.Time:
			return t.Format(DateLayout)
		case string:
			if len(t) >= 10 {
				return t[:10]
			}
			return t
		}
	case sqldialect.KindDatetime:
		switch t := v.(type) {
		case time.Time:
			return t.UTC().Format(time.RFC3339Nano)
		case string:
			if parsed, err := time.Parse(time.RFC3339Nano, t); err == nil {
				return parsed.UTC().Format(time.RFC3339Nano)
			}
			return t
		}
	case sqldialect.KindJSON:
		if s, ok := v.(string); ok {
			var list []string
			if err := json.Unmarshal([]byte(s), &list); err == nil {
				return list
			}
		}
	}
	if s, ok := v.(fmt.Stringer); ok {
		return s.String()
	}
	return v
}

// Output converts a scanned value of this field to its API form.
func (f *Field) Output(v any) any {
	scale := 0
	if f.Scale != nil {
		scale = *f.Scale
	}
	return OutputValue(f.Kind().Storage(f), scale, v)
}
