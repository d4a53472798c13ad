// The workflow dialog's model: a draft from a workflow (or blank), the
// workflow the API takes back, what the server would refuse (checked
// before sending), and the server's errors sorted onto the dialog's inputs.
//
// Inputs are named by keys, shared by the local checks and the server's
// errors: "api_name", "labels", "condition", "trigger.field", "trigger.cron",
// and per action (by its local key, so errors stay with an action that
// moves) "action:<key>.url", "action:<key>.to", "action:<key>.field:<row>",
// "action:<key>.value:<row>", "action:<key>.templates".
import type { ApprovalProcess, ExprProblem, FieldMeta, Labels, ObjectMeta, ProblemFieldError, Workflow, WorkflowAction, WorkflowActionType, WorkflowTrigger, WorkflowTriggerType } from '@/api/types'
import { problemOfFieldError } from '@/expression/problems'
import { activeFields, findField } from '@/metadata/objects'
import { cronFromDraft, cronLooksValid, defaultCron, draftFromCron, type CronDraft } from '@/workflow/cron'
import { isValidRecipient } from '@/workflow/recipients'
import { templateParts } from '@/workflow/template'
import { isDateField, minutesOf, offsetMinutes, relativeOffset, splitOffset, MINUTES_PER_DAY, type RelativeOffset } from '@/workflow/trigger'
import { apiNameProblem } from './apiName'
import { bilingual, labelsOf, type BilingualText, type DraftProblem } from './fieldDraft'
import { joinPath, splitPath, type PathPart } from './problemPaths'
import { localKey } from './reorder'

export const MAX_WORKFLOWS = 50
export const MAX_ACTIONS = 20
/** The server's bounds on date-relative offsets: ten years of days, a week of minutes. */
export const MAX_OFFSET_DAYS = 3650
export const MAX_OFFSET_MINUTES = 10080

/** Action types the form offers; the others are shown disabled ("coming soon") and kept as loaded. */
export const ACTION_TYPES: WorkflowActionType[] = ['update_fields', 'create_record', 'assign_owner', 'notify', 'email', 'webhook', 'start_approval']
export const COMING_SOON: WorkflowActionType[] = ['plugin']
/** What an approval's outcome may do: the actions of workflows, but not start another approval. */
export const OUTCOME_ACTION_TYPES: WorkflowActionType[] = ACTION_TYPES.filter((t) => t !== 'start_approval')

/** The properties the form edits, per action type. */
const FORM_KEYS: Partial<Record<WorkflowActionType, (keyof WorkflowAction)[]>> = {
  update_fields: ['type', 'target', 'values'],
  create_record: ['type', 'object', 'values'],
  assign_owner: ['type', 'to', 'match_field'],
  notify: ['type', 'to', 'subject', 'body'],
  email: ['type', 'to', 'subject', 'body'],
  webhook: ['type', 'url'],
  start_approval: ['type', 'process'],
}
/** Whether the form edits actions of this type (the others are kept as loaded). */
export function isEditableAction(type: string): boolean {
  return type in FORM_KEYS
}

const ACTION_KEYS = new Set<string>([...Object.values(FORM_KEYS).flat(), 'plugin', 'params'])
const TRIGGER_KEYS = new Set(['type', 'field', 'to', 'offset_days', 'offset_minutes', 'hour', 'cron', 'filter'])
const WORKFLOW_KEYS = new Set(['api_name', 'labels', 'description', 'active', 'order', 'trigger', 'condition', 'actions'])

/** The properties of a server object this form does not know (a newer server's): sent back as they came. */
function unknownKeys(o: object, known: Set<string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([k]) => !known.has(k)))
}

export interface ValueRow {
  key: string
  field: string
  expression: string
}

export interface ActionDraft {
  key: string
  type: WorkflowActionType
  target: string
  object: string
  values: ValueRow[]
  to: string[]
  subject: BilingualText
  body: BilingualText
  url: string
  /** assign_owner: the field whose value names the team to assign within. */
  matchField: string
  /** start_approval: the approval process (api name) it submits the record to. */
  process: string
  /** An action of a type the form does not edit (approval, plugin): sent back as loaded while its type stays. */
  kept: WorkflowAction | null
  /** Properties the form does not know, kept. */
  extra: Record<string, unknown>
}

export interface TriggerDraft {
  type: WorkflowTriggerType
  /** field_changed: the watched field; date_relative: the date or datetime. */
  field: string
  to: string
  /** date_relative. Date fields count whole days. */
  offset: RelativeOffset
  hour: number
  schedule: CronDraft
  filter: string
  extra: Record<string, unknown>
}

