// Where the errors of a refused record save go: under the field they name
// when the form shows it, otherwise in the form's alert. Validation rules
// answer `code: validation_rule` with the field the rule attaches to, or
// "" for rules that speak about the whole record.
import type { ProblemFieldError } from '@/api/types'

export interface SaveErrors {
  /** Messages per shown field (several rules on one field are joined). */
  byField: Record<string, string>
  /** Messages for the whole form: unattached rules, fields the form does not show. */
  general: string[]
}

export const VALIDATION_RULE = 'validation_rule'

export function splitSaveErrors(errors: ProblemFieldError[], shown: ReadonlySet<string>): SaveErrors {
  const perField = new Map<string, string[]>()
  const general: string[] = []
  for (const e of errors) {
    const message = e.message?.trim()
    if (!message) continue
    if (e.field && shown.has(e.field)) {
      const list = perField.get(e.field) ?? []
      if (!list.includes(message)) list.push(message)
      perField.set(e.field, list)
    } else if (!general.includes(message)) {
      general.push(message)
    }
  }
  const byField: Record<string, string> = {}
  for (const [field, list] of perField) byField[field] = list.join('; ')
  return { byField, general }
}

/** The messages of the validation rules that refused a save, attached or not. */
export function ruleMessages(errors: ProblemFieldError[]): string[] {
  const out: string[] = []
  for (const e of errors) {
    if (e.code === VALIDATION_RULE && e.message && !out.includes(e.message)) out.push(e.message)
  }
  return out
}
