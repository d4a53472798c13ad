package metadata

import (
	"fmt"
	"slices"

	"github.com/shopspring/decimal"

	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/internal/sqldialect"
)

// maxBlockingRows is how many blocking record ids an error lists.
const maxBlockingRows = 20

var stringTypes = []string{TypeText, TypeLongText, TypeEmail, TypePhone, TypeURL, TypePicklist}
var decimalTypes = []string{TypeNumber, TypeCurrency, TypePercent}

// conversionAllowed lists the type changes whose values can be converted
// without loss; each row is still checked before the change applies.
func conversionAllowed(from, to string) bool {
	switch {
	case from == to:
		return true
	case slices.Contains(stringTypes, to):
		return slices.Contains(stringTypes, from) || from == TypeInteger || slices.Contains(decimalTypes, from) ||
			from == TypeDate || (from == TypeAutoNumber && to != TypePicklist)
	case to == TypeInteger:
		return slices.Contains(stringTypes, from) || slices.Contains(decimalTypes, from)
	case slices.Contains(decimalTypes, to):
		return slices.Contains(stringTypes, from) || from == TypeInteger || slices.Contains(decimalTypes, from)
	case to == TypeDate:
		return slices.Contains(stringTypes, from)
	case to == TypeDatetime:
		return slices.Contains(stringTypes, from) || from == TypeDate
	case to == TypeMultiPicklist:
		return from == TypePicklist || from == TypeText
	}
	return false
}

// planFieldChange adds the checks and DDL that take a column from old to new.
func planFieldChange(cs *changeSet, o *Object, old, f *Field) error {
	storageChanged := old.Type != f.Type || !equalInt(old.Precision, f.Precision) || !equalInt(old.Scale, f.Scale)
	if storageChanged {
		if !conversionAllowed(old.Type, f.Type) {
			return problem.Field("type", problem.CodeNotConvertible, "%s cannot change from %s to %s", f.APIName, old.Type, f.Type)
		}
		if old.Type == TypeLookup || f.Type == TypeLookup {
			return problem.Field("type", problem.CodeNotConvertible, "lookup fields cannot change type")
		}
	}
	if err := checkExistingValues(cs, o, old, f, storageChanged); err != nil {
		return err
	}
	if f.Unique && (!old.Unique || storageChanged) {
		if err := checkNoDuplicates(cs, o, f); err != nil {
			return err
		}
	}
	indexesChanged := storageChanged || old.Unique != f.Unique || old.Indexed != f.Indexed
	if indexesChanged {
		cs.exec(cs.ddl.DropIndexes(o, old)...)
	}
	if storageChanged {
		if err := convertColumn(cs, o, old, f); err != nil {
			return err
		}
	}
	if indexesChanged {
		cs.exec(cs.ddl.Indexes(o, f)...)
	}
	if f.Type == TypeLookup && old.OnDelete != f.OnDelete {
		cs.exec(cs.ddl.DropForeignKey(o, old)...)
		cs.exec(cs.ddl.foreignKey(o, f)...)
	}
	return nil
}