export interface WorkflowDraft {
  api_name: string
  labels: BilingualText
  description: string
  active: boolean
  order: number
  trigger: TriggerDraft
  condition: string
  actions: ActionDraft[]
  extra: Record<string, unknown>
}

export function valueRow(field = '', expression = ''): ValueRow {
  return { key: localKey('v'), field, expression }
}

export function blankAction(type: WorkflowActionType = 'notify'): ActionDraft {
  const base: ActionDraft = {
    key: localKey('a'),
    type,
    target: '',
    object: '',
    values: [],
    to: [],
    subject: bilingual(null),
    body: bilingual(null),
    url: '',
    matchField: '',
    process: '',
    kept: null,
    extra: {},
  }
  if (type === 'update_fields' || type === 'create_record') base.values = [valueRow()]
  if (type === 'notify' || type === 'email') base.to = ['owner']
  return base
}

export function blankTrigger(type: WorkflowTriggerType = 'after_save'): TriggerDraft {
  return { type, field: '', to: '', offset: { amount: 1, unit: 'days', direction: 'after' }, hour: 9, schedule: defaultCron(), filter: '', extra: {} }
}

export function blankWorkflow(order = 0): WorkflowDraft {
  return {
    api_name: '',
    labels: bilingual(null),
    description: '',
    active: true,
    order,
    trigger: blankTrigger(),
    condition: '',
    actions: [blankAction('notify')],
    extra: {},
  }
}

function triggerDraftFrom(t: WorkflowTrigger, obj: ObjectMeta | undefined): TriggerDraft {
  const d = blankTrigger(t.type)
  d.extra = unknownKeys(t, TRIGGER_KEYS)
  d.field = t.field ?? ''
  d.to = t.to ?? ''
  if (t.type === 'date_relative') {
    const f = obj && t.field ? findField(obj, t.field) : undefined
    const datetime = f ? f.type === 'datetime' : !!t.offset_minutes
    d.offset = relativeOffset(datetime ? offsetMinutes(t) : (t.offset_days ?? 0) * MINUTES_PER_DAY)
    d.hour = datetime ? 9 : (t.hour ?? 0)
  }
  if (t.type === 'schedule') {
    d.schedule = draftFromCron(t.cron ?? '')
    d.filter = t.filter ?? ''
  }
  return d
}

export function actionDraftFrom(a: WorkflowAction): ActionDraft {
  const d = blankAction(a.type)
  if (!FORM_KEYS[a.type]) d.kept = { ...a }
  d.extra = unknownKeys(a, ACTION_KEYS)
  d.target = a.target ?? ''
  d.object = a.object ?? ''
  d.values = Object.entries(a.values ?? {}).map(([field, expression]) => valueRow(field, expression))
  if ((a.type === 'update_fields' || a.type === 'create_record') && !d.values.length) d.values = [valueRow()]
  d.to = [...(a.to ?? [])]
  d.subject = bilingual(a.subject)
  d.body = bilingual(a.body)
  d.url = a.url ?? ''
  d.matchField = a.match_field ?? ''
  d.process = a.process ?? ''
  return d
}

export function workflowDraftFrom(w: Workflow, obj: ObjectMeta | undefined): WorkflowDraft {
  return {
    api_name: w.api_name,
    labels: bilingual(w.labels, w.api_name),
    description: w.description ?? '',
    active: w.active !== false,
    order: w.order ?? 0,
    trigger: triggerDraftFrom(w.trigger ?? { type: 'after_save' }, obj),
    condition: w.condition ?? '',
    actions: (w.actions ?? []).map(actionDraftFrom),
    extra: unknownKeys(w, WORKFLOW_KEYS),
  }
}

/** The field a date-relative trigger counts from, to know whether it is a date or a datetime. */
function relativeField(t: TriggerDraft, obj: ObjectMeta | undefined): FieldMeta | undefined {
  return obj && t.field ? findField(obj, t.field) : undefined
}

export function toTrigger(t: TriggerDraft, obj: ObjectMeta | undefined): WorkflowTrigger {
  const out: WorkflowTrigger = { ...t.extra, type: t.type }
  switch (t.type) {
    case 'field_changed':
      out.field = t.field
      if (t.to.trim()) out.to = t.to.trim()
      break
    case 'date_relative': {
      out.field = t.field
      const minutes = minutesOf(t.offset)
      if (relativeField(t, obj)?.type === 'datetime') {
        const { offset_days, offset_minutes } = splitOffset(minutes)
        if (offset_days) out.offset_days = offset_days
        if (offset_minutes) out.offset_minutes = offset_minutes
      } else {
        const days = Math.round(minutes / MINUTES_PER_DAY)
        if (days) out.offset_days = days
        if (t.hour) out.hour = t.hour
      }
      break
    }
    case 'schedule':
      out.cron = cronFromDraft(t.schedule)
      if (t.filter.trim()) out.filter = t.filter.trim()
      break
  }
  return out
}

