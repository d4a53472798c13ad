package expression

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// docsPath is the language's reference: English first, then the Chinese
// version, which starts at the line zhHeading.
const (
	docsPath  = "../../docs/expressions.md"
	zhHeading = "# 表达式语言"
)

// TestDocs_MentionEveryFunction keeps docs/expressions.md in step with the
// library: every function (and list predicate) must appear as a call,
// name(, in both the English and the Chinese part.
func TestDocs_MentionEveryFunction(t *testing.T) {
	b, err := os.ReadFile(docsPath)
	if err != nil {
		t.Fatalf("read the reference: %v", err)
	}
	en, zh, ok := splitLanguages(string(b))
	if !ok {
		t.Fatalf("%s has no line %q starting its Chinese part", docsPath, zhHeading)
	}
	names := make([]string, 0, len(Functions())+len(listBuiltins))
	for _, f := range Functions() {
		names = append(names, f.Name)
	}
	names = append(names, listBuiltins...)
	for _, name := range names {
		call := regexp.MustCompile(`(^|[^A-Za-z0-9_$.])` + regexp.QuoteMeta(name) + `\(`)
		if !call.MatchString(en) {
			t.Errorf("%s: the English part does not mention %s(", docsPath, name)
		}
		if !call.MatchString(zh) {
			t.Errorf("%s: the Chinese part does not mention %s(", docsPath, name)
		}
	}
}

// splitLanguages cuts the reference at the Chinese part's heading.
func splitLanguages(doc string) (en, zh string, ok bool) {
	lines := strings.SplitAfter(doc, "\n")
	for i, line := range lines {
		if strings.TrimRight(line, "\r\n") == zhHeading {
			return strings.Join(lines[:i], ""), strings.Join(lines[i:], ""), true
		}
	}
	return doc, "", false
}
