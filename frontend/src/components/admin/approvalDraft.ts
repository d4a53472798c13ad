// The approval process dialog's model: a draft from a process (or blank),
// the process the API takes back, what the server would refuse (checked
// before sending), and the server's errors sorted onto the dialog's inputs.
//
// Inputs are named by keys shared by the local checks and the server's
// errors: "api_name", "labels", "entry_criteria", "steps", per step (by its
// local key, so errors stay with a step that moves) "step:<key>.name",
// ".labels", ".approvers", ".mode", ".condition", and per outcome action the
// workflow form's keys ("action:<key>.to", "action:<key>.value:<row>", ...).
import type { ApprovalMode, ApprovalProcess, ApprovalStep, ObjectMeta, ProblemFieldError } from '@/api/types'
import { problemOfFieldError } from '@/expression/problems'
import { apiNameProblem } from './apiName'
import { bilingual, labelsOf, type BilingualText, type DraftProblem } from './fieldDraft'
import { joinPath, splitPath } from './problemPaths'
import { localKey } from './reorder'
import {
  actionDraftFrom,
  checkAction,
  isExpressionError,
  placeActionError,
  toAction,
  type ActionDraft,
  type WorkflowErrors,
} from './workflowDraft'

export const MAX_STEPS = 10
export const MAX_PROCESSES = 20
export const MAX_OUTCOME_ACTIONS = 20

export interface StepDraft {
  key: string
  name: string
  /** The name follows the English label until edited (a new step). */
  nameEdited: boolean
  labels: BilingualText
  approvers: string[]
  mode: ApprovalMode
  condition: string
  extra: Record<string, unknown>
}

export interface ApprovalDraft {
  api_name: string
  labels: BilingualText
  description: string
  active: boolean
  entry_criteria: string
  steps: StepDraft[]
  on_approve: ActionDraft[]
  on_reject: ActionDraft[]
  extra: Record<string, unknown>
}

const STEP_KEYS = new Set(['name', 'labels', 'approvers', 'mode', 'condition'])
const PROCESS_KEYS = new Set(['api_name', 'labels', 'description', 'active', 'entry_criteria', 'steps', 'on_approve', 'on_reject'])

function unknownKeys(o: object, known: Set<string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([k]) => !known.has(k)))
}

export function blankStep(n = 1): StepDraft {
  return { key: localKey('st'), name: `step_${n}`, nameEdited: false, labels: bilingual(null), approvers: [], mode: 'any', condition: '', extra: {} }
}

export function blankProcess(): ApprovalDraft {
  const first = blankStep(1)
  first.approvers = ['manager']
  return { api_name: '', labels: bilingual(null), description: '', active: true, entry_criteria: '', steps: [first], on_approve: [], on_reject: [], extra: {} }
}

function stepDraftFrom(s: ApprovalStep): StepDraft {
  return {
    key: localKey('st'),
    name: s.name,
    nameEdited: true,
    labels: bilingual(s.labels),
    approvers: [...(s.approvers ?? [])],
    mode: s.mode === 'all' ? 'all' : 'any',
    condition: s.condition ?? '',
    extra: unknownKeys(s, STEP_KEYS),
  }
}

export function approvalDraftFrom(p: ApprovalProcess): ApprovalDraft {
  return {
    api_name: p.api_name,
    labels: bilingual(p.labels, p.api_name),
    description: p.description ?? '',
    active: p.active !== false,
    entry_criteria: p.entry_criteria ?? '',
    steps: (p.steps ?? []).map(stepDraftFrom),
    on_approve: (p.on_approve ?? []).map(actionDraftFrom),
    on_reject: (p.on_reject ?? []).map(actionDraftFrom),
    extra: unknownKeys(p, PROCESS_KEYS),
  }
}

export function toStep(s: StepDraft): ApprovalStep {
  const out: ApprovalStep = { ...s.extra, name: s.name.trim(), labels: labelsOf(s.labels), approvers: [...s.approvers], mode: s.mode } as ApprovalStep
  if (s.condition.trim()) out.condition = s.condition.trim()
  return out
}

/** The body of POST and PUT .../approval-processes. */
export function toApprovalProcess(d: ApprovalDraft): ApprovalProcess {
  const out: ApprovalProcess = {
    ...d.extra,
    api_name: d.api_name.trim(),
    labels: labelsOf(d.labels),
    active: d.active,
    steps: d.steps.map(toStep),
  }
  if (d.description.trim()) out.description = d.description.trim()
  if (d.entry_criteria.trim()) out.entry_criteria = d.entry_criteria.trim()
  if (d.on_approve.length) out.on_approve = d.on_approve.map(toAction)
  if (d.on_reject.length) out.on_reject = d.on_reject.map(toAction)
  return out
}

/** A step's label, else its name, for lists and errors. */
export function stepTitle(s: { labels: BilingualText; name: string }, locale: string): string {
  const own = locale === 'zh-CN' ? s.labels['zh-CN'] : s.labels.en
  return own.trim() || s.labels.en.trim() || s.labels['zh-CN'].trim() || s.name
}

// ------------------------------------------------------------ local checks

export interface ApprovalContext {
  /** Process names already on the object. */
  taken: string[]
  isNew: boolean
  object: ObjectMeta | undefined
  objectOf: (name: string) => ObjectMeta | undefined
}

