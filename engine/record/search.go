package record

import (
	"strings"
	"unicode/utf8"

	"github.com/tessera-crm/tessera/internal/problem"
	"github.com/tessera-crm/tessera/metadata"
)

// maxSearchFields bounds how many columns a quick search ORs together.
const maxSearchFields = 6

var searchable = map[string]bool{
	metadata.TypeText: true, metadata.TypeEmail: true, metadata.TypePhone: true, metadata.TypeAutoNumber: true,
}

// searchPredicate is the quick search: a case-insensitive substring match on
// the name field and the object's other short text fields.
func searchPredicate(sc *scope, q string) (string, []any, error) {
	q = strings.TrimSpace(q)
	if q == "" {
		return "", nil, nil
	}
	if utf8.RuneCountInString(q) > 100 || !utf8.ValidString(q) || strings.ContainsRune(q, 0) {
		return "", nil, problem.Field("q", problem.CodeInvalidValue, "q must be valid text of at most 100 characters")
	}
	fields := []string{sc.vobj.NameField}
	for _, f := range sc.vobj.Fields {
		if len(fields) >= maxSearchFields {
			break
		}
		// Ciphertext cannot be searched.
		if f.Active && searchable[f.Type] && !f.Encrypted && f.APIName != sc.vobj.NameField {
			fields = append(fields, f.APIName)
		}
	}
	pattern := "%" + escapeLike(q) + "%"
	terms := make([]string, len(fields))
	args := make([]any, len(fields))
	for i, f := range fields {
		terms[i] = "lower(t." + sc.q(f) + ") LIKE lower(CAST(? AS TEXT)) ESCAPE '\\'"
		args[i] = pattern
	}
	return "(" + strings.Join(terms, " OR ") + ")", args, nil
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
