// The one typed client for the Tessera API. Every call goes through
// `request`, which sends the session cookie (same origin) with the CSRF
// token on writes, turns problem+json answers into ApiError, and reports
// 401s so the app can return to the login page. No token is stored: the
// session lives in the HTTP-only cookie `tessera_session`.
import type {
  AggregateBucket,
  AggregateParams,
  BulkOperation,
  ListParams,
  ListResult,
  LoginResponse,
  MePatch,
  MeResponse,
  ObjectMeta,
  ProblemBody,
  ProblemFieldError,
  RecordData,
  SavedView,
  SavedViewInput,
  StageHistoryEntry,
  TenantPatch,
  TenantSettings,
  UserSummary,
} from './types'
import type {
  ApiKey,
  ApiKeyInput,
  AuditEntry,
  AuditQuery,
  FieldHistoryEntry,
  OrgRole,
  OrgRoleInput,
  OrgUnit,
  OrgUnitInput,
  PasswordPolicy,
  PermissionSet,
  PermissionSetSummary,
  RecordAccess,
  RecordShare,
  ShareInput,
  SharingRule,
  SsoSettings,
  SsoStatus,
  TransferResult,
} from './types'
import type {
  AdminUser,
  FieldInput,
  FieldMeta,
  FieldPatch,
  FieldType,
  LayoutInput,
  LayoutMeta,
  ListViewInput,
  ListViewMeta,
  NewUserInput,
  NewUserResult,
  ObjectInput,
  ObjectPatch,
  UserPatch,
} from './types'
import type {
  ExprCheckInput,
  ExprCheckResult,
  ExprEvaluateInput,
  ExprEvaluateResult,
  ExprVocabulary,
  ValidationRule,
} from './types'
import type { NotificationList, Workflow, WorkflowRun, WorkflowRunQuery } from './types'
import type { Approval, ApprovalInboxItem, ApprovalProcess, FormState } from './types'

export const API_BASE = '/api/v1'
export const CSRF_COOKIE = 'tessera_csrf'
export const CSRF_HEADER = 'X-CSRF-Token'

/** An error answered by the API (RFC 9457 problem+json) or a network failure. */
export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly detail: string
  readonly errors: ProblemFieldError[]
  readonly position: number | undefined
  readonly requestId: string | undefined
  /** Seconds from a Retry-After header (429 lockouts, 503). */
  retryAfter: number | undefined

  constructor(body: ProblemBody, requestId?: string) {
    super(body.detail || body.title || body.code)
    this.name = 'ApiError'
    this.status = body.status
    this.code = body.code
    this.detail = body.detail ?? ''
    this.errors = body.errors ?? []
    this.position = body.position ?? this.errors.find((e) => e.position !== undefined)?.position
    this.requestId = requestId
  }

  /** The first message per field, for showing next to form fields. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {}
    for (const e of this.errors) {
      if (e.field && !(e.field in out)) out[e.field] = e.message
    }
    return out
  }

  get isVersionConflict(): boolean {
    return this.status === 412 || this.code === 'version_conflict'
  }

  get isNotFound(): boolean {
    return this.status === 404
  }

  /** The session's CSRF token was missing or stale (403 csrf_failed). */
  get isCsrfFailure(): boolean {
    return this.code === 'csrf_failed'
  }

  /** Too many failed sign-ins: locked for `retryAfter` seconds. */
  get isLockedOut(): boolean {
    return this.status === 429 || this.code === 'too_many_attempts'
  }

  /** The route does not exist on this server (an endpoint not deployed yet). */
  get isUnavailable(): boolean {
    return this.status === 404 || this.status === 405 || this.status === 501
  }
}

