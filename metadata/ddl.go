package metadata

import (
	"fmt"
	"strings"

	"github.com/tessera-crm/tessera/internal/sqldialect"
)

// System tables every tenant namespace has beside its object tables. Their
// names start with an underscore, which api names cannot, so they never
// collide with an object.
const (
	TableStageHistory = "_stage_history"
	TableSequences    = "_sequences"
	TableIdempotency  = "_idempotency"
	// TableShares grants one record to a user, org unit or role: manual
	// shares and record teams.
	TableShares = "_shares"
	// TableAuditLog is the append-only operation log.
	TableAuditLog = "_audit_log"
	// TableFieldHistory keeps the changes of tracked fields.
	TableFieldHistory = "_field_history"
	// TableMembers mirrors each user's place in the role hierarchy as a
	// path of role ids, so that "owned by someone below me" is a range scan
	// inside the tenant's own namespace (no join with platform tables,
	// which Citus may keep on another node).
	TableMembers = "_members"
	// TableWorkflowRuns is the execution log of workflows.
	TableWorkflowRuns = "_workflow_runs"
	// TableNotifications holds the in-app notifications of the tenant's users.
	TableNotifications = "_notifications"
	// TableApprovals holds submitted approvals, TableApprovalTasks each
	// approver's part in them.
	TableApprovals     = "_approvals"
	TableApprovalTasks = "_approval_tasks"
)

var systemTables = []string{TableStageHistory, TableSequences, TableIdempotency, TableShares, TableAuditLog, TableFieldHistory, TableMembers, TableWorkflowRuns, TableNotifications, TableApprovals, TableApprovalTasks}

// NamespaceVersion is the version of the system tables Namespace creates;
// tenants created earlier are brought up to it by NamespaceUpgrade.
const NamespaceVersion = 4

// DDL generates statements for one tenant's namespace in one dialect.
// Every identifier comes from validated metadata and is quoted.
type DDL struct {
	D   sqldialect.Dialect
	Key string
}

func (g DDL) table(name string) string { return g.D.Table(g.Key, name) }
func (g DDL) q(ident string) string    { return g.D.Quote(ident) }

// Namespace creates a new tenant's namespace and system tables.
func (g DDL) Namespace() []string {
	uuidT := g.D.ColumnType(sqldialect.KindUUID, 0, 0)
	tsT := g.D.ColumnType(sqldialect.KindDatetime, 0, 0)
	intT := g.D.ColumnType(sqldialect.KindInteger, 0, 0)
	stmts := g.D.CreateNamespace(g.Key)
	stmts = append(stmts,
		fmt.Sprintf(`CREATE TABLE %s (id %s PRIMARY KEY, object text NOT NULL, record_id %s NOT NULL, field text NOT NULL, stage text, from_stage text, entered_at %s NOT NULL, left_at %s, entered_by %s, left_by %s)`,
			g.table(TableStageHistory), uuidT, uuidT, tsT, tsT, uuidT, uuidT),
		fmt.Sprintf(`CREATE INDEX %s ON %s (object, record_id, field)`, g.q(g.D.IndexName(g.Key, TableStageHistory, "record")), g.table(TableStageHistory)),
		fmt.Sprintf(`CREATE TABLE %s (name text PRIMARY KEY, value %s NOT NULL)`, g.table(TableSequences), intT),
		fmt.Sprintf(`CREATE TABLE %s (key text PRIMARY KEY, user_id %s, request_hash text NOT NULL, status %s NOT NULL, body text NOT NULL, created_at %s NOT NULL)`,
			g.table(TableIdempotency), uuidT, intT, tsT),
	)
	stmts = append(stmts, g.accessTables()...)
	stmts = append(stmts, g.automationTables()...)
	return append(stmts, g.approvalTables()...)
}

// NamespaceUpgrade returns the statements that bring a namespace created at
// version from up to NamespaceVersion.
func (g DDL) NamespaceUpgrade(from int) []string {
	var stmts []string
	if from < 2 {
		stmts = append(stmts, g.accessTables()...)
	}
	if from < 3 {
		stmts = append(stmts, g.automationTables()...)
	}
	if from < 4 {
		stmts = append(stmts, g.approvalTables()...)
	}
	return stmts
}

