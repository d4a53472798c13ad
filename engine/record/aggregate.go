package record

import (
	"context"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/tessera-crm/tessera/engine/filter"
	"github.com/tessera-crm/tessera/internal/access"
	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/internal/sqldialect"
	"github.com/tessera-crm/tessera/metadata"
)

// AggregateQuery groups an object's records by one field.
type AggregateQuery struct {
	GroupBy string
	Sum     string
	Filter  string
	Q       string
}

// Group is one group's count and, when asked, the exact sum. Sums of a
// currency field come per currency in Sums (amounts in different currencies
// are never added up); Sum is set when the group has one currency only.
type Group struct {
	Key   any           `json:"key"`
	Count int64         `json:"count"`
	Sum   *string       `json:"sum"`
	Sums  []CurrencySum `json:"sums,omitempty"`
}

// CurrencySum is the sum of one currency's amounts.
type CurrencySum struct {
	Currency string `json:"currency"`
	Sum      string `json:"sum"`
}

var groupable = map[string]bool{metadata.TypePicklist: true, metadata.TypeBoolean: true, metadata.TypeLookup: true}
var summable = map[string]bool{metadata.TypeInteger: true, metadata.TypeNumber: true, metadata.TypeCurrency: true, metadata.TypePercent: true}

// Aggregate counts (and sums) records per value of a field, in SQL. Sums
// are exact: NUMERIC on PostgreSQL; on SQLite, where decimals are text, the
// sum runs over integers scaled by the field's scale.
func (s *Service) Aggregate(ctx context.Context, snap *metadata.Snapshot, object string, aq AggregateQuery) ([]Group, error) {
	sc, err := s.scope(ctx, snap, object)
	if err != nil {
		return nil, err
	}
	env := filter.Env{Snapshot: sc.view, Object: sc.vobj, DDL: sc.ddl, Alias: "t", Now: s.now()}
	groupCol, gf, err := filter.Column(env, aq.GroupBy)
	if err != nil || !(groupable[gf.Type] || aq.GroupBy == "owner_id") {
		return nil, problem.Field("group_by", problem.CodeInvalidValue, "group_by must be a picklist, boolean, lookup or owner_id field of %s", object)
	}
	selectSum := "NULL"
	var sf *metadata.Field
	if aq.Sum != "" {
		sf = sc.vobj.Field(aq.Sum)
		if sf == nil || !sf.Active || !summable[sf.Type] {
			return nil, problem.Field("sum", problem.CodeInvalidValue, "sum must be a number, currency, percent or integer field of %s", object)
		}
		selectSum = sumExpr(s.db.Dialect.Name(), "t", sc.q(sf.APIName), sf)
	}
	where := []string{"t.deleted_at IS NULL"}
	var args []any
	if ap, aargs := s.predicate(sc, "t", access.Read); ap != "" {
		where = append(where, ap)
		args = append(args, aargs...)
	}
	pred, err := filter.Compile(aq.Filter, env)
	if err != nil {
		return nil, err
	}
	if pred != nil {
		where = append(where, "("+pred.SQL+")")
		args = append(args, pred.Args...)
	}
	search, searchArgs, err := searchPredicate(sc, aq.Q)
	if err != nil {
		return nil, err
	}
	if search != "" {
		where = append(where, search)
		args = append(args, searchArgs...)
	}
	// A currency held per record splits each group by currency.
	currencyCol := "NULL"
	groupCols := groupCol
	if sf != nil && sf.Type == metadata.TypeCurrency && sf.CurrencyField != "" {
		currencyCol = "t." + sc.q(sf.CurrencyField)
		groupCols += ", " + currencyCol
	}
	q := fmt.Sprintf("SELECT %s, %s, COUNT(*), %s FROM %s AS t WHERE %s GROUP BY %s ORDER BY %s",
		groupCol, currencyCol, selectSum, sc.table(), strings.Join(where, " AND "), groupCols, groupCols)
	rows, err := s.db.Conn(ctx).Raw(q, args...).Rows()
	if err != nil {
		return nil, fmt.Errorf("aggregate %s: %w", object, err)
	}
	defer rows.Close()
	out := []Group{}
	for rows.Next() {
		var key, currency, sum any
		var count int64
		if err := rows.Scan(&key, &currency, &count, &sum); err != nil {
			return nil, fmt.Errorf("aggregate %s: %w", object, err)
		}
		k := gf.Output(key)
		if gf.Type == metadata.TypeLookup || aq.GroupBy == "owner_id" {
			k = metadata.OutputValue(sqldialect.KindUUID, 0, key)
		}
		if len(out) == 0 || fmt.Sprint(out[len(out)-1].Key) != fmt.Sprint(k) || (out[len(out)-1].Key == nil) != (k == nil) {
			out = append(out, Group{Key: k})
		}
		g := &out[len(out)-1]
		g.Count += count
		if sf == nil || sum == nil {
			continue
		}
		v := sumValue(s.db.Dialect.Name(), sf, sum)
		if sf.Type == metadata.TypeCurrency {
			g.Sums = append(g.Sums, CurrencySum{Currency: currencyOf(snap, sf, currency), Sum: v})
		}
		g.Sum = &v
	}
	for i := range out {
		if len(out[i].Sums) > 1 {
			out[i].Sum = nil
		}
	}
	return out, rows.Err()
}

// currencyOf names the currency of a sum: the record's currency field, the
// field's fixed code, or the tenant's corporate currency.
func currencyOf(snap *metadata.Snapshot, f *metadata.Field, recordCurrency any) string {
	if s, ok := recordCurrency.(string); ok && s != "" {
		return s
	}
	if b, ok := recordCurrency.([]byte); ok && len(b) > 0 {
		return string(b)
	}
	if f.CurrencyCode != "" {
		return f.CurrencyCode
	}
	return snap.Tenant.Currency
}

func scaleOf(f *metadata.Field) int {
	if f.Scale != nil {
		return *f.Scale
	}
	return 0
}

func sumExpr(d sqldialect.Name, alias, col string, f *metadata.Field) string {
	if d == sqldialect.SQLite && f.Type != metadata.TypeInteger {
		// Scaled to integers, summed exactly by SQLite's 64-bit integer sum.
		return fmt.Sprintf("SUM(CAST(ROUND(CAST(%s.%s AS REAL) * %s) AS INTEGER))", alias, col, decimal.New(1, int32(scaleOf(f))).String())
	}
	return "SUM(" + alias + "." + col + ")"
}

func sumValue(d sqldialect.Name, f *metadata.Field, raw any) string {
	if b, ok := raw.([]byte); ok {
		raw = string(b)
	}
	var v decimal.Decimal
	switch x := raw.(type) {
	case int64:
		v = decimal.NewFromInt(x)
	case float64:
		v = decimal.NewFromFloat(x)
	case string:
		v, _ = decimal.NewFromString(x)
	}
	if d == sqldialect.SQLite && f.Type != metadata.TypeInteger {
		v = v.Shift(-int32(scaleOf(f)))
	}
	return v.StringFixed(int32(scaleOf(f)))
}
