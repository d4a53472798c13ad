// Types of the Tessera HTTP API (docs/api.md). Values are kept exactly as
// the server sends them: decimals are strings, never JS numbers.

export type Locale = 'zh-CN' | 'en'
export type Labels = Partial<Record<Locale, string>>

export type FieldType =
  | 'text'
  | 'long_text'
  | 'integer'
  | 'number'
  | 'currency'
  | 'percent'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'email'
  | 'phone'
  | 'url'
  | 'picklist'
  | 'multi_picklist'
  | 'lookup'
  | 'auto_number'

export interface OptionMeta {
  api_name: string
  label?: string
  labels: Labels
  color?: string
  order?: number
  active?: boolean
  probability?: number
  forecast_category?: 'pipeline' | 'best_case' | 'commit' | 'closed_won' | 'closed_lost'
}

export interface FieldMeta {
  api_name: string
  type: FieldType
  label?: string
  labels: Labels
  description?: string
  help_text?: Labels
  required?: boolean
  unique?: boolean
  indexed?: boolean
  active?: boolean
  standard?: boolean
  default?: unknown
  max_length?: number
  min_length?: number
  min?: number | string
  max?: number | string
  precision?: number
  scale?: number
  currency_code?: string
  currency_field?: string
  options?: OptionMeta[]
  pipeline?: { labels: Labels; probability_field?: string } | null
  target?: string
  on_delete?: 'restrict' | 'set_null' | 'cascade'
  pattern?: string
  track_history?: boolean
  encrypted?: boolean
  /** A formula field is computed by the server and never written (docs/expressions.md). */
  formula?: string
  /** Computed on save and kept (filterable, sortable); otherwise recomputed on every read. */
  formula_stored?: boolean
  /** Computes the value of an absent field when a record is created. */
  default_formula?: string
}

export interface PipelineMeta {
  field: string
  labels: Labels
  probability_field?: string
  stages: OptionMeta[]
}

export interface LayoutFieldRef {
  field: string
  read_only?: boolean
  required?: boolean
  /** Shown only while this expression holds (prior values available). */
  visible_if?: string
  /** Required while this expression holds. */
  required_if?: string
}

export interface LayoutSection {
  labels: Labels
  columns: 1 | 2
  fields: LayoutFieldRef[]
}

export interface RelatedListMeta {
  object: string
  field: string
  labels?: Labels
  columns: string[]
  limit?: number
}

export interface LayoutMeta {
  api_name: string
  labels: Labels
  default?: boolean
  sections: LayoutSection[]
  related_lists: RelatedListMeta[]
}

export interface ViewColumn {
  field: string
  width?: number | null
}

export interface ListViewMeta {
  api_name: string
  labels: Labels
  default?: boolean
  columns: ViewColumn[]
  filter?: string
  sort?: string
}

export interface ObjectMeta {
  api_name: string
  label?: string
  plural_label?: string
  labels: Labels
  plural_labels?: Labels
  description?: string
  icon?: string
  name_field: string
  standard?: boolean
  fields: FieldMeta[]
  pipelines?: PipelineMeta[] | null
  layouts?: LayoutMeta[] | null
  list_views?: ListViewMeta[] | null
  sharing?: SharingSettings | null
  validation_rules?: ValidationRule[] | null
  workflows?: Workflow[] | null
  /** Admins get the full definitions; members only the active processes (no steps). */
  approval_processes?: ApprovalProcess[] | null
}

export interface UserSummary {
  id: string
  email: string
  name: string
  role: 'admin' | 'member' | string
  locale?: string | null
  time_zone?: string | null
  status?: string
  role_id?: string | null
  unit_id?: string | null
  manager_id?: string | null
  permission_sets?: string[] | null
}

export interface TenantSummary {
  id: string
  key: string
  name: string
  locale?: string
  time_zone?: string
  currency?: string
  metadata_version?: number
  /** "" or an https URL or a data URL (image, at most 100 kB). */
  logo_url?: string
}

/** GET/PATCH /tenant: the company's own settings. */
export interface TenantSettings {
  id: string
  key: string
  name: string
  locale: string
  time_zone: string
  currency: string
  logo_url: string
  metadata_version: number
}

export interface TenantPatch {
  name?: string
  logo_url?: string
  locale?: string
  time_zone?: string
}

