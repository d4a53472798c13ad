package expression

import (
	"reflect"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tessera-crm/tessera/metadata"
)

// Type is the type of a value in the expression language. Every number is
// a decimal: integer literals mix with them freely, and division of two
// integers is exact.
type Type string

// The language's types.
const (
	Text     Type = "text"
	Number   Type = "number"
	Boolean  Type = "boolean"
	Date     Type = "date"     // a calendar day, held as midnight UTC
	Datetime Type = "datetime" // an instant
	List     Type = "list"     // of text: multi-select picklists
	Any      Type = "any"
)

var (
	textType    = reflect.TypeOf("")
	numberType  = reflect.TypeOf(decimal.Decimal{})
	intType     = reflect.TypeOf(0)
	boolType    = reflect.TypeOf(false)
	timeType    = reflect.TypeOf(time.Time{})
	listType    = reflect.TypeOf([]string{})
	anyType     = reflect.TypeOf((*any)(nil)).Elem()
	sampleTime  = time.Time{}
	sampleValue = map[Type]any{
		Text: "", Number: decimal.Decimal{}, Boolean: false, Date: sampleTime, Datetime: sampleTime, List: []string{},
	}
)

// FieldType is the language type of a field's values.
func FieldType(f *metadata.Field) Type {
	switch f.Type {
	case metadata.TypeInteger, metadata.TypeNumber, metadata.TypeCurrency, metadata.TypePercent:
		return Number
	case metadata.TypeBoolean:
		return Boolean
	case metadata.TypeDate:
		return Date
	case metadata.TypeDatetime:
		return Datetime
	case metadata.TypeMultiPicklist:
		return List
	}
	return Text
}

// systemFields are the columns every record has, with their types.
var systemFields = []struct {
	name string
	typ  Type
}{
	{"id", Text}, {"owner_id", Text}, {"created_at", Datetime}, {"created_by", Text},
	{"updated_at", Datetime}, {"updated_by", Text}, {"version", Number},
}

// typeOfResult names the language type of a checked expression's result.
func typeOfResult(t reflect.Type) Type {
	switch t {
	case textType:
		return Text
	case numberType, intType:
		return Number
	case boolType:
		return Boolean
	case timeType:
		return Datetime
	case listType:
		return List
	}
	return Any
}

// accepts reports whether a result of type got may be stored where want is
// expected. Integers are numbers; dates and instants convert into each
// other in the tenant's time zone; anything unknown is checked at run time.
func accepts(want, got Type) bool {
	switch {
	case want == "" || want == Any || got == Any || want == got:
		return true
	case (want == Date || want == Datetime) && (got == Date || got == Datetime):
		return true
	}
	return false
}