// accessTables are version 2: record shares, the audit log and field history.
func (g DDL) accessTables() []string {
	uuidT := g.D.ColumnType(sqldialect.KindUUID, 0, 0)
	tsT := g.D.ColumnType(sqldialect.KindDatetime, 0, 0)
	stmts := []string{
		fmt.Sprintf(`CREATE TABLE %s (id %s PRIMARY KEY, object text NOT NULL, record_id %s NOT NULL, grantee text NOT NULL, access text NOT NULL, reason text NOT NULL, created_by %s, created_at %s NOT NULL)`,
			g.table(TableShares), uuidT, uuidT, uuidT, tsT),
		fmt.Sprintf(`CREATE UNIQUE INDEX %s ON %s (object, record_id, grantee, reason)`, g.q(g.D.IndexName(g.Key, TableShares, "record")), g.table(TableShares)),
		// Serves the list predicate "id IN (records shared with my grantees)".
		g.systemIndex(TableShares, "grantee", "object, grantee, record_id, access"),
		fmt.Sprintf(`CREATE TABLE %s (id %s PRIMARY KEY, at %s NOT NULL, actor_id %s, actor_kind text NOT NULL, actor_name text NOT NULL, ip text NOT NULL, client text NOT NULL, request_id text NOT NULL, action text NOT NULL, object text NOT NULL, record_id text NOT NULL, summary text NOT NULL, before text, after text)`,
			g.table(TableAuditLog), uuidT, tsT, uuidT),
		g.systemIndex(TableAuditLog, "at", "at"),
		g.systemIndex(TableAuditLog, "record", "object, record_id, at"),
		g.systemIndex(TableAuditLog, "actor", "actor_id, at"),
		g.systemIndex(TableAuditLog, "action", "action, at"),
		fmt.Sprintf(`CREATE TABLE %s (id %s PRIMARY KEY, object text NOT NULL, record_id %s NOT NULL, field text NOT NULL, old_value text, new_value text, changed_at %s NOT NULL, changed_by %s)`,
			g.table(TableFieldHistory), uuidT, uuidT, tsT, uuidT),
		g.systemIndex(TableFieldHistory, "record", "object, record_id, changed_at"),
		// Byte order, so that a path prefix is a contiguous range.
		fmt.Sprintf(`CREATE TABLE %s (user_id %s PRIMARY KEY, role_path text %s NOT NULL)`, g.table(TableMembers), uuidT, g.D.BinaryCollation()),
		fmt.Sprintf(`CREATE UNIQUE INDEX %s ON %s (role_path, user_id)`, g.q(g.D.IndexName(g.Key, TableMembers, "path")), g.table(TableMembers)),
	}
	return append(stmts, g.D.AppendOnly(g.Key, TableAuditLog)...)
}

// automationTables are version 3: the workflow execution log and in-app
// notifications.
func (g DDL) automationTables() []string {
	uuidT := g.D.ColumnType(sqldialect.KindUUID, 0, 0)
	tsT := g.D.ColumnType(sqldialect.KindDatetime, 0, 0)
	intT := g.D.ColumnType(sqldialect.KindInteger, 0, 0)
	return []string{
		fmt.Sprintf(`CREATE TABLE %s (id %s PRIMARY KEY, job_id %s, workflow text NOT NULL, object text NOT NULL, record_id text NOT NULL, trigger text NOT NULL, depth %s NOT NULL, status text NOT NULL, started_at %s NOT NULL, finished_at %s, inputs text NOT NULL, actions text NOT NULL, error text NOT NULL)`,
			g.table(TableWorkflowRuns), uuidT, intT, intT, tsT, tsT),
		g.systemIndex(TableWorkflowRuns, "workflow", "object, workflow, started_at"),
		g.systemIndex(TableWorkflowRuns, "record", "object, record_id, started_at"),
		// A job's run is written once, with the job's completion.
		fmt.Sprintf(`CREATE UNIQUE INDEX %s ON %s (job_id)`, g.q(g.D.IndexName(g.Key, TableWorkflowRuns, "job")), g.table(TableWorkflowRuns)),
		fmt.Sprintf(`CREATE TABLE %s (id %s PRIMARY KEY, user_id %s NOT NULL, title text NOT NULL, body text NOT NULL, object text NOT NULL, record_id text NOT NULL, source text NOT NULL, created_at %s NOT NULL, read_at %s)`,
			g.table(TableNotifications), uuidT, uuidT, tsT, tsT),
		g.systemIndex(TableNotifications, "user", "user_id, created_at"),
	}
}