export interface LoginResponse {
  /** Token mode only (scripts); the web app signs in with the cookie. */
  token?: string
  /** Cookie mode: the value writes send in X-CSRF-Token. */
  csrf_token?: string
  expires_in: number
  user: UserSummary
  tenant: TenantSummary
}

export interface MeResponse {
  user: UserSummary
  tenant: TenantSummary
  permissions?: Permissions
}

export interface MePatch {
  name?: string
  locale?: Locale
  time_zone?: string
}

/** A record as the API returns it: system fields plus one key per field. */
export interface RecordData {
  id: string
  version: number
  owner_id?: string | null
  created_at?: string
  created_by?: string
  updated_at?: string
  updated_by?: string
  deleted_at?: string | null
  expand?: Record<string, RecordData | null>
  [field: string]: unknown
}

export interface ListParams {
  filter?: string
  sort?: string
  limit?: number
  cursor?: string | null
  fields?: string[]
  expand?: string[]
  count?: boolean
  q?: string
}

export interface ListResult {
  data: RecordData[]
  next_cursor: string | null
  total?: number
}

export interface BulkOperation {
  op: 'create' | 'update' | 'delete'
  id?: string
  values?: Record<string, unknown>
  version?: number
}

export interface StageHistoryEntry {
  field: string
  stage: string
  from_stage: string | null
  entered_at: string
  left_at: string | null
  entered_by: string | null
  left_by: string | null
}

export interface AggregateBucket {
  key: string | null
  count: number
  sum: string | null
}

export interface AggregateParams {
  group_by: string
  sum?: string
  filter?: string
  q?: string
}

export interface SavedView {
  id: string
  name: string
  shared: boolean
  owner_id: string
  mine: boolean
  columns: ViewColumn[]
  filter: string
  sort: string
}

export type SavedViewInput = Omit<SavedView, 'id' | 'owner_id' | 'mine'>

export interface ProblemFieldError {
  field: string
  code: string
  message: string
  /** invalid_expression: UTF-8 byte offsets into the expression, and a fix. */
  position?: number
  end?: number
  suggestion?: string
  /** validation_rule: the api name of the rule that refused the save. */
  rule?: string
  /** not_convertible: ids of the records whose values block a type change. */
  rows?: string[]
}

export interface ProblemBody {
  type?: string
  title?: string
  status: number
  code: string
  detail?: string
  errors?: ProblemFieldError[]
  position?: number
  rows?: string[]
}

// ---------------------------------------------------------------- admin (setup)

export type ForecastCategory = NonNullable<OptionMeta['forecast_category']>
export type OnDelete = NonNullable<FieldMeta['on_delete']>

/** POST /meta/objects. */
export interface ObjectInput {
  api_name: string
  labels: Labels
  plural_labels?: Labels
  description?: string
  icon?: string
  name_field?: string
  fields?: FieldInput[]
}

/** PATCH /meta/objects/{object}. */
export interface ObjectPatch {
  labels?: Labels
  plural_labels?: Labels
  description?: string
  icon?: string
  name_field?: string
  sharing?: SharingSettings
}

/** A field as POST /meta/objects/{object}/fields takes it (decimals as strings). */
export interface FieldInput {
  api_name: string
  type: FieldType
  labels: Labels
  description?: string
  help_text?: Labels
  required?: boolean
  unique?: boolean
  indexed?: boolean
  default?: unknown
  max_length?: number
  min_length?: number
  min?: string
  max?: string
  precision?: number
  scale?: number
  currency_code?: string
  currency_field?: string
  options?: OptionMeta[]
  pipeline?: { labels?: Labels; probability_field?: string } | null
  target?: string
  on_delete?: OnDelete
  pattern?: string
  track_history?: boolean
  encrypted?: boolean
  formula?: string
  formula_stored?: boolean
  default_formula?: string
}

/** PATCH /meta/objects/{object}/fields/{field}: a JSON merge patch (null removes). */
export type FieldPatch = { [K in keyof FieldInput | 'active']?: unknown }

/** POST/PUT /meta/objects/{object}/layouts. */
export type LayoutInput = LayoutMeta

/** POST/PUT /meta/objects/{object}/list-views. */
export type ListViewInput = ListViewMeta

export type UserStatus = 'active' | 'inactive'