/** Builds an ApiError from any non-2xx response, problem+json or not. */
export async function problemFromResponse(res: Response): Promise<ApiError> {
  const requestId = res.headers.get('X-Request-ID') ?? undefined
  const type = res.headers.get('Content-Type') ?? ''
  let body: Partial<ProblemBody> = {}
  if (type.includes('json')) {
    try {
      body = (await res.json()) as Partial<ProblemBody>
    } catch {
      body = {}
    }
  }
  const err = new ApiError(
    {
      ...body,
      status: typeof body.status === 'number' ? body.status : res.status,
      code: typeof body.code === 'string' && body.code ? body.code : codeForStatus(res.status),
      detail: typeof body.detail === 'string' ? body.detail : res.statusText,
      errors: Array.isArray(body.errors) ? body.errors : [],
    },
    requestId,
  )
  err.retryAfter = parseRetryAfter(res.headers.get('Retry-After'))
  return err
}

/** Retry-After as seconds: a number of seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined
  const v = value.trim()
  if (/^\d+$/.test(v)) return Number(v)
  const at = Date.parse(v)
  return Number.isNaN(at) ? undefined : Math.max(0, Math.round((at - now) / 1000))
}

function codeForStatus(status: number): string {
  switch (status) {
    case 400:
      return 'bad_request'
    case 401:
      return 'unauthorized'
    case 403:
      return 'forbidden'
    case 404:
      return 'not_found'
    case 409:
      return 'conflict'
    case 412:
      return 'version_conflict'
    case 429:
      return 'too_many_attempts'
    case 413:
      return 'too_large'
    case 503:
      return 'busy'
    default:
      return status >= 500 ? 'server_error' : 'error'
  }
}

// ---------------------------------------------------------------- session

let csrfMemory: string | null = null
let sessionActive = false

/** The value of a readable cookie of this origin. */
export function readCookie(name: string): string | null {
  try {
    for (const part of document.cookie.split(';')) {
      const i = part.indexOf('=')
      if (i < 0) continue
      if (part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim())
    }
  } catch {
    // no document (tests, workers)
  }
  return null
}

/** The CSRF token writes must carry: the readable cookie, else the one the login answered. */
export function csrfToken(): string | null {
  return readCookie(CSRF_COOKIE) || csrfMemory
}

/** Keeps the login's csrf_token in memory (for when the cookie cannot be read). */
export function setCsrfToken(token: string | null): void {
  csrfMemory = token
}

/**
 * Whether the app believes a session exists (after a login or a successful
 * GET /auth/me). A 401 then means the session ended and the app is told;
 * before, a 401 only means "not signed in".
 */
export function setSessionActive(active: boolean): void {
  sessionActive = active
  if (!active) csrfMemory = null
}

export function isSessionActive(): boolean {
  return sessionActive
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

let onUnauthorized: (() => void) | null = null
let onMetadataVersion: ((header: string | null) => void) | null = null

/** Called once by the app: what to do when the session stops working. */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler
}

/** Called once by the app: every tenant response's X-Metadata-Version header goes here. */
export function setMetadataVersionHandler(handler: ((header: string | null) => void) | null): void {
  onMetadataVersion = handler
}

// ---------------------------------------------------------------- request

type QueryValue = string | number | boolean | string[] | null | undefined

export interface RequestOptions {
  query?: Record<string, QueryValue>
  body?: unknown
  headers?: Record<string, string>
  signal?: AbortSignal
}

export interface ApiResponse<T> {
  data: T
  status: number
  headers: Headers
}

export function buildQuery(query: Record<string, QueryValue> | undefined): string {
  if (!query) return ''
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue
    if (Array.isArray(value)) {
      if (value.length) params.set(key, value.join(','))
    } else {
      params.set(key, String(value))
    }
  }
  const s = params.toString()
  return s ? `?${s}` : ''
}