// approvalTables are version 4: approvals and their approvers' tasks.
func (g DDL) approvalTables() []string {
	uuidT := g.D.ColumnType(sqldialect.KindUUID, 0, 0)
	tsT := g.D.ColumnType(sqldialect.KindDatetime, 0, 0)
	intT := g.D.ColumnType(sqldialect.KindInteger, 0, 0)
	return []string{
		fmt.Sprintf(`CREATE TABLE %s (id %s PRIMARY KEY, object text NOT NULL, record_id %s NOT NULL, process text NOT NULL, status text NOT NULL, step %s NOT NULL, submitted_by %s, submitted_at %s NOT NULL, decided_at %s, comment text NOT NULL)`,
			g.table(TableApprovals), uuidT, uuidT, intT, uuidT, tsT, tsT),
		g.systemIndex(TableApprovals, "record", "object, record_id, submitted_at"),
		// One pending approval per record: a second submission is refused.
		fmt.Sprintf(`CREATE UNIQUE INDEX %s ON %s (object, record_id) WHERE status = 'pending'`, g.q(g.D.IndexName(g.Key, TableApprovals, "pending")), g.table(TableApprovals)),
		fmt.Sprintf(`CREATE TABLE %s (id %s PRIMARY KEY, approval_id %s NOT NULL, step %s NOT NULL, approver_id %s NOT NULL, status text NOT NULL, comment text NOT NULL, created_at %s NOT NULL, decided_at %s)`,
			g.table(TableApprovalTasks), uuidT, uuidT, intT, uuidT, tsT, tsT),
		g.systemIndex(TableApprovalTasks, "approval", "approval_id, step"),
		g.systemIndex(TableApprovalTasks, "inbox", "approver_id, status, created_at"),
	}
}

// systemIndex indexes a system table of the namespace.
func (g DDL) systemIndex(table, suffix, cols string) string {
	return fmt.Sprintf(`CREATE INDEX %s ON %s (%s)`, g.q(g.D.IndexName(g.Key, table, suffix)), g.table(table), cols)
}

// DropNamespace removes a tenant's tables.
func (g DDL) DropNamespace(objects []string) []string {
	tables := append(append([]string(nil), systemTables...), objects...)
	return g.D.DropNamespace(g.Key, tables)
}

// CreateTable creates an object's table with the system columns, its fields
// and their indexes. Lookup constraints come separately (ForeignKeys) so
// that objects that refer to each other can be created together.
func (g DDL) CreateTable(o *Object) []string {
	uuidT := g.D.ColumnType(sqldialect.KindUUID, 0, 0)
	tsT := g.D.ColumnType(sqldialect.KindDatetime, 0, 0)
	intT := g.D.ColumnType(sqldialect.KindInteger, 0, 0)
	cols := []string{
		"id " + uuidT + " PRIMARY KEY",
		"owner_id " + uuidT,
		"created_at " + tsT + " NOT NULL",
		"created_by " + uuidT,
		"updated_at " + tsT + " NOT NULL",
		"updated_by " + uuidT,
		"version " + intT + " NOT NULL DEFAULT 1",
		"deleted_at " + tsT,
	}
	for _, f := range o.Fields {
		cols = append(cols, g.columnDef(f))
	}
	stmts := []string{fmt.Sprintf("CREATE TABLE %s (%s)", g.table(o.APIName), strings.Join(cols, ", "))}
	stmts = append(stmts, fmt.Sprintf("CREATE INDEX %s ON %s (owner_id)", g.q(g.D.IndexName(g.Key, o.APIName, "owner_id")), g.table(o.APIName)))
	// Lists default to the newest records first.
	stmts = append(stmts, fmt.Sprintf("CREATE INDEX %s ON %s (created_at)", g.q(g.D.IndexName(g.Key, o.APIName, "created_at")), g.table(o.APIName)))
	for _, f := range o.Fields {
		stmts = append(stmts, g.Indexes(o, f)...)
	}
	return stmts
}

func (g DDL) columnDef(f *Field) string {
	return g.q(f.APIName) + " " + g.columnType(f)
}

// ColumnType is the column type of a field in this dialect.
func (g DDL) ColumnType(f *Field) string { return g.columnType(f) }