function valuesOf(rows: ValueRow[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const r of rows) {
    if (!r.field && !r.expression.trim()) continue
    out[r.field] = r.expression.trim()
  }
  return out
}

export function toAction(a: ActionDraft): WorkflowAction {
  if (a.kept && a.kept.type === a.type) return { ...a.kept }
  const out: WorkflowAction = { ...a.extra, type: a.type }
  switch (a.type) {
    case 'update_fields':
      if (a.target) out.target = a.target
      out.values = valuesOf(a.values)
      break
    case 'create_record':
      out.object = a.object
      out.values = valuesOf(a.values)
      break
    case 'notify':
    case 'email': {
      out.to = [...a.to]
      out.subject = labelsOf(a.subject)
      const body: Labels = labelsOf(a.body)
      if (Object.keys(body).length) out.body = body
      break
    }
    case 'assign_owner':
      out.to = [...a.to]
      if (a.matchField) out.match_field = a.matchField
      break
    case 'webhook':
      out.url = a.url.trim()
      break
    case 'start_approval':
      out.process = a.process
      break
  }
  return out
}

/** The body of POST and PUT .../workflows. */
export function toWorkflow(d: WorkflowDraft, obj: ObjectMeta | undefined): Workflow {
  const out: Workflow = {
    ...d.extra,
    api_name: d.api_name.trim(),
    labels: labelsOf(d.labels),
    active: d.active,
    order: Math.round(d.order || 0),
    trigger: toTrigger(d.trigger, obj),
    actions: d.actions.map(toAction),
  }
  if (d.description.trim()) out.description = d.description.trim()
  if (d.condition.trim()) out.condition = d.condition.trim()
  return out
}

// ------------------------------------------------------------ fields an action may set

/** Fields an update or a create may set: active, not computed; owner_id too. */
export function writableFields(obj: ObjectMeta | undefined): FieldMeta[] {
  if (!obj) return []
  return activeFields(obj).filter((f) => !f.formula && f.type !== 'auto_number')
}

/** The object an action's values are written to: the record, a looked-up record, or a new one. */
export function actionTarget(a: ActionDraft, obj: ObjectMeta | undefined, objectOf: (name: string) => ObjectMeta | undefined): ObjectMeta | undefined {
  if (a.type === 'create_record') return a.object ? objectOf(a.object) : undefined
  if (!a.target) return obj
  const lookup = obj ? findField(obj, a.target) : undefined
  return lookup?.target ? objectOf(lookup.target) : undefined
}

/** Required fields of a new record that no value sets (the create would be refused). */
export function missingRequired(a: ActionDraft, target: ObjectMeta | undefined): FieldMeta[] {
  if (a.type !== 'create_record' || !target) return []
  const given = new Set(a.values.map((r) => r.field))
  return writableFields(target).filter((f) => f.required && !given.has(f.api_name) && f.default === undefined && !f.default_formula)
}

// ------------------------------------------------------------ local checks

export interface WorkflowContext {
  /** Workflow names already on the object. */
  taken: string[]
  isNew: boolean
  object: ObjectMeta | undefined
  objectOf: (name: string) => ObjectMeta | undefined
}

/** What the server would refuse. Keys: apiName.* and check.* (under admin), check.* (under automation). */
export function checkWorkflow(d: WorkflowDraft, ctx: WorkflowContext): DraftProblem[] {
  const out: DraftProblem[] = []
  const add = (field: string, key: string, params?: Record<string, string | number>) => out.push({ field, key, params })
  if (ctx.isNew) {
    const p = apiNameProblem(d.api_name.trim(), ctx.taken)
    if (p) add('api_name', `admin.apiName.${p.key}`, p.params)
  }
  if (!d.labels.en.trim() && !d.labels['zh-CN'].trim()) add('labels', 'admin.check.labelRequired')
  checkTrigger(d.trigger, ctx, add)
  if (!d.actions.length) add('actions', 'automation.check.actionsRequired')
  if (d.actions.length > MAX_ACTIONS) add('actions', 'automation.check.actionsLimit', { max: MAX_ACTIONS })
  for (const a of d.actions) checkAction(a, d.trigger.type, ctx, add)
  return out
}