async function send(method: string, path: string, opts: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers }
  if (UNSAFE.has(method.toUpperCase())) {
    const csrf = csrfToken()
    if (csrf) headers[CSRF_HEADER] = csrf
  }
  let body: string | undefined
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = JSON.stringify(opts.body)
  }
  let res: Response
  try {
    res = await fetch(API_BASE + path + buildQuery(opts.query), {
      method,
      headers,
      body,
      signal: opts.signal,
      credentials: 'same-origin',
    })
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err
    throw new ApiError({ status: 0, code: 'network', detail: String(err) })
  }
  const metadataVersion = res.headers?.get('X-Metadata-Version')
  if (metadataVersion && onMetadataVersion) onMetadataVersion(metadataVersion)
  if (!res.ok && res.status !== 304) {
    const error = await problemFromResponse(res)
    if (res.status === 401 && sessionActive && !path.startsWith('/auth/login')) {
      setSessionActive(false)
      onUnauthorized?.()
    }
    throw error
  }
  return res
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<ApiResponse<T>> {
  const res = await send(method, path, opts)
  let data = undefined as T
  if (res.status !== 204 && (res.headers.get('Content-Type') ?? '').includes('json')) {
    data = (await res.json()) as T
  }
  return { data, status: res.status, headers: res.headers }
}

const enc = encodeURIComponent

function ifMatch(version: number | undefined): Record<string, string> {
  return version === undefined ? {} : { 'If-Match': `"${version}"` }
}

function listQuery(p: ListParams): Record<string, QueryValue> {
  return {
    filter: p.filter,
    sort: p.sort,
    limit: p.limit,
    cursor: p.cursor,
    fields: p.fields,
    expand: p.expand,
    count: p.count ? 'true' : undefined,
    q: p.q?.trim() || undefined,
  }
}

/** The file name of a download: RFC 5987 `filename*` first, then `filename`. */
export function attachmentName(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition)
  if (extended) {
    try {
      return decodeURIComponent(extended[1].trim())
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition)
  return plain ? plain[1].trim() : fallback
}

// ---------------------------------------------------------------- endpoints

