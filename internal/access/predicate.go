package access

import (
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/tessera-crm/tessera/engine/filter"
	"github.com/tessera-crm/tessera/internal/sqldialect"
	"github.com/tessera-crm/tessera/metadata"
)

// Mode is the kind of record access a predicate checks.
type Mode int

// Modes: reading a record, or changing it (edit and delete).
const (
	Read Mode = iota
	Edit
)

// Reaches reports whether the grant reaches every record of obj in mode,
// so that no predicate is needed.
func (g *Grant) Reaches(obj *metadata.Object, mode Mode) bool {
	if g == nil || g.Admin {
		return true
	}
	perms := g.Object(obj.APIName)
	def := obj.Sharing.Default()
	if mode == Read {
		return perms.Allows(ActViewAll) || def == metadata.AccessPublicRead || def == metadata.AccessPublicReadWrite
	}
	return perms.Allows(ActModifyAll) || def == metadata.AccessPublicReadWrite
}

// Predicate returns the SQL condition that restricts obj's rows (the table
// aliased alias, or unaliased when alias is "") to those the grant reaches
// in mode, and its arguments; "" when it reaches them all. It is the one
// definition of record access: lists, counts and aggregates add it to their
// WHERE, and single-record reads and writes check it the same way.
func Predicate(g *Grant, snap *metadata.Snapshot, obj *metadata.Object, ddl metadata.DDL, alias string, mode Mode, now time.Time) (string, []any) {
	if g.Reaches(obj, mode) {
		return "", nil
	}
	col := func(name string) string {
		if alias == "" {
			return ddl.D.Quote(name)
		}
		return alias + "." + ddl.D.Quote(name)
	}
	var terms []string
	var args []any
	owners := g.Subordinates
	if mode == Edit && !obj.Sharing.HierarchyEdits() {
		owners = owners[:1] // only the caller
	}
	if len(owners) == 1 {
		terms = append(terms, col("owner_id")+" = ?")
		args = append(args, owners[0])
	} else {
		terms = append(terms, ddl.D.InList(col("owner_id"), sqldialect.KindUUID))
		args = append(args, ddl.D.ListParam(owners))
	}
	shared := fmt.Sprintf("%s IN (SELECT s.record_id FROM %s s WHERE s.object = ? AND %s", col("id"), ddl.Table(metadata.TableShares),
		ddl.D.InList("s.grantee", sqldialect.KindText))
	if mode == Edit {
		shared += " AND s.access = 'edit'"
	}
	terms = append(terms, shared+")")
	args = append(args, obj.APIName, ddl.D.ListParam(g.Grantees))
	for i := range obj.SharingRules {
		r := &obj.SharingRules[i]
		if !r.Active || (mode == Edit && r.Access != metadata.AccessEdit) || !slices.Contains(g.Grantees, GranteeKey(r.Grantee.Type, r.Grantee.ID)) {
			continue
		}
		pred, err := filter.Compile(r.Condition, filter.Env{Snapshot: snap, Object: obj, DDL: ddl, Alias: alias, Now: now})
		if err != nil || pred == nil {
			// A rule broken by a later metadata change grants nothing:
			// failing closed is the only safe reading of it.
			slog.Warn("sharing rule does not compile; it grants nothing", "object", obj.APIName, "rule", r.APIName, "err", err)
			continue
		}
		terms = append(terms, "("+pred.SQL+")")
		args = append(args, pred.Args...)
	}
	return "(" + strings.Join(terms, " OR ") + ")", args
}