func equalInt(a, b *int) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// checkExistingValues reads the column and refuses the change if some stored
// value would not be valid under the new definition (a new type, a shorter
// max length, a removed option), naming the records that block it.
func checkExistingValues(cs *changeSet, o *Object, old, f *Field, storageChanged bool) error {
	removed := removedOptions(old, f)
	shorter := f.MaxLength != nil && (old.MaxLength == nil || *f.MaxLength < *old.MaxLength)
	if old.Encrypted || f.Encrypted {
		// Metadata cannot read ciphertext (the keys live with the engine),
		// so a change that needs to look at or rewrite the values is only
		// allowed while the field is empty.
		if storageChanged || shorter || old.Encrypted != f.Encrypted {
			return requireEmpty(cs, o, old, "encrypted values cannot be checked or converted; empty the field first")
		}
		return nil
	}
	if !storageChanged && len(removed) == 0 && !shorter {
		return nil
	}
	q := fmt.Sprintf("SELECT id, %s FROM %s WHERE %s IS NOT NULL", cs.ddl.q(old.APIName), cs.ddl.Table(o.APIName), cs.ddl.q(old.APIName))
	rows, err := cs.conn.Raw(q).Rows()
	if err != nil {
		return fmt.Errorf("read %s.%s: %w", o.APIName, old.APIName, err)
	}
	defer rows.Close()
	var blocking []string
	total := 0
	var firstReason string
	for rows.Next() {
		var id, raw any
		if err := rows.Scan(&id, &raw); err != nil {
			return fmt.Errorf("read %s.%s: %w", o.APIName, old.APIName, err)
		}
		if _, reason := convertValue(old, f, old.Output(raw)); reason != "" {
			total++
			if len(blocking) < maxBlockingRows {
				blocking = append(blocking, fmt.Sprint(OutputValue(sqldialect.KindUUID, 0, id)))
			}
			if firstReason == "" {
				firstReason = reason
			}
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read %s.%s: %w", o.APIName, old.APIName, err)
	}
	if total > 0 {
		msg := fmt.Sprintf("%d record(s) have values that do not fit the new definition (first: %s)", total, firstReason)
		return &problem.Error{Status: 409, Type: "https://tessera.dev/problems/not-convertible", Title: "Conflict", Code: problem.CodeNotConvertible,
			Detail: msg, Errors: []problem.FieldError{{Field: f.APIName, Code: problem.CodeNotConvertible, Message: msg, Rows: blocking}}}
	}
	return nil
}

func removedOptions(old, f *Field) []string {
	var out []string
	for _, o := range old.Options {
		if f.Option(o.APIName) == nil {
			out = append(out, o.APIName)
		}
	}
	return out
}

// convertValue maps a value in the API form of old to the canonical value
// of f, or says why it cannot.
func convertValue(old, f *Field, v any) (any, string) {
	var in any = v
	switch val := v.(type) {
	case int64:
		if f.Type == TypeInteger || slices.Contains(decimalTypes, f.Type) {
			in = val
		} else {
			in = fmt.Sprint(val)
		}
	case string:
		switch {
		case slices.Contains(decimalTypes, old.Type) && f.Type == TypeInteger:
			d, _ := decimal.NewFromString(val)
			if !d.IsInteger() {
				return nil, fmt.Sprintf("%s is not a whole number", val)
			}
			in = d.IntPart()
		case old.Type == TypeDate && f.Type == TypeDatetime:
			in = val + "T00:00:00Z"
		case f.Type == TypeMultiPicklist:
			in = []any{val}
		}
	}
	out, fe := f.Kind().Coerce(f, in)
	if fe != nil {
		return nil, fe.Message
	}
	return out, ""
}

func checkNoDuplicates(cs *changeSet, o *Object, f *Field) error {
	col := cs.ddl.q(f.APIName)
	q := fmt.Sprintf("SELECT id FROM %s WHERE %s IN (SELECT %s FROM %s WHERE %s IS NOT NULL GROUP BY %s HAVING COUNT(*) > 1) LIMIT %d",
		cs.ddl.Table(o.APIName), col, col, cs.ddl.Table(o.APIName), col, col, maxBlockingRows)
	var ids []string
	if err := cs.conn.Raw(q).Scan(&ids).Error; err != nil {
		return fmt.Errorf("check duplicates of %s.%s: %w", o.APIName, f.APIName, err)
	}
	if len(ids) > 0 {
		msg := fmt.Sprintf("%s cannot be unique: existing records share values", f.APIName)
		return &problem.Error{Status: 409, Type: "https://tessera.dev/problems/unique-violation", Title: "Conflict", Code: problem.CodeUniqueViolation,
			Detail: msg, Errors: []problem.FieldError{{Field: f.APIName, Code: problem.CodeUniqueViolation, Message: msg, Rows: ids}}}
	}
	return nil
}

// convertColumn changes the column's type. PostgreSQL converts in place with
// ALTER COLUMN ... USING; SQLite cannot alter a column's type, so the values
// go through Go into a new column that then takes the old one's name.
func convertColumn(cs *changeSet, o *Object, old, f *Field) error {
	table := cs.ddl.Table(o.APIName)
	col := cs.ddl.q(f.APIName)
	if cs.ddl.D.Name() == sqldialect.Postgres {
		cs.exec(fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s TYPE %s USING %s", table, col, cs.ddl.columnType(f), postgresUsing(old, f, col, cs.ddl.columnType(f))))
		return nil
	}
	tmp := cs.ddl.q(f.APIName + "__new")
	// The statements collected so far (index drops) must run before the
	// column is dropped, and the copy needs bound values: run them now.
	stmts := append(cs.stmts, fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s %s", table, tmp, cs.ddl.columnType(f)))
	cs.stmts = nil
	for _, st := range stmts {
		if err := cs.conn.Exec(st).Error; err != nil {
			return ddlError(st, err)
		}
	}
	rows, err := cs.conn.Raw(fmt.Sprintf("SELECT id, %s FROM %s WHERE %s IS NOT NULL", col, table, col)).Rows()
	if err != nil {
		return fmt.Errorf("read %s.%s: %w", o.APIName, f.APIName, err)
	}
	type pair struct{ id, v any }
	var values []pair
	for rows.Next() {
		var id, raw any
		if err := rows.Scan(&id, &raw); err != nil {
			rows.Close()
			return err
		}
		v, _ := convertValue(old, f, old.Output(raw))
		values = append(values, pair{id, f.Bind(sqldialect.SQLite, v)})
	}
	rows.Close()
	update := fmt.Sprintf("UPDATE %s SET %s = ? WHERE id = ?", table, tmp)
	for _, p := range values {
		if err := cs.conn.Exec(update, p.v, p.id).Error; err != nil {
			return fmt.Errorf("convert %s.%s: %w", o.APIName, f.APIName, err)
		}
	}
	cs.exec(
		fmt.Sprintf("ALTER TABLE %s DROP COLUMN %s", table, col),
		fmt.Sprintf("ALTER TABLE %s RENAME COLUMN %s TO %s", table, tmp, col),
	)
	return nil
}

func postgresUsing(old, f *Field, col, target string) string {
	switch {
	case f.Type == TypeMultiPicklist:
		return fmt.Sprintf("CASE WHEN %s IS NULL THEN NULL ELSE jsonb_build_array(%s) END", col, col)
	case old.Type == TypeDate && f.Type == TypeDatetime:
		return fmt.Sprintf("(%s::timestamp AT TIME ZONE 'UTC')", col)
	case f.Type == TypeEmail:
		return fmt.Sprintf("lower(trim(%s::text))", col)
	case slices.Contains(stringTypes, old.Type) && !slices.Contains(stringTypes, f.Type):
		return fmt.Sprintf("CAST(trim(%s) AS %s)", col, target)
	case slices.Contains(stringTypes, f.Type):
		if slices.Contains(stringTypes, old.Type) {
			return fmt.Sprintf("trim(%s)", col)
		}
		return fmt.Sprintf("CAST(%s AS text)", col)
	}
	return fmt.Sprintf("CAST(%s AS %s)", col, target)
}

// requireEmpty refuses a change while any record has a value in old.
func requireEmpty(cs *changeSet, o *Object, old *Field, why string) error {
	var ids []string
	q := fmt.Sprintf("SELECT id FROM %s WHERE %s IS NOT NULL LIMIT %d", cs.ddl.Table(o.APIName), cs.ddl.q(old.APIName), maxBlockingRows)
	rows, err := cs.conn.Raw(q).Rows()
	if err != nil {
		return fmt.Errorf("read %s.%s: %w", o.APIName, old.APIName, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id any
		if err := rows.Scan(&id); err != nil {
			return fmt.Errorf("read %s.%s: %w", o.APIName, old.APIName, err)
		}
		ids = append(ids, fmt.Sprint(OutputValue(sqldialect.KindUUID, 0, id)))
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read %s.%s: %w", o.APIName, old.APIName, err)
	}
	if len(ids) == 0 {
		return nil
	}
	return &problem.Error{Status: 409, Type: "https://tessera.dev/problems/not-convertible", Title: "Conflict", Code: problem.CodeNotConvertible,
		Detail: why, Errors: []problem.FieldError{{Field: old.APIName, Code: problem.CodeNotConvertible, Message: why, Rows: ids}}}
}
