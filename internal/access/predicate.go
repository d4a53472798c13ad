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
	terms = append(terms, col("owner_id")+" = ?")
	args = append(args, g.UserID)
	// The hierarchy: records owned by users in roles below the caller's,
	// found by role path in the tenant's member mirror (one short range
	// scan, whatever the size of the team).
	if len(g.Subordinates) > 1 && g.RolePath != "" && (mode == Read || obj.Sharing.HierarchyEdits()) {
		terms = append(terms, fmt.Sprintf("%s IN (SELECT m.user_id FROM %s m WHERE m.role_path > ? AND m.role_path < ?)",
			col("owner_id"), ddl.Table(metadata.TableMembers)))
		// Paths are made of hex ids, dashes and slashes, all below '~'.
		args = append(args, g.RolePath, g.RolePath+"~")
	}
	shares := fmt.Sprintf("SELECT s.record_id FROM %s s WHERE s.object = ? AND %s", ddl.Table(metadata.TableShares),
		ddl.D.InList("s.grantee", sqldialect.KindText))
	if mode == Edit {
		shares += " AND s.access = 'edit'"
	}
	if ddl.D.Name() == sqldialect.Postgres {
		// As an array, the shared ids join the owner conditions in one
		// bitmap scan; as "IN (subquery)" PostgreSQL cannot estimate the
		// subplan and walks the whole table in sort order instead.
		terms = append(terms, col("id")+" = ANY(ARRAY("+shares+"))")
	} else {
		terms = append(terms, col("id")+" IN ("+shares+")")
	}
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
