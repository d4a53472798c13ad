package expression

import "testing"

// BenchmarkCondition is the "typical condition": a money
// comparison and a picklist test, against variables already bound.
func BenchmarkCondition(b *testing.B) {
	p, err := Compile(`amount > 100000 && stage == "negotiation"`, env(fixture(), Boolean))
	if err != nil {
		b.Fatal(err)
	}
	vars := Vars(sampleInput(), p)
	for b.Loop() {
		if ok, err := p.Bool(vars); err != nil || !ok {
			b.Fatal(ok, err)
		}
	}
}

// BenchmarkCondition_WithBinding includes converting the record's API
// values into variables, as a save does once for all its rules.
func BenchmarkCondition_WithBinding(b *testing.B) {
	p, err := Compile(`amount > 100000 && stage == "negotiation" && account_id.tier == "A"`, env(fixture(), Boolean))
	if err != nil {
		b.Fatal(err)
	}
	in := sampleInput()
	for b.Loop() {
		if ok, err := p.Bool(Vars(in, p)); err != nil || !ok {
			b.Fatal(ok, err)
		}
	}
}

func BenchmarkCompile_Cached(b *testing.B) {
	e := env(fixture(), Boolean)
	for b.Loop() {
		if _, err := Compile(`amount > 100000 && stage == "negotiation"`, e); err != nil {
			b.Fatal(err)
		}
	}
}