func (g DDL) columnType(f *Field) string {
	p, s := 0, 0
	if f.Precision != nil {
		p = *f.Precision
	}
	if f.Scale != nil {
		s = *f.Scale
	}
	return g.D.ColumnType(f.Kind().Storage(f), p, s)
}

// ForeignKeys adds the database constraints of the object's lookups. Only
// PostgreSQL gets them: SQLite cannot add a constraint to an existing table,
// and rebuilding a referenced table there fires its delete actions. The
// engine enforces lookups on both dialects; the constraint is a second guard.
func (g DDL) ForeignKeys(o *Object) []string {
	var stmts []string
	for _, f := range o.Fields {
		if f.Type == TypeLookup {
			stmts = append(stmts, g.foreignKey(o, f)...)
		}
	}
	return stmts
}

func (g DDL) foreignKey(o *Object, f *Field) []string {
	if g.D.Name() != sqldialect.Postgres || f.Type != TypeLookup {
		return nil
	}
	action := map[string]string{OnDeleteRestrict: "RESTRICT", OnDeleteSetNull: "SET NULL", OnDeleteCascade: "CASCADE"}[f.OnDelete]
	return []string{fmt.Sprintf("ALTER TABLE %s ADD CONSTRAINT %s FOREIGN KEY (%s) REFERENCES %s (id) ON DELETE %s",
		g.table(o.APIName), g.q(g.fkName(o, f)), g.q(f.APIName), g.table(f.Target), action)}
}

func (g DDL) fkName(o *Object, f *Field) string {
	return g.D.IndexName(g.Key, o.APIName, f.APIName+"_fk")
}

// DropForeignKey removes a lookup's constraint (PostgreSQL only).
func (g DDL) DropForeignKey(o *Object, f *Field) []string {
	if g.D.Name() != sqldialect.Postgres || f.Type != TypeLookup {
		return nil
	}
	return []string{fmt.Sprintf("ALTER TABLE %s DROP CONSTRAINT IF EXISTS %s", g.table(o.APIName), g.q(g.fkName(o, f)))}
}

// Indexes returns the index statements a field's flags ask for. Lookups are
// always indexed: related lists and deletes search by them.
func (g DDL) Indexes(o *Object, f *Field) []string {
	col := g.D.Comparable(f.Kind().Storage(f), g.q(f.APIName))
	var stmts []string
	if f.Unique {
		stmts = append(stmts, fmt.Sprintf("CREATE UNIQUE INDEX %s ON %s (%s)", g.q(g.indexName(o, f, "uq")), g.table(o.APIName), g.q(f.APIName)))
	}
	if f.Indexed || f.Type == TypeLookup {
		stmts = append(stmts, fmt.Sprintf("CREATE INDEX %s ON %s (%s)", g.q(g.indexName(o, f, "ix")), g.table(o.APIName), col))
	}
	return stmts
}

// DropIndexes removes every index a field may have.
func (g DDL) DropIndexes(o *Object, f *Field) []string {
	return []string{
		"DROP INDEX IF EXISTS " + g.D.QualifiedIndex(g.Key, g.indexName(o, f, "uq")),
		"DROP INDEX IF EXISTS " + g.D.QualifiedIndex(g.Key, g.indexName(o, f, "ix")),
	}
}

func (g DDL) indexName(o *Object, f *Field, suffix string) string {
	return g.D.IndexName(g.Key, o.APIName, f.APIName+"_"+suffix)
}

// AddColumn adds a field's column, constraint and indexes.
func (g DDL) AddColumn(o *Object, f *Field) []string {
	stmts := []string{fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s", g.table(o.APIName), g.columnDef(f))}
	stmts = append(stmts, g.foreignKey(o, f)...)
	return append(stmts, g.Indexes(o, f)...)
}

// DropColumn removes a field's column and everything hanging off it.
func (g DDL) DropColumn(o *Object, f *Field) []string {
	stmts := append(g.DropForeignKey(o, f), g.DropIndexes(o, f)...)
	return append(stmts, fmt.Sprintf("ALTER TABLE %s DROP COLUMN %s", g.table(o.APIName), g.q(f.APIName)))
}

// DropTable removes an object's table.
func (g DDL) DropTable(o *Object) []string {
	return []string{"DROP TABLE " + g.table(o.APIName)}
}

// Table returns the quoted, qualified table name of an object.
func (g DDL) Table(object string) string { return g.table(object) }