export type Add = (field: string, key: string, params?: Record<string, string | number>) => void

function checkTrigger(t: TriggerDraft, ctx: WorkflowContext, add: Add): void {
  switch (t.type) {
    case 'field_changed':
      if (!t.field) add('trigger.field', 'automation.check.fieldRequired')
      break
    case 'date_relative': {
      const f = relativeField(t, ctx.object)
      if (!t.field) add('trigger.field', 'automation.check.dateFieldRequired')
      else if (f && !isDateField(f)) add('trigger.field', 'automation.check.dateFieldRequired')
      const minutes = Math.abs(minutesOf(t.offset))
      if (f?.type === 'datetime' ? Math.abs(splitOffset(minutes).offset_days) > MAX_OFFSET_DAYS : minutes / MINUTES_PER_DAY > MAX_OFFSET_DAYS) {
        add('trigger.offset', 'automation.check.offsetRange')
      }
      if (!Number.isInteger(t.hour) || t.hour < 0 || t.hour > 23) add('trigger.hour', 'automation.check.hourRange')
      break
    }
    case 'schedule':
      if (!cronLooksValid(cronFromDraft(t.schedule))) add('trigger.cron', 'automation.check.cron')
      break
  }
}

export function checkAction(a: ActionDraft, trigger: WorkflowTriggerType, ctx: WorkflowContext, add: Add): void {
  const at = (field: string) => `action:${a.key}.${field}`
  if (trigger === 'before_save' && a.type !== 'update_fields') add(at('type'), 'automation.check.beforeSaveOnlyUpdates')
  switch (a.type) {
    case 'update_fields':
      if (a.target && trigger === 'before_save') add(at('target'), 'automation.check.beforeSaveOwnRecord')
      checkValues(a, at, add)
      break
    case 'create_record':
      if (!a.object) add(at('object'), 'automation.check.objectRequired')
      checkValues(a, at, add)
      break
    case 'notify':
    case 'email':
      if (!a.to.length) add(at('to'), 'automation.check.recipientsRequired')
      else if (a.to.some((r) => !isValidRecipient(r, ctx.object))) add(at('to'), 'automation.check.recipientInvalid')
      if (!a.subject.en.trim() && !a.subject['zh-CN'].trim()) add(at('subject'), 'automation.check.subjectRequired')
      break
    case 'assign_owner':
      if (!a.to.length) add(at('to'), 'automation.check.poolRequired')
      else if (a.to.some((r) => !/^(user|role):./.test(r))) add(at('to'), 'automation.check.poolInvalid')
      break
    case 'webhook':
      if (!isWebhookUrl(a.url)) add(at('url'), 'automation.check.url')
      break
    case 'start_approval': {
      if (!a.process) {
        add(at('process'), 'automation.check.processRequired')
        break
      }
      // Admins see every process; the server takes only an active one.
      const processes = ctx.object?.approval_processes
      const p = processes?.find((x) => x.api_name === a.process)
      if (processes && (!p || !p.active)) add(at('process'), 'automation.check.processInactive')
      break
    }
  }
}

/** The object's active approval processes: those a start_approval action may name. */
export function activeProcesses(obj: ObjectMeta | undefined): ApprovalProcess[] {
  return (obj?.approval_processes ?? []).filter((p) => p.active)
}

function checkValues(a: ActionDraft, at: (field: string) => string, add: Add): void {
  const rows = a.values.filter((r) => r.field || r.expression.trim())
  if (!rows.length) add(at('values'), 'automation.check.valuesRequired')
  const seen = new Set<string>()
  for (const r of rows) {
    if (!r.field) add(at(`field:${r.key}`), 'automation.check.valueFieldRequired')
    else if (seen.has(r.field)) add(at(`field:${r.key}`), 'automation.check.valueFieldTwice')
    if (r.field) seen.add(r.field)
    if (!r.expression.trim()) add(at(`value:${r.key}`), 'automation.check.valueRequired')
  }
}

export function isWebhookUrl(url: string): boolean {
  try {
    const u = new URL(url.trim())
    return (u.protocol === 'https:' || u.protocol === 'http:') && !!u.host
  } catch {
    return false
  }
}

// ------------------------------------------------------------ the server's errors

/** The server's errors by input key; expressions keep their position and suggestion. */
export interface WorkflowErrors {
  messages: Record<string, string>
  expressions: Record<string, ExprProblem>
  rest: ProblemFieldError[]
}