/** A user as the admin list shows it. */
export interface AdminUser {
  id: string
  email: string
  name: string
  role: 'admin' | 'member'
  status: UserStatus
  locale?: string | null
  time_zone?: string | null
  created_at?: string
  updated_at?: string
  role_id?: string | null
  unit_id?: string | null
  manager_id?: string | null
  permission_sets?: string[] | null
}

/** The organisation of a user (POST/PATCH /users). */
export interface UserOrgFields {
  role_id?: string | null
  unit_id?: string | null
  manager_id?: string | null
  permission_sets?: string[]
}

export interface NewUserInput extends UserOrgFields {
  email: string
  name: string
  role: 'admin' | 'member'
  password?: string
}

/** POST /users: the password is there only when the server generated it (shown once). */
export interface NewUserResult {
  user: AdminUser
  password?: string
}

export interface UserPatch extends UserOrgFields {
  name?: string
  role?: 'admin' | 'member'
  status?: UserStatus
}

// ---------------------------------------------------------------- access (docs/security.md)

export type ObjectAction = 'create' | 'read' | 'edit' | 'delete' | 'view_all' | 'modify_all'
export const OBJECT_ACTIONS: ObjectAction[] = ['create', 'read', 'edit', 'delete', 'view_all', 'modify_all']
export type ObjectPermissions = Partial<Record<ObjectAction, boolean>>
export type FieldLevel = 'hidden' | 'read_only' | 'editable'

export type Capability =
  | 'manage_metadata'
  | 'manage_users'
  | 'manage_security'
  | 'view_audit'
  | 'import'
  | 'export'
  | 'api'
  | 'unmask'
  | 'transfer'
export const CAPABILITIES: Capability[] = [
  'manage_metadata',
  'manage_users',
  'manage_security',
  'view_audit',
  'import',
  'export',
  'api',
  'unmask',
  'transfer',
]

/** GET /auth/me `permissions`: only restricted fields are listed. */
export interface Permissions {
  admin: boolean
  capabilities: string[]
  objects: Record<string, ObjectPermissions>
  fields: Record<string, Record<string, 'hidden' | 'read_only'>>
}

export interface PasswordPolicy {
  min_length: number
  classes: number
  max_length?: number
  class_kinds?: string[]
  no_email_name?: boolean
}

export interface SsoStatus {
  enabled: boolean
  label?: string
}

export interface OrgRole {
  id: string
  api_name: string
  name: string
  parent_id: string | null
  user_count?: number
}

export interface OrgRoleInput {
  api_name?: string
  name?: string
  parent_id?: string | null
}

export type UnitKind = 'department' | 'team'

export interface OrgUnit {
  id: string
  name: string
  kind: UnitKind
  parent_id: string | null
  user_count?: number
}

export interface OrgUnitInput {
  name?: string
  kind?: UnitKind
  parent_id?: string | null
}

export interface PermissionSetSummary {
  api_name: string
  name: string
  description?: string
  system?: boolean
  user_count?: number
}

export interface PermissionSet extends PermissionSetSummary {
  capabilities: string[]
  objects: Record<string, ObjectPermissions>
  fields: Record<string, Record<string, 'hidden' | 'read_only'>>
}

export type DefaultAccess = 'private' | 'public_read' | 'public_read_write'
export type HierarchyAccess = 'read' | 'edit'

export interface SharingSettings {
  default_access: DefaultAccess
  hierarchy_access: HierarchyAccess
}

export type GranteeType = 'role' | 'role_and_subordinates' | 'unit' | 'user'

export interface Grantee {
  type: GranteeType
  id: string
  name?: string
}

export interface SharingRule {
  api_name: string
  label?: string
  labels?: Labels
  condition: string
  grantee: Grantee
  access: 'read' | 'edit'
  active: boolean
}

export interface RecordAccess {
  read: boolean
  edit: boolean
  delete: boolean
  share: boolean
  transfer: boolean
}

export interface RecordShare {
  id: string
  grantee: Grantee
  access: 'read' | 'edit'
  reason: 'manual' | 'team'
  created_by?: string
  created_at?: string
}

export interface ShareInput {
  grantee: { type: GranteeType; id: string }
  access: 'read' | 'edit'
  reason?: 'manual' | 'team'
}

