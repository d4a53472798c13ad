package expression

import (
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/tessera-crm/tessera/metadata"
)

// text renders any value as the language shows it in text: numbers without
// exponent, dates as YYYY-MM-DD, instants in RFC 3339 in the tenant's zone.
func text(v any, loc *time.Location) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case decimal.Decimal:
		return x.String()
	case int:
		return decimal.NewFromInt(int64(x)).String()
	case bool:
		if x {
			return "true"
		}
		return "false"
	case time.Time:
		if isDate(x) {
			return x.Format(metadata.DateLayout)
		}
		return x.In(loc).Format(time.RFC3339)
	case []string:
		return strings.Join(x, ";")
	}
	return ""
}

func str(v any) string { s, _ := v.(string); return s }

// runes clamps n to [0, len] for slicing by character.
func clampCount(v any, limit int) (int, bool) {
	d, ok := toDecimal(v)
	if !ok {
		return 0, false
	}
	n := d.IntPart()
	if n < 0 {
		return 0, true
	}
	if n > int64(limit) {
		return limit, true
	}
	return int(n), true
}

func checkLength(s string) (any, error) {
	if len(s) > MaxTextBytes {
		return nil, errTextTooLong
	}
	return s, nil
}

func textFunctions(cc *callContext) []*Function {
	s := ""
	doc := func(en, zh string) metadata.Labels { return metadata.Labels{"en": en, "zh-CN": zh} }
	str1 := func(fn func(string) string) func(...any) (any, error) {
		return func(p ...any) (any, error) { return fn(str(p[0])), nil }
	}
	return []*Function{
		{Name: "concat", Category: "text", Signature: "concat(value, …) text", Example: `concat(name, " (", account_id.name, ")")`,
			Doc: doc("The values joined as text; blanks add nothing.", "将各值拼接为文本；空值不添加内容。"),
			impl: func(p ...any) (any, error) {
				var b strings.Builder
				for _, v := range p {
					b.WriteString(text(v, cc.loc))
					if b.Len() > MaxTextBytes {
						return nil, errTextTooLong
					}
				}
				return b.String(), nil
			}, types: []any{variadicType([]any{}, s)}},
		{Name: "text", Category: "text", Signature: "text(value) text", Example: `text(amount)`,
			Doc:  doc("Any value as text: numbers in full, dates as YYYY-MM-DD.", "将任意值转为文本：数字完整显示，日期为 YYYY-MM-DD。"),
			impl: func(p ...any) (any, error) { return text(p[0], cc.loc), nil }, types: []any{funcType(anyType, s)}},
		{Name: "length", Category: "text", Signature: "length(text or list) number", Example: `length(description) > 500`,
			Doc: doc("The number of characters of a text, or of items of a list.", "文本的字符个数，或列表的项数。"),
			impl: func(p ...any) (any, error) {
				switch l := p[0].(type) {
				case []string:
					return decimal.NewFromInt(int64(len(l))), nil
				case []any:
					return decimal.NewFromInt(int64(len(l))), nil
				}
				return decimal.NewFromInt(int64(utf8.RuneCountInString(str(p[0])))), nil
			}, types: []any{funcType(s, decimal.Decimal{}), funcType([]string{}, decimal.Decimal{}), funcType([]any{}, decimal.Decimal{})}},
		{Name: "left", Category: "text", Signature: "left(text, count) text", Example: `left(phone, 3)`,
			Doc: doc("The first characters of the text.", "文本开头的若干个字符。"),
			impl: func(p ...any) (any, error) {
				r := []rune(str(p[0]))
				n, ok := clampCount(p[1], len(r))
				if !ok {
					return "", nil
				}
				return string(r[:n]), nil
			}, types: typesOf(s, num{}, s)},
		{Name: "right", Category: "text", Signature: "right(text, count) text", Example: `right(code, 4)`,
			Doc: doc("The last characters of the text.", "文本末尾的若干个字符。"),
			impl: func(p ...any) (any, error) {
				r := []rune(str(p[0]))
				n, ok := clampCount(p[1], len(r))
				if !ok {
					return "", nil
				}
				return string(r[len(r)-n:]), nil
			}, types: typesOf(s, num{}, s)},
		{Name: "mid", Category: "text", Signature: "mid(text, start, count) text", Example: `mid(code, 4, 2)`,
			Doc: doc("count characters from position start (the first character is 1).", "从第 start 个字符（从 1 开始）起取 count 个字符。"),
			impl: func(p ...any) (any, error) {
				r := []rune(str(p[0]))
				start, ok1 := clampCount(p[1], len(r)+1)
				n, ok2 := clampCount(p[2], len(r))
				if !ok1 || !ok2 || start < 1 {
					return "", nil
				}
				from := start - 1
				return string(r[from:min(from+n, len(r))]), nil
			}, types: typesOf(s, num{}, num{}, s)},
		{Name: "upper", Category: "text", Signature: "upper(text) text", Example: `upper(country_code)`,
			Doc: doc("The text in capitals.", "转为大写。"), impl: str1(strings.ToUpper), types: []any{funcType(s, s)}},
		{Name: "lower", Category: "text", Signature: "lower(text) text", Example: `lower(email)`,
			Doc: doc("The text in small letters.", "转为小写。"), impl: str1(strings.ToLower), types: []any{funcType(s, s)}},
		{Name: "trim", Category: "text", Signature: "trim(text) text", Example: `trim(name)`,
			Doc: doc("The text without leading and trailing spaces.", "去掉首尾空白。"), impl: str1(strings.TrimSpace), types: []any{funcType(s, s)}},
		{Name: "replace", Category: "text", Signature: "replace(text, old, new) text", Example: `replace(phone, "-", "")`,
			Doc: doc("Every occurrence of old replaced by new.", "将所有 old 替换为 new。"),
			impl: func(p ...any) (any, error) {
				if str(p[1]) == "" {
					return str(p[0]), nil
				}
				return checkLength(strings.ReplaceAll(str(p[0]), str(p[1]), str(p[2])))
			}, types: []any{funcType(s, s, s, s)}},
		{Name: "starts_with", Category: "text", Signature: "starts_with(text, prefix) boolean", Example: `starts_with(phone, "+86")`,
			Doc:  doc("Whether the text begins with the prefix (also written text startsWith prefix).", "文本是否以指定前缀开头（也可写作 text startsWith prefix）。"),
			impl: func(p ...any) (any, error) { return strings.HasPrefix(str(p[0]), str(p[1])), nil }, types: []any{funcType(s, s, false)}},
		{Name: "ends_with", Category: "text", Signature: "ends_with(text, suffix) boolean", Example: `ends_with(email, "@example.com")`,
			Doc:  doc("Whether the text ends with the suffix (also written text endsWith suffix).", "文本是否以指定后缀结尾（也可写作 text endsWith suffix）。"),
			impl: func(p ...any) (any, error) { return strings.HasSuffix(str(p[0]), str(p[1])), nil }, types: []any{funcType(s, s, false)}},
		{Name: "find", Category: "text", Signature: "find(text, part) number", Example: `find(email, "@")`,
			Doc: doc("The position of the part in the text (the first character is 1), 0 when absent. To test, write text contains part.", "part 在文本中的位置（从 1 开始），不存在为 0。仅判断是否包含时写 text contains part。"),
			impl: func(p ...any) (any, error) {
				i := strings.Index(str(p[0]), str(p[1]))
				if i < 0 {
					return decimal.Zero, nil
				}
				return decimal.NewFromInt(int64(utf8.RuneCountInString(str(p[0])[:i]) + 1)), nil
			}, types: []any{funcType(s, s, decimal.Decimal{})}},
		{Name: "split", Category: "text", Signature: "split(text, separator) list", Example: `split(tags_text, ",")`,
			Doc: doc("The text cut at each separator.", "按分隔符拆分文本。"),
			impl: func(p ...any) (any, error) {
				if str(p[0]) == "" {
					return []string{}, nil
				}
				if str(p[1]) == "" {
					return nil, errors.New("split: the separator is empty")
				}
				return strings.Split(str(p[0]), str(p[1])), nil
			}, types: []any{funcType(s, s, []string{})}},
		{Name: "join", Category: "text", Signature: "join(list, separator) text", Example: `join(industries, ", ")`,
			Doc: doc("The list's items joined by the separator.", "用分隔符连接列表各项。"),
			impl: func(p ...any) (any, error) {
				return checkLength(strings.Join(textList(p[0], cc.loc), str(p[1])))
			}, types: []any{funcType([]string{}, s, s), funcType([]any{}, s, s)}},
		{Name: "format", Category: "text", Signature: "format(value, pattern) text", Example: `format(amount, "#,##0.00") · format(close_date, "YYYY年MM月DD日")`,
			Doc: doc("A number with a pattern such as #,##0.00, or a date or instant with YYYY, MM, DD, HH, mm, ss (in the tenant's time zone).",
				"按模式格式化：数字如 #,##0.00；日期或时间用 YYYY、MM、DD、HH、mm、ss（租户时区）。"),
			impl:  func(p ...any) (any, error) { return formatValue(p[0], str(p[1]), cc.loc) },
			types: []any{funcType(decimal.Decimal{}, s, s), funcType(0, s, s), funcType(time.Time{}, s, s)}},
	}
}