const TOP: Record<string, string> = {
  api_name: 'api_name',
  label: 'labels',
  labels: 'labels',
  'labels.en': 'labels.en',
  'labels.zh-CN': 'labels.zh-CN',
  description: 'description',
  order: 'order',
  active: 'active',
  actions: 'actions',
  trigger: 'trigger.type',
  'trigger.type': 'trigger.type',
  'trigger.field': 'trigger.field',
  'trigger.to': 'trigger.to',
  'trigger.offset_days': 'trigger.offset',
  'trigger.offset_minutes': 'trigger.offset',
  'trigger.hour': 'trigger.hour',
  'trigger.cron': 'trigger.cron',
  'trigger.filter': 'trigger.filter',
}

const ACTION_INPUTS = new Set(['type', 'target', 'object', 'values', 'to', 'subject', 'body', 'url', 'match_field', 'process', 'plugin'])

/** Whether a field error is about an expression's text (it has a place in it, or says so). */
export function isExpressionError(e: ProblemFieldError): boolean {
  return e.code === 'invalid_expression' || (e.position !== undefined && e.position !== null)
}

/**
 * Sorts the server's errors (paths relative to the workflow, e.g.
 * "actions[0].values.amount") onto the inputs of the draft they were
 * answered for; what no input shows goes to `rest`.
 */
export function workflowErrors(errors: ProblemFieldError[], d: WorkflowDraft): WorkflowErrors {
  const out: WorkflowErrors = { messages: {}, expressions: {}, rest: [] }
  const message = (key: string, e: ProblemFieldError) => (out.messages[key] ??= e.message)
  for (const e of errors) {
    const parts = splitPath(e.field ?? '')
    const path = joinPath(parts)
    if (path === 'condition') {
      if (isExpressionError(e)) out.expressions.condition ??= problemOfFieldError(e)!
      else message('condition', e)
      continue
    }
    if (TOP[path]) {
      message(TOP[path], e)
      continue
    }
    if (parts[0] === 'actions' && typeof parts[1] === 'number' && d.actions[parts[1]] && placeActionError(d.actions[parts[1]], parts.slice(2), e, out)) continue
    out.rest.push(e)
  }
  return out
}

export function placeActionError(a: ActionDraft, parts: PathPart[], e: ProblemFieldError, out: WorkflowErrors): boolean {
  const at = (field: string) => `action:${a.key}.${field}`
  const [head, second, third] = parts
  if (typeof head !== 'string') return false
  if (head === 'values' && typeof second === 'string') {
    const row = a.values.find((r) => r.field === second)
    if (!row) return false
    if (isExpressionError(e)) out.expressions[at(`value:${row.key}`)] ??= problemOfFieldError(e)!
    else if (e.code === 'too_long') out.messages[at(`value:${row.key}`)] ??= e.message
    else out.messages[at(`field:${row.key}`)] ??= e.message
    return true
  }
  if (head === 'to') {
    // A recipient: named, so the message says which one.
    const who = typeof second === 'number' ? a.to[second] : undefined
    out.messages[at('to')] ??= who ? `${who}: ${e.message}` : e.message
    return true
  }
  if (head === 'template' && typeof second === 'string') {
    // template.<locale>[j]: the j-th {{…}} of the subject or of the body in that language.
    const part = typeof third === 'number' ? templatePart(a, second as 'en' | 'zh-CN', third) : null
    const text = part !== null ? `{{ ${part} }} ${e.message}` : e.message
    const key = at('templates')
    out.messages[key] = out.messages[key] ? `${out.messages[key]}\n${text}` : text
    return true
  }
  if ((head === 'subject' || head === 'body') && (second === 'en' || second === 'zh-CN' || second === undefined)) {
    out.messages[at(head)] ??= e.message
    return true
  }
  if (ACTION_INPUTS.has(head) && second === undefined) {
    out.messages[at(head)] ??= e.message
    return true
  }
  return false
}

/**
 * The j-th part of a template error. The server numbers the parts of the
 * subject and of the body from 0 each: name the part when only one of the
 * two has it (or both have the same).
 */
function templatePart(a: ActionDraft, locale: 'en' | 'zh-CN', j: number): string | null {
  const candidates = [templateParts(a.subject[locale] ?? '')[j], templateParts(a.body[locale] ?? '')[j]].filter(Boolean).map((p) => p!.source)
  return candidates.length === 1 || (candidates.length === 2 && candidates[0] === candidates[1]) ? candidates[0] : null
}