/** What the server would refuse. Keys are full i18n keys. */
export function checkApproval(d: ApprovalDraft, ctx: ApprovalContext): DraftProblem[] {
  const out: DraftProblem[] = []
  const add = (field: string, key: string, params?: Record<string, string | number>) => out.push({ field, key, params })
  if (ctx.isNew) {
    const p = apiNameProblem(d.api_name.trim(), ctx.taken)
    if (p) add('api_name', `admin.apiName.${p.key}`, p.params)
  }
  if (!d.labels.en.trim() && !d.labels['zh-CN'].trim()) add('labels', 'admin.check.labelRequired')
  if (!d.steps.length) add('steps', 'approvals.check.stepsRequired')
  if (d.steps.length > MAX_STEPS) add('steps', 'approvals.check.stepsLimit', { max: MAX_STEPS })
  const seen = new Set<string>()
  for (const s of d.steps) {
    const at = (f: string) => `step:${s.key}.${f}`
    const name = s.name.trim()
    const p = apiNameProblem(name)
    if (p) add(at('name'), `admin.apiName.${p.key}`, p.params)
    else if (seen.has(name)) add(at('name'), 'approvals.check.stepNameTwice')
    seen.add(name)
    if (!s.labels.en.trim() && !s.labels['zh-CN'].trim()) add(at('labels'), 'admin.check.labelRequired')
    if (!s.approvers.length) add(at('approvers'), 'approvals.check.approversRequired')
    else if (s.approvers.some((a) => !isApprover(a))) add(at('approvers'), 'approvals.check.approverInvalid')
  }
  const outcomeCtx = { taken: [], isNew: false, object: ctx.object, objectOf: ctx.objectOf }
  for (const a of [...d.on_approve, ...d.on_reject]) {
    if (a.type === 'start_approval') add(`action:${a.key}.type`, 'approvals.check.noApprovalInOutcome')
    else checkAction(a, 'after_save', outcomeCtx, add)
  }
  return out
}

/** manager, user:<id> or role:<api name>. */
export function isApprover(s: string): boolean {
  return s === 'manager' || /^(user|role):./.test(s)
}

// ------------------------------------------------------------ the server's errors

export type ApprovalErrors = WorkflowErrors

const TOP: Record<string, string> = {
  api_name: 'api_name',
  label: 'labels',
  labels: 'labels',
  'labels.en': 'labels.en',
  'labels.zh-CN': 'labels.zh-CN',
  description: 'description',
  active: 'active',
  steps: 'steps',
  entry_criteria: 'entry_criteria',
  on_approve: 'on_approve',
  on_reject: 'on_reject',
}

const STEP_INPUTS: Record<string, string> = { name: 'name', labels: 'labels', label: 'labels', approvers: 'approvers', mode: 'mode', condition: 'condition' }

/**
 * Sorts the server's errors (paths relative to the process) onto the inputs
 * of the draft they were answered for. Expression errors in outcome actions
 * come back as `actions[N]...`, N counting on_approve then on_reject.
 */
export function approvalErrors(errors: ProblemFieldError[], d: ApprovalDraft): ApprovalErrors {
  const out: ApprovalErrors = { messages: {}, expressions: {}, rest: [] }
  const message = (key: string, e: ProblemFieldError) => (out.messages[key] ??= e.message)
  for (const e of errors) {
    const parts = splitPath(e.field ?? '')
    const path = joinPath(parts)
    if (path === 'entry_criteria' && isExpressionError(e)) {
      out.expressions.entry_criteria ??= problemOfFieldError(e)!
      continue
    }
    if (TOP[path]) {
      message(TOP[path], e)
      continue
    }
    const [head, index] = parts
    if (head === 'steps' && typeof index === 'number' && d.steps[index]) {
      const s = d.steps[index]
      const input = typeof parts[2] === 'string' ? STEP_INPUTS[parts[2]] : undefined
      if (input === 'condition' && isExpressionError(e)) {
        out.expressions[`step:${s.key}.condition`] ??= problemOfFieldError(e)!
        continue
      }
      if (input === 'approvers' && typeof parts[3] === 'number') {
        const who = s.approvers[parts[3]]
        out.messages[`step:${s.key}.approvers`] ??= who ? `${who}: ${e.message}` : e.message
        continue
      }
      if (input) {
        message(`step:${s.key}.${input}`, e)
        continue
      }
      message(`step:${s.key}.name`, e)
      continue
    }
    if (typeof index === 'number') {
      const action = outcomeAction(d, head, index)
      if (action && placeActionError(action, parts.slice(2), e, out)) continue
      if (action && parts.length === 2) {
        message(`action:${action.key}.type`, e)
        continue
      }
    }
    out.rest.push(e)
  }
  return out
}

/** The outcome action an error path names: on_approve[i], on_reject[i], or actions[N] over both. */
function outcomeAction(d: ApprovalDraft, head: unknown, index: number): ActionDraft | undefined {
  if (head === 'on_approve') return d.on_approve[index]
  if (head === 'on_reject') return d.on_reject[index]
  if (head === 'actions') return index < d.on_approve.length ? d.on_approve[index] : d.on_reject[index - d.on_approve.length]
  return undefined
}
