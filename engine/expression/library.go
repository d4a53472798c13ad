package expression

import (
	"reflect"
	"sort"
	"time"

	"github.com/expr-lang/expr"

	"github.com/tessera-crm/tessera/metadata"
)

// Function is one function of the library, as editors and docs show it.
type Function struct {
	Name      string          `json:"name"`
	Category  string          `json:"category"`
	Signature string          `json:"signature"`
	Doc       metadata.Labels `json:"doc"`
	Example   string          `json:"example"`

	impl  func(params ...any) (any, error)
	types []any
}

// callContext is what functions may depend on beyond their arguments: the
// tenant's time zone and the object, for labels and probabilities.
type callContext struct {
	loc    *time.Location
	locale string
	obj    *metadata.Object
}

func tenantLocale(cc *callContext) string { return cc.locale }

func reflectSliceOf(sample any) reflect.Type { return reflect.SliceOf(typeOfSample(sample)) }

// library returns the functions bound to cc.
func library(cc *callContext) []*Function {
	var fns []*Function
	fns = append(fns, dateFunctions(cc)...)
	fns = append(fns, textFunctions(cc)...)
	fns = append(fns, numberFunctions()...)
	fns = append(fns, logicFunctions(cc)...)
	return fns
}

// Functions lists the library, sorted by category and name, for editors
// and the reference.
func Functions() []*Function {
	var fns []*Function
	for _, f := range library(&callContext{loc: time.UTC, obj: &metadata.Object{}}) {
		if f.Doc != nil { // label and probability are documented as written
			fns = append(fns, f)
		}
	}
	fns = append(fns, rewrittenFunctions...)
	sort.Slice(fns, func(i, j int) bool {
		if fns[i].Category != fns[j].Category {
			return fns[i].Category < fns[j].Category
		}
		return fns[i].Name < fns[j].Name
	})
	return fns
}

// rewrittenFunctions are written as calls but compiled into the language's
// own constructs, so their arguments are evaluated lazily (if guards a
// division by zero) and their result keeps its type.
var rewrittenFunctions = []*Function{
	{Name: "if", Category: "logic", Signature: "if(condition, then, else)",
		Doc:     metadata.Labels{"en": "then when the condition holds, else otherwise; only the branch taken is evaluated.", "zh-CN": "条件成立时取 then，否则取 else；只计算被选中的分支。"},
		Example: `if(amount > 0, expected_revenue / amount, 0)`},
	{Name: "case", Category: "logic", Signature: "case(value, match1, result1, …, default)",
		Doc:     metadata.Labels{"en": "The result paired with the first match equal to value, or default.", "zh-CN": "返回第一个与 value 相等的匹配值对应的结果，都不相等时返回 default。"},
		Example: `case(tier, "A", 0.2, "B", 0.1, 0)`},
	{Name: "is_changed", Category: "logic", Signature: "is_changed(\"field\") boolean",
		Doc:     metadata.Labels{"en": "Whether this write changes the field (on create: whether it is set). Only in rules that run on save.", "zh-CN": "本次保存是否修改了该字段（新建时：是否有值）。仅用于保存时运行的规则。"},
		Example: `is_changed("stage") && stage == "closed_won"`},
	{Name: "label", Category: "picklist", Signature: "label(picklist_field) text",
		Doc:     metadata.Labels{"en": "The label of the field's current option, in the tenant's language.", "zh-CN": "选项字段当前值的显示名称（租户语言）。"},
		Example: `concat("Stage: ", label(stage))`},
	{Name: "stage_probability", Category: "picklist", Signature: "stage_probability(stage_field) number",
		Doc:     metadata.Labels{"en": "The win probability (percent) of the stage the pipeline field is at.", "zh-CN": "销售阶段字段当前阶段的赢单概率（百分比）。"},
		Example: `amount * stage_probability(stage) / 100`},
}

// fnPrefix is put before the library's names in the compiled program: a
// field named like a function (year, probability) must not hide it, and
// api names cannot start with $.
const fnPrefix = "$fn."

// options turns the library into expr options.
func functionOptions(fns []*Function) []expr.Option {
	opts := make([]expr.Option, 0, len(fns))
	for _, f := range fns {
		// Under its own name too, so that expr's parser reads a call of a
		// name it also knows as a builtin (find, max) as a call of ours.
		opts = append(opts, expr.Function(fnPrefix+f.Name, f.impl, f.types...), expr.Function(f.Name, f.impl, f.types...))
	}
	return opts
}

// funcType builds a function type from sample values of its parameters
// and result: funcType("", 0, "") is func(string, int) string.
func funcType(samples ...any) any {
	in := make([]reflect.Type, len(samples)-1)
	for i, s := range samples[:len(samples)-1] {
		in[i] = typeOfSample(s)
	}
	out := []reflect.Type{typeOfSample(samples[len(samples)-1])}
	return reflect.Zero(reflect.FuncOf(in, out, false)).Interface()
}

// variadicType is funcType whose last parameter is variadic (a slice
// sample).
func variadicType(samples ...any) any {
	in := make([]reflect.Type, len(samples)-1)
	for i, s := range samples[:len(samples)-1] {
		in[i] = typeOfSample(s)
	}
	out := []reflect.Type{typeOfSample(samples[len(samples)-1])}
	return reflect.Zero(reflect.FuncOf(in, out, true)).Interface()
}

func typeOfSample(s any) reflect.Type {
	if t, ok := s.(reflect.Type); ok {
		return t
	}
	return reflect.TypeOf(s)
}