export const api = {
  auth: {
    /** Cookie mode (the server's default): sets tessera_session and tessera_csrf. */
    async login(tenant: string, email: string, password: string): Promise<LoginResponse> {
      return (await request<LoginResponse>('POST', '/auth/login', { body: { tenant, email, password } })).data
    },
    async changePassword(current_password: string, new_password: string): Promise<void> {
      await request<void>('POST', '/auth/me/password', { body: { current_password, new_password } })
    },
    async passwordPolicy(): Promise<PasswordPolicy> {
      return (await request<PasswordPolicy>('GET', '/auth/password-policy')).data
    },
    /** Public: whether the tenant offers single sign-on, and its button label. */
    async sso(tenant: string, signal?: AbortSignal): Promise<SsoStatus> {
      return (await request<SsoStatus>('GET', '/auth/sso', { query: { tenant }, signal })).data
    },
    async me(): Promise<MeResponse> {
      return (await request<MeResponse>('GET', '/auth/me')).data
    },
    async updateMe(patch: MePatch): Promise<MeResponse> {
      return (await request<MeResponse>('PATCH', '/auth/me', { body: patch })).data
    },
    async logout(): Promise<void> {
      await request<void>('POST', '/auth/logout')
    },
  },

  meta: {
    async objects(): Promise<{ data: ObjectMeta[]; version: number }> {
      return (await request<{ data: ObjectMeta[]; version: number }>('GET', '/meta/objects')).data
    },
  },

  users: {
    async list(): Promise<UserSummary[]> {
      return (await request<{ data: UserSummary[] }>('GET', '/users')).data.data
    },
  },

  tenant: {
    async get(): Promise<TenantSettings> {
      return (await request<TenantSettings>('GET', '/tenant')).data
    },
    async update(patch: TenantPatch): Promise<TenantSettings> {
      return (await request<TenantSettings>('PATCH', '/tenant', { body: patch })).data
    },
  },

  records: {
    async list(object: string, params: ListParams = {}, signal?: AbortSignal): Promise<ListResult> {
      return (await request<ListResult>('GET', `/records/${enc(object)}`, { query: listQuery(params), signal })).data
    },
    async get(object: string, id: string, params: { fields?: string[]; expand?: string[] } = {}): Promise<RecordData> {
      return (await request<RecordData>('GET', `/records/${enc(object)}/${enc(id)}`, { query: params })).data
    },
    /** `layout`: held to that layout's required and required_if fields (400 `required` per field). */
    async create(object: string, values: Record<string, unknown>, layout?: string): Promise<RecordData> {
      return (await request<RecordData>('POST', `/records/${enc(object)}`, { body: values, query: { layout } })).data
    },
    async update(object: string, id: string, values: Record<string, unknown>, version?: number, layout?: string): Promise<RecordData> {
      return (
        await request<RecordData>('PATCH', `/records/${enc(object)}/${enc(id)}`, {
          body: values,
          headers: ifMatch(version),
          query: { layout },
        })
      ).data
    },
    /** Which of a layout's fields are hidden and required for a record being edited (the draft over the stored record). */
    async formState(object: string, input: { layout: string; id?: string; values: Record<string, unknown> }, signal?: AbortSignal): Promise<FormState> {
      return (await request<FormState>('POST', `/records/${enc(object)}/form-state`, { body: input, signal })).data
    },
    async remove(object: string, id: string, version?: number): Promise<void> {
      await request<void>('DELETE', `/records/${enc(object)}/${enc(id)}`, { headers: ifMatch(version) })
    },
    async restore(object: string, id: string): Promise<RecordData> {
      return (await request<RecordData>('POST', `/records/${enc(object)}/${enc(id)}/restore`)).data
    },
    async bulk(object: string, operations: BulkOperation[]): Promise<{ results: unknown[] }> {
      return (await request<{ results: unknown[] }>('POST', `/records/${enc(object)}/bulk`, { body: { operations } })).data
    },
    async stageHistory(object: string, id: string): Promise<StageHistoryEntry[]> {
      return (await request<{ data: StageHistoryEntry[] }>('GET', `/records/${enc(object)}/${enc(id)}/stage-history`)).data
        .data
    },
    async aggregate(object: string, params: AggregateParams, signal?: AbortSignal): Promise<AggregateBucket[]> {
      const query = { group_by: params.group_by, sum: params.sum, filter: params.filter, q: params.q?.trim() || undefined }
      return (await request<{ data: AggregateBucket[] }>('GET', `/records/${enc(object)}/aggregate`, { query, signal })).data
        .data
    },
    /** What the caller may do with one record. */
    async access(object: string, id: string): Promise<RecordAccess> {
      return (await request<RecordAccess>('GET', `/records/${enc(object)}/${enc(id)}/access`)).data
    },
    /** Tracked field changes, newest first. */
    async history(object: string, id: string): Promise<FieldHistoryEntry[]> {
      return (await request<{ data: FieldHistoryEntry[] }>('GET', `/records/${enc(object)}/${enc(id)}/history`)).data.data ?? []
    },
    async shares(object: string, id: string): Promise<RecordShare[]> {
      return (await request<{ data: RecordShare[] }>('GET', `/records/${enc(object)}/${enc(id)}/shares`)).data.data ?? []
    },
    async addShare(object: string, id: string, share: ShareInput): Promise<RecordShare> {
      return (await request<RecordShare>('POST', `/records/${enc(object)}/${enc(id)}/shares`, { body: share })).data
    },
    async removeShare(object: string, id: string, shareId: string): Promise<void> {
      await request<void>('DELETE', `/records/${enc(object)}/${enc(id)}/shares/${enc(shareId)}`)
    },
    /** New owner for up to 200 records (and, with children, their child records). */
    async transfer(object: string, ids: string[], ownerId: string, children: boolean): Promise<TransferResult> {
      return (
        await request<TransferResult>('POST', `/records/${enc(object)}/transfer`, { body: { ids, owner_id: ownerId, children } })
      ).data
    },
    /** The CSV of a list; fetched (not a plain link) so errors can be shown. */
    async exportCsv(object: string, params: ListParams): Promise<{ blob: Blob; filename: string }> {
      const res = await send('GET', `/records/${enc(object)}/export`, {
        query: { ...listQuery(params), limit: undefined, cursor: undefined },
        headers: { Accept: 'text/csv' },
      })
      const blob = await res.blob()
      return { blob, filename: attachmentName(res.headers.get('Content-Disposition'), `${object}.csv`) }
    },
  },

  views: {
    async list(object: string): Promise<SavedView[]> {
      return (await request<{ data: SavedView[] }>('GET', `/views/${enc(object)}`)).data.data
    },
    async create(object: string, view: SavedViewInput): Promise<SavedView> {
      return (await request<SavedView>('POST', `/views/${enc(object)}`, { body: view })).data
    },
    async update(object: string, id: string, view: SavedViewInput): Promise<SavedView> {
      return (await request<SavedView>('PUT', `/views/${enc(object)}/${enc(id)}`, { body: view })).data
    },
    async remove(object: string, id: string): Promise<void> {
      await request<void>('DELETE', `/views/${enc(object)}/${enc(id)}`)
    },
  },

  /** Setup (admins): objects, fields, layouts, list views, users. */
  admin: {
    async fieldTypes(): Promise<FieldType[]> {
      return (await request<{ data: FieldType[] }>('GET', '/meta/field-types')).data.data
    },
    async object(object: string): Promise<ObjectMeta> {
      return (await request<ObjectMeta>('GET', `/meta/objects/${enc(object)}`)).data
    },
    async createObject(input: ObjectInput): Promise<ObjectMeta> {
      return (await request<ObjectMeta>('POST', '/meta/objects', { body: input })).data
    },
    async updateObject(object: string, patch: ObjectPatch): Promise<ObjectMeta> {
      return (await request<ObjectMeta>('PATCH', `/meta/objects/${enc(object)}`, { body: patch })).data
    },
    async deleteObject(object: string): Promise<void> {
      await request<void>('DELETE', `/meta/objects/${enc(object)}`)
    },
    async createField(object: string, field: FieldInput): Promise<FieldMeta> {
      return (await request<FieldMeta>('POST', `/meta/objects/${enc(object)}/fields`, { body: field })).data
    },
    async updateField(object: string, field: string, patch: FieldPatch): Promise<FieldMeta> {
      return (await request<FieldMeta>('PATCH', `/meta/objects/${enc(object)}/fields/${enc(field)}`, { body: patch })).data
    },
    async deleteField(object: string, field: string): Promise<void> {
      await request<void>('DELETE', `/meta/objects/${enc(object)}/fields/${enc(field)}`)
    },
    async createLayout(object: string, layout: LayoutInput): Promise<LayoutMeta> {
      return (await request<LayoutMeta>('POST', `/meta/objects/${enc(object)}/layouts`, { body: layout })).data
    },
    async replaceLayout(object: string, name: string, layout: LayoutInput): Promise<LayoutMeta> {
      return (await request<LayoutMeta>('PUT', `/meta/objects/${enc(object)}/layouts/${enc(name)}`, { body: layout })).data
    },
    async deleteLayout(object: string, name: string): Promise<void> {
      await request<void>('DELETE', `/meta/objects/${enc(object)}/layouts/${enc(name)}`)
    },
    async createListView(object: string, view: ListViewInput): Promise<ListViewMeta> {
      return (await request<ListViewMeta>('POST', `/meta/objects/${enc(object)}/list-views`, { body: view })).data
    },
    async replaceListView(object: string, name: string, view: ListViewInput): Promise<ListViewMeta> {
      return (await request<ListViewMeta>('PUT', `/meta/objects/${enc(object)}/list-views/${enc(name)}`, { body: view })).data
    },
    async deleteListView(object: string, name: string): Promise<void> {
      await request<void>('DELETE', `/meta/objects/${enc(object)}/list-views/${enc(name)}`)
    },
    async createValidationRule(object: string, rule: ValidationRule): Promise<void> {
      await request<unknown>('POST', `/meta/objects/${enc(object)}/validation-rules`, { body: rule })
    },
    async replaceValidationRule(object: string, name: string, rule: ValidationRule): Promise<void> {
      await request<unknown>('PUT', `/meta/objects/${enc(object)}/validation-rules/${enc(name)}`, { body: rule })
    },
    async deleteValidationRule(object: string, name: string): Promise<void> {
      await request<void>('DELETE', `/meta/objects/${enc(object)}/validation-rules/${enc(name)}`)
    },
    async createWorkflow(object: string, workflow: Workflow): Promise<ObjectMeta> {
      return (await request<ObjectMeta>('POST', `/meta/objects/${enc(object)}/workflows`, { body: workflow })).data
    },
    async replaceWorkflow(object: string, name: string, workflow: Workflow): Promise<ObjectMeta> {
      return (await request<ObjectMeta>('PUT', `/meta/objects/${enc(object)}/workflows/${enc(name)}`, { body: workflow })).data
    },
    async deleteWorkflow(object: string, name: string): Promise<void> {
      await request<void>('DELETE', `/meta/objects/${enc(object)}/workflows/${enc(name)}`)
    },
    async createApprovalProcess(object: string, process: ApprovalProcess): Promise<ObjectMeta> {
      return (await request<ObjectMeta>('POST', `/meta/objects/${enc(object)}/approval-processes`, { body: process })).data
    },
    async replaceApprovalProcess(object: string, name: string, process: ApprovalProcess): Promise<ObjectMeta> {
      return (await request<ObjectMeta>('PUT', `/meta/objects/${enc(object)}/approval-processes/${enc(name)}`, { body: process })).data
    },
    /** 409 while a workflow starts it. */
    async deleteApprovalProcess(object: string, name: string): Promise<void> {
      await request<void>('DELETE', `/meta/objects/${enc(object)}/approval-processes/${enc(name)}`)
    },
    async users(): Promise<AdminUser[]> {
      return (await request<{ data: AdminUser[] }>('GET', '/users')).data.data
    },
    async createUser(input: NewUserInput): Promise<NewUserResult> {
      return (await request<NewUserResult>('POST', '/users', { body: input })).data
    },
    async updateUser(id: string, patch: UserPatch): Promise<AdminUser> {
      return (await request<AdminUser>('PATCH', `/users/${enc(id)}`, { body: patch })).data
    },
    /** Without a password the server generates one and returns it (once). */
    async resetPassword(id: string, password?: string): Promise<{ password?: string }> {
      return (await request<{ password?: string }>('POST', `/users/${enc(id)}/reset-password`, { body: password ? { password } : {} })).data
    },
  },

  /** The expression language of formulas, defaults and rules (capability manage_metadata). */
  expressions: {
    /** What an expression on the object may name; `prior` adds prior.* (rules that run on save). */
    async vocabulary(object: string, prior: boolean, signal?: AbortSignal): Promise<ExprVocabulary> {
      const path = `/meta/objects/${enc(object)}/expressions/vocabulary`
      return (await request<ExprVocabulary>('GET', path, { query: { prior: prior ? 'true' : 'false' }, signal })).data
    },
    /** Compiles without saving: valid with its result type, or the problems (byte offsets). */
    async check(object: string, input: ExprCheckInput, signal?: AbortSignal): Promise<ExprCheckResult> {
      return (await request<ExprCheckResult>('POST', `/meta/objects/${enc(object)}/expressions/check`, { body: input, signal })).data
    },
    /** Evaluates against one record the caller can read (404 otherwise). */
    async evaluate(object: string, input: ExprEvaluateInput, signal?: AbortSignal): Promise<ExprEvaluateResult> {
      return (await request<ExprEvaluateResult>('POST', `/meta/objects/${enc(object)}/expressions/evaluate`, { body: input, signal }))
        .data
    },
  },

  /** Workflow runs: the execution log (manage_metadata) and manual starts (who may edit the record). */
  workflows: {
    /** Newest first; `before` pages on by started_at. */
    async runs(query: WorkflowRunQuery, signal?: AbortSignal): Promise<WorkflowRun[]> {
      return (await request<{ data: WorkflowRun[] }>('GET', '/workflow-runs', { query: { ...query }, signal })).data.data ?? []
    },
    /** Starts an active manual workflow on a record: 202 with the queued job's id. */
    async runManual(object: string, id: string, name: string): Promise<{ job_id: number }> {
      return (await request<{ job_id: number }>('POST', `/records/${enc(object)}/${enc(id)}/workflows/${enc(name)}`)).data
    },
  },

  /** Approvals: submitting records, the caller's inbox, decisions (docs/automation.md, Approvals). */
  approvals: {
    /** 409 approval_pending, 422 entry_criteria / no_approver, 403 without edit access. */
    async submit(object: string, id: string, process: string, comment: string): Promise<Approval> {
      return (await request<Approval>('POST', `/records/${enc(object)}/${enc(id)}/approvals`, { body: { process, comment } })).data
    },
    /** A record's approvals, newest first. */
    async ofRecord(object: string, id: string, signal?: AbortSignal): Promise<Approval[]> {
      return (await request<{ data: Approval[] }>('GET', `/records/${enc(object)}/${enc(id)}/approvals`, { signal })).data.data ?? []
    },
    /** The caller's pending tasks. */
    async inbox(signal?: AbortSignal): Promise<ApprovalInboxItem[]> {
      return (await request<{ data: ApprovalInboxItem[] }>('GET', '/approvals/inbox', { signal })).data.data ?? []
    },
    async approve(id: string, comment: string): Promise<Approval> {
      return (await request<Approval>('POST', `/approvals/${enc(id)}/approve`, { body: { comment } })).data
    },
    /** A reason is required (400 on `comment`). */
    async reject(id: string, comment: string): Promise<Approval> {
      return (await request<Approval>('POST', `/approvals/${enc(id)}/reject`, { body: { comment } })).data
    },
    async recall(id: string, comment: string): Promise<Approval> {
      return (await request<Approval>('POST', `/approvals/${enc(id)}/recall`, { body: { comment } })).data
    },
    /** `from` (admins only): whose task is handed over. */
    async reassign(id: string, to: string, comment: string, from?: string): Promise<Approval> {
      return (await request<Approval>('POST', `/approvals/${enc(id)}/reassign`, { body: { to, comment, ...(from ? { from } : {}) } })).data
    },
  },

  /** The signed-in user's in-app notifications. */
  notifications: {
    async list(unreadOnly: boolean, signal?: AbortSignal): Promise<NotificationList> {
      const res = await request<NotificationList>('GET', '/notifications', { query: { unread: unreadOnly ? 'true' : undefined }, signal })
      return { data: res.data.data ?? [], unread: res.data.unread ?? 0 }
    },
    async markRead(target: { ids: string[] } | { all: true }): Promise<number> {
      return (await request<{ marked: number }>('POST', '/notifications/read', { body: target })).data.marked ?? 0
    },
  },

  /** Organisation: roles and org units (docs/api.md). */
  org: {
    async roles(): Promise<OrgRole[]> {
      return (await request<{ data: OrgRole[] }>('GET', '/org/roles')).data.data ?? []
    },
    async createRole(input: OrgRoleInput): Promise<OrgRole> {
      return (await request<OrgRole>('POST', '/org/roles', { body: input })).data
    },
    async updateRole(id: string, patch: OrgRoleInput): Promise<OrgRole> {
      return (await request<OrgRole>('PATCH', `/org/roles/${enc(id)}`, { body: patch })).data
    },
    async deleteRole(id: string): Promise<void> {
      await request<void>('DELETE', `/org/roles/${enc(id)}`)
    },
    async units(): Promise<OrgUnit[]> {
      return (await request<{ data: OrgUnit[] }>('GET', '/org/units')).data.data ?? []
    },
    async createUnit(input: OrgUnitInput): Promise<OrgUnit> {
      return (await request<OrgUnit>('POST', '/org/units', { body: input })).data
    },
    async updateUnit(id: string, patch: OrgUnitInput): Promise<OrgUnit> {
      return (await request<OrgUnit>('PATCH', `/org/units/${enc(id)}`, { body: patch })).data
    },
    async deleteUnit(id: string): Promise<void> {
      await request<void>('DELETE', `/org/units/${enc(id)}`)
    },
  },

  /** Permission sets, sharing settings and rules, SSO, API keys, audit. */
  security: {
    async permissionSets(): Promise<PermissionSetSummary[]> {
      return (await request<{ data: PermissionSetSummary[] }>('GET', '/permission-sets')).data.data ?? []
    },
    async permissionSet(name: string): Promise<PermissionSet> {
      return (await request<PermissionSet>('GET', `/permission-sets/${enc(name)}`)).data
    },
    async createPermissionSet(set: PermissionSet): Promise<PermissionSet> {
      return (await request<PermissionSet>('POST', '/permission-sets', { body: set })).data
    },
    async replacePermissionSet(name: string, set: PermissionSet): Promise<PermissionSet> {
      return (await request<PermissionSet>('PUT', `/permission-sets/${enc(name)}`, { body: set })).data
    },
    async deletePermissionSet(name: string): Promise<void> {
      await request<void>('DELETE', `/permission-sets/${enc(name)}`)
    },
    async sharingRules(object: string): Promise<SharingRule[]> {
      return (await request<{ data: SharingRule[] }>('GET', `/meta/objects/${enc(object)}/sharing-rules`)).data.data ?? []
    },
    async createSharingRule(object: string, rule: SharingRule): Promise<SharingRule> {
      return (await request<SharingRule>('POST', `/meta/objects/${enc(object)}/sharing-rules`, { body: rule })).data
    },
    async replaceSharingRule(object: string, name: string, rule: SharingRule): Promise<SharingRule> {
      return (await request<SharingRule>('PUT', `/meta/objects/${enc(object)}/sharing-rules/${enc(name)}`, { body: rule })).data
    },
    async deleteSharingRule(object: string, name: string): Promise<void> {
      await request<void>('DELETE', `/meta/objects/${enc(object)}/sharing-rules/${enc(name)}`)
    },
    async apiKeys(all = false): Promise<ApiKey[]> {
      return (await request<{ data: ApiKey[] }>('GET', '/api-keys', { query: { all: all ? 'true' : undefined } })).data.data ?? []
    },
    /** The answer holds `key` (shown once). */
    async createApiKey(input: ApiKeyInput): Promise<ApiKey & { key: string }> {
      return (await request<ApiKey & { key: string }>('POST', '/api-keys', { body: input })).data
    },
    async revokeApiKey(id: string): Promise<void> {
      await request<void>('DELETE', `/api-keys/${enc(id)}`)
    },
    async sso(): Promise<SsoSettings> {
      return (await request<SsoSettings>('GET', '/admin/sso')).data
    },
    async saveSso(settings: SsoSettings): Promise<SsoSettings> {
      return (await request<SsoSettings>('PUT', '/admin/sso', { body: settings })).data
    },
    async audit(query: AuditQuery, signal?: AbortSignal): Promise<{ data: AuditEntry[]; next_cursor: string | null }> {
      const res = await request<{ data: AuditEntry[]; next_cursor?: string | null }>('GET', '/audit', { query: { ...query }, signal })
      return { data: res.data.data ?? [], next_cursor: res.data.next_cursor ?? null }
    },
    async auditExport(query: AuditQuery): Promise<{ blob: Blob; filename: string }> {
      const res = await send('GET', '/audit/export', { query: { ...query, limit: undefined, cursor: undefined }, headers: { Accept: 'text/csv' } })
      return { blob: await res.blob(), filename: attachmentName(res.headers.get('Content-Disposition'), 'audit.csv') }
    },
  },
}
