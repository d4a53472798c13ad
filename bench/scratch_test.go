package bench

import (
	"context"
	"fmt"
	"testing"

	"gorm.io/gorm"
)

func TestScratch(t *testing.T) {
	b := &testing.B{}
	_ = b
	a := newAppT(t, "sqlite")
	s, err := Provision(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	seeded, err := s.Seed(50, 3000, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	e := &taxEnv{Session: s, seeded: seeded}
	_, h := newSQLiteOpportunity(e, 1, "x")
	st := a.DB.Gorm.Session(&gorm.Session{DryRun: true}).Create(h).Statement
	fmt.Println(st.SQL.String(), st.Vars)
	var plan []map[string]any
	for _, q := range []string{
		`ANALYZE`,
		`EXPLAIN QUERY PLAN SELECT * FROM t_bench__opportunity AS t WHERE t.deleted_at IS NULL AND (t."stage" = 'proposal' AND CAST(t."amount" AS REAL) > 100000) ORDER BY CAST(t."amount" AS REAL) DESC NULLS FIRST, t.id DESC NULLS FIRST LIMIT 51`,
		`EXPLAIN QUERY PLAN SELECT * FROM t_bench__opportunity WHERE deleted_at IS NULL AND stage = 'proposal' AND CAST(amount AS REAL) > 100000 ORDER BY CAST(amount AS REAL) DESC, id DESC LIMIT 50`,
		`EXPLAIN QUERY PLAN SELECT * FROM t_bench__opportunity AS t WHERE t.deleted_at IS NULL AND (t."stage" = 'proposal' AND CAST(t."amount" AS REAL) > 100000) ORDER BY CAST(t."amount" AS REAL) DESC, t.id DESC LIMIT 51`,
		`EXPLAIN QUERY PLAN SELECT * FROM t_bench__opportunity AS t WHERE t.deleted_at IS NULL AND (t."stage" = 'proposal' AND CAST(t."amount" AS REAL) > 100000) ORDER BY CAST(t."amount" AS REAL) DESC NULLS LAST, t.id DESC NULLS LAST LIMIT 51`,
		`SELECT * FROM sqlite_stat1`,
		`SELECT sqlite_version()`,
	} {
		plan = nil
		a.DB.Gorm.Raw(q).Scan(&plan)
		fmt.Println(q)
		for _, p := range plan {
			fmt.Println("  ", p)
		}
	}
}