export interface TransferResult {
  transferred: number
  children?: Record<string, number>
}

export interface FieldHistoryEntry {
  field: string
  old_value: unknown
  new_value: unknown
  changed_at: string
  changed_by: string | null
  changed_by_name?: string | null
}

export interface ApiKey {
  id: string
  name: string
  prefix?: string
  owner_id?: string
  owner_name?: string
  permission_sets: string[]
  expires_at: string | null
  created_at?: string
  last_used_at?: string | null
  revoked_at?: string | null
}

export interface ApiKeyInput {
  name: string
  permission_sets: string[]
  expires_at: string | null
}

export interface SsoSettings {
  enabled: boolean
  label: string
  issuer: string
  client_id: string
  client_secret?: string
  client_secret_set?: boolean
  allowed_domains: string[]
  redirect_uri?: string
}

export interface AuditEntry {
  id: string
  at: string
  actor_id: string | null
  actor_kind: string
  actor_name?: string | null
  ip?: string
  client?: string
  request_id?: string
  action: string
  object?: string | null
  record_id?: string | null
  summary?: string
  before?: unknown
  after?: unknown
}

export interface AuditQuery {
  action?: string
  actor_id?: string
  object?: string
  record_id?: string
  from?: string
  to?: string
  q?: string
  limit?: number
  cursor?: string | null
}

// ---------------------------------------------------------------- expressions (docs/expressions.md)

/** The types of the expression language. */
export type ExprType = 'text' | 'number' | 'boolean' | 'date' | 'datetime' | 'list' | 'any'

/** A name an expression may read: a field, a lookup path, prior.<field>, $user.<attribute>, $today. */
export interface ExprName {
  name: string
  type: ExprType
  labels?: Labels
  /** A picklist's option api names. */
  options?: string[]
  /** The options' labels by api name. */
  option_labels?: Record<string, Labels>
}

export interface ExprFunction {
  name: string
  category: string
  signature: string
  doc?: Labels
  example?: string
}

/** GET /meta/objects/{object}/expressions/vocabulary. */
export interface ExprVocabulary {
  names: ExprName[]
  functions: ExprFunction[]
  keywords: string[]
}

/** One problem of an expression; position and end are UTF-8 byte offsets. */
export interface ExprProblem {
  message: string
  position?: number
  end?: number
  suggestion?: string
}

/** POST /meta/objects/{object}/expressions/check. */
export interface ExprCheckInput {
  expression: string
  prior: boolean
  result_type: ExprType
}

export interface ExprCheckResult {
  valid: boolean
  result_type?: ExprType
  fields?: string[]
  related?: Record<string, string[]>
  errors?: ExprProblem[]
}

/** POST /meta/objects/{object}/expressions/evaluate. */
export interface ExprEvaluateInput {
  expression: string
  record_id: string
  prior: boolean
}

/** valid with `error`: the expression compiled but failed on this record (division by zero). */
export interface ExprEvaluateResult {
  valid: boolean
  value?: unknown
  result_type?: ExprType
  error?: string
  errors?: ExprProblem[]
}

/** A validation rule: its condition is the error condition (true refuses the save). */
export interface ValidationRule {
  api_name: string
  labels: Labels
  description?: string
  condition: string
  message: Labels
  /** The field the message attaches to on forms ("" or absent: the form). */
  field?: string
  active: boolean
}

// ---------------------------------------------------------------- workflows (metadata/workflow.go)

export type WorkflowTriggerType =
  | 'before_save'
  | 'after_create'
  | 'after_update'
  | 'after_save'
  | 'after_delete'
  | 'field_changed'
  | 'schedule'
  | 'date_relative'
  | 'manual'

/** When a workflow runs. Which properties apply depends on the type. */
export interface WorkflowTrigger {
  type: WorkflowTriggerType
  /** field_changed: the field watched; date_relative: the date or datetime field. */
  field?: string
  /** field_changed: the value (as text) the field must change to; empty: any change. */
  to?: string
  /** date_relative: negative runs before the date. */
  offset_days?: number
  /** date_relative on a datetime field: minutes more (a reminder 30 minutes before: -30). */
  offset_minutes?: number
  /** date_relative on a date field: the hour of the day (tenant time zone). */
  hour?: number
  /** schedule: minute hour day month weekday, in the tenant's time zone. */
  cron?: string
  /** schedule: the records it runs on (list filter language). */
  filter?: string
}