// formatValue renders numbers with a #,##0.00-style pattern and times
// with YYYY MM DD HH mm ss tokens.
func formatValue(v any, pattern string, loc *time.Location) (any, error) {
	if len(pattern) > 64 {
		return nil, errors.New("format: the pattern is longer than 64 characters")
	}
	switch x := v.(type) {
	case nil:
		return "", nil
	case time.Time:
		if !isDate(x) {
			x = x.In(loc)
		}
		return formatTime(x, pattern), nil
	default:
		d, ok := toDecimal(x)
		if !ok {
			return "", nil
		}
		return formatNumber(d, pattern), nil
	}
}

// formatNumber applies a pattern of # 0 , and . : the digits after the
// point set the scale (rounded half away from zero) and a comma asks for
// thousands separators.
func formatNumber(d decimal.Decimal, pattern string) string {
	scale := 0
	if i := strings.IndexByte(pattern, '.'); i >= 0 {
		scale = strings.Count(pattern[i+1:], "0") + strings.Count(pattern[i+1:], "#")
	}
	s := d.Round(int32(scale)).StringFixed(int32(scale))
	if !strings.Contains(pattern, ",") {
		return s
	}
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		whole, frac = s[:i], s[i:]
	}
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return sign + b.String() + frac
}

// formatTime renders t by a pattern of YYYY MM DD HH mm ss tokens; any
// other text is copied as written (Go's layout would read digits and words
// in it as parts of a date).
func formatTime(t time.Time, pattern string) string {
	tokens := []struct{ token, layout string }{{"YYYY", "2006"}, {"MM", "01"}, {"DD", "02"}, {"HH", "15"}, {"mm", "04"}, {"ss", "05"}}
	var b strings.Builder
	for i := 0; i < len(pattern); {
		matched := false
		for _, tk := range tokens {
			if strings.HasPrefix(pattern[i:], tk.token) {
				b.WriteString(t.Format(tk.layout))
				i += len(tk.token)
				matched = true
				break
			}
		}
		if !matched {
			_, size := utf8.DecodeRuneInString(pattern[i:])
			b.WriteString(pattern[i : i+size])
			i += size
		}
	}
	return b.String()
}

// textList reads a list of text, or any list (the result of filter or
// map) as text.
func textList(v any, loc *time.Location) []string {
	switch l := v.(type) {
	case []string:
		return l
	case []any:
		out := make([]string, len(l))
		for i, x := range l {
			out[i] = text(x, loc)
		}
		return out
	}
	return nil
}
