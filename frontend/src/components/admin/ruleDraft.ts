// The validation rule dialog's model: a draft from a rule (or blank), the
// rule the API takes back, what the server would refuse (checked before
// sending), and the server's errors sorted onto the dialog's inputs.
import type { ExprProblem, ProblemFieldError, ValidationRule } from '@/api/types'
import { problemOfFieldError } from '@/expression/problems'
import { apiNameProblem } from './apiName'
import { bilingual, labelsOf, type BilingualText, type DraftProblem } from './fieldDraft'
import { joinPath, splitPath } from './problemPaths'

export interface RuleDraft {
  api_name: string
  labels: BilingualText
  description: string
  condition: string
  message: BilingualText
  field: string
  active: boolean
}

export function blankRule(): RuleDraft {
  return { api_name: '', labels: bilingual(null), description: '', condition: '', message: bilingual(null), field: '', active: true }
}

export function ruleDraftFrom(r: ValidationRule): RuleDraft {
  return {
    api_name: r.api_name,
    labels: bilingual(r.labels, r.api_name),
    description: r.description ?? '',
    condition: r.condition ?? '',
    message: bilingual(r.message),
    field: r.field ?? '',
    active: r.active !== false,
  }
}

/** The body of POST and PUT .../validation-rules. */
export function toValidationRule(d: RuleDraft): ValidationRule {
  const out: ValidationRule = {
    api_name: d.api_name.trim(),
    labels: labelsOf(d.labels),
    condition: d.condition.trim(),
    message: labelsOf(d.message),
    active: d.active,
  }
  if (d.description.trim()) out.description = d.description.trim()
  if (d.field) out.field = d.field
  return out
}

export interface RuleContext {
  /** Rule names already on the object. */
  taken: string[]
  isNew: boolean
}

/**
 * What the server would refuse. Keys: apiName.* (under admin), check.*
 * (under admin), validationRules.* (under admin).
 */
export function checkRule(d: RuleDraft, ctx: RuleContext): DraftProblem[] {
  const out: DraftProblem[] = []
  if (ctx.isNew) {
    const p = apiNameProblem(d.api_name.trim(), ctx.taken)
    if (p) out.push({ field: 'api_name', key: `apiName.${p.key}`, params: p.params })
  }
  if (!d.labels.en.trim() && !d.labels['zh-CN'].trim()) out.push({ field: 'labels', key: 'check.labelRequired' })
  if (!d.condition.trim()) out.push({ field: 'condition', key: 'validationRules.conditionRequired' })
  if (!d.message.en.trim() && !d.message['zh-CN'].trim()) out.push({ field: 'message', key: 'validationRules.messageRequired' })
  return out
}

/** The server's errors by the input that shows them; `rest` for the list at the top. */
export interface RuleErrors {
  api_name?: string
  labels?: string
  labelsEn?: string
  labelsZh?: string
  description?: string
  /** With its position and suggestion, for the expression editor. */
  condition?: ExprProblem
  message?: string
  messageEn?: string
  messageZh?: string
  field?: string
  active?: string
  rest: ProblemFieldError[]
}

const SLOTS: Record<string, keyof Omit<RuleErrors, 'rest' | 'condition'>> = {
  api_name: 'api_name',
  label: 'labels',
  labels: 'labels',
  'labels.en': 'labelsEn',
  'labels.zh-CN': 'labelsZh',
  description: 'description',
  message: 'message',
  'message.en': 'messageEn',
  'message.zh-CN': 'messageZh',
  field: 'field',
  active: 'active',
}

export function ruleErrors(errors: ProblemFieldError[]): RuleErrors {
  const out: RuleErrors = { rest: [] }
  for (const e of errors) {
    const path = joinPath(splitPath(e.field ?? ''))
    if (path === 'condition') {
      out.condition ??= problemOfFieldError(e) ?? undefined
      continue
    }
    const slot = SLOTS[path]
    if (slot) out[slot] ??= e.message
    else out.rest.push(e)
  }
  return out
}
