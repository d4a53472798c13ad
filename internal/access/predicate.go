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
//
// single says the statement reads one record by id, which changes the best
// shape of the hierarchy condition.
func Predicate(g *Grant, snap *metadata.Snapshot, obj *metadata.Object, ddl metadata.DDL, alias string, mode Mode, single bool, now time.Time) (string, []any) {
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
	// found by role path in the tenant's member mirror. Two shapes, because
	// the planners need different ones: a correlated EXISTS becomes a
	// semi-join, best when the team owns a small part of the table; a
	// scalar subquery per row (a primary-key probe PostgreSQL cannot turn
	// into a hash of the whole team) is best for one record, and for lists
	// of callers who see most of the table, where the scan in sort order
	// finds a page after a few probes. SQLite does best with EXISTS always.
	if len(g.Subordinates) > 1 && g.RolePath != "" && (mode == Read || obj.Sharing.HierarchyEdits()) {
		members := ddl.Table(metadata.TableMembers)
		probe := ddl.D.Name() == sqldialect.Postgres && (single || g.TeamShare >= 0.5)
		if probe {
			terms = append(terms, fmt.Sprintf("(SELECT m.role_path FROM %s m WHERE m.user_id = %s) LIKE ?", members, col("owner_id")))
			// Paths are hex ids, dashes and slashes, so no LIKE wildcards;
			// "_%" asks for a longer path: a role strictly below.
			args = append(args, g.RolePath+"_%")
		} else {
			terms = append(terms, fmt.Sprintf("EXISTS (SELECT 1 FROM %s m WHERE m.user_id = %s AND m.role_path > ? AND m.role_path < ?)", members, col("owner_id")))
			// Every path below the caller's sorts between it and it + "~".
			args = append(args, g.RolePath, g.RolePath+"~")
		}
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