export type WorkflowActionType = 'update_fields' | 'create_record' | 'assign_owner' | 'notify' | 'email' | 'webhook' | 'start_approval' | 'plugin'

/** One step of a workflow. Values are expressions; subject and body are templates with {{expression}} parts. */
export interface WorkflowAction {
  type: WorkflowActionType
  /** update_fields: "" (the record itself) or a lookup field (the record it points to). */
  target?: string
  /** create_record: the object to create. */
  object?: string
  /** update_fields, create_record: field -> expression. */
  values?: Record<string, string>
  /** notify, email: owner, manager, creator, field:<user field>, user:<id>, role:<api name>; assign_owner: the pool (user:, role:). */
  to?: string[]
  /** assign_owner: only users of the department or team named like the record's value of this field. */
  match_field?: string
  subject?: Labels
  body?: Labels
  /** webhook: where the record is POSTed. */
  url?: string
  process?: string
  plugin?: string
  params?: Record<string, string>
}

export interface Workflow {
  api_name: string
  labels: Labels
  description?: string
  active: boolean
  order: number
  trigger: WorkflowTrigger
  /** An expression; empty always holds. */
  condition?: string
  actions: WorkflowAction[]
}

export type WorkflowRunStatus = 'succeeded' | 'failed' | 'skipped'

/** One action's entry in the execution log. */
export interface WorkflowRunAction {
  type: WorkflowActionType | string
  status: WorkflowRunStatus | string
  detail?: string
  output?: Record<string, unknown>
}

/** GET /workflow-runs: one run, as logged. */
export interface WorkflowRun {
  id: string
  job_id: number
  workflow: string
  object: string
  record_id: string
  /** What started it: create, update, delete, date, schedule, manual. */
  trigger: string
  depth: number
  status: WorkflowRunStatus | string
  started_at: string
  finished_at: string | null
  inputs: Record<string, unknown> | null
  actions: WorkflowRunAction[] | null
  error: string
}

export interface WorkflowRunQuery {
  object?: string
  workflow?: string
  record_id?: string
  status?: string
  limit?: number
  /** RFC 3339 started_at of the last run of the previous page. */
  before?: string
}

/** GET /notifications: the caller's own in-app notifications. */
export interface AppNotification {
  id: string
  title: string
  body: string
  object: string
  record_id: string
  source: string
  created_at: string
  read_at: string | null
}

export interface NotificationList {
  data: AppNotification[]
  unread: number
}

// ---------------------------------------------------------------- approvals

export type ApprovalMode = 'any' | 'all'

/** One step of an approval process. Approvers: "manager" (the submitter's), "user:<id>", "role:<api name>". */
export interface ApprovalStep {
  name: string
  labels: Labels
  approvers: string[]
  mode: ApprovalMode
  /** When set, the step applies only to records meeting it. */
  condition?: string
}

export interface ApprovalProcess {
  api_name: string
  labels: Labels
  description?: string
  active: boolean
  /** An expression a record must meet to be submitted (no prior values). */
  entry_criteria?: string
  steps: ApprovalStep[]
  on_approve?: WorkflowAction[]
  on_reject?: WorkflowAction[]
}

export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'recalled'
export type ApprovalTaskStatus = 'pending' | 'approved' | 'rejected' | 'reassigned' | 'skipped'

export interface ApprovalTask {
  id: string
  approval_id?: string
  step: number
  approver_id: string
  status: ApprovalTaskStatus | string
  comment: string
  created_at: string
  decided_at: string | null
}

/** One submission of a record to a process, with every approver's task. */
export interface Approval {
  id: string
  object: string
  record_id: string
  process: string
  status: ApprovalStatus | string
  /** The current step (0-based). */
  step: number
  submitted_by: string | null
  submitted_at: string
  decided_at: string | null
  comment: string
  tasks: ApprovalTask[]
}

/** GET /approvals/inbox: one of the caller's pending tasks. */
export interface ApprovalInboxItem {
  task: ApprovalTask
  approval: Approval
  record_name: string
}

/** POST /records/{o}/form-state: a layout's conditions on a record being edited. */
export interface FormState {
  hidden: string[]
  required: string[]
}
