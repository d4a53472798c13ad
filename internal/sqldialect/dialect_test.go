package sqldialect

import "testing"

// List parameters are data: quotes, backslashes, commas and braces inside a
// value cannot end it or start another.
func TestListParam_PostgresArrayLiteralEscapes(t *testing.T) {
	got := postgres{}.ListParam([]string{`a`, `b,c`, `d"e`, `f\g`, `{h}`})
	want := `{"a","b,c","d\"e","f\\g","{h}"}`
	if got != want {
		t.Fatalf("ListParam = %s, want %s", got, want)
	}
	if got := (sqlite{}).ListParam(nil); got != "[]" {
		t.Fatalf("SQLite empty list = %v, want []", got)
	}
}
