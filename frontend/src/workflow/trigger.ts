// Workflow triggers (metadata/workflow.go): which there are, which see the
// record's prior values, how a date-relative offset reads, and every
// trigger described in words for the list and the form:
// "When Stage changes to Closed won", "Every Monday at 09:00",
// "1 day after Close date at 09:00", "30 minutes before Due".
import type { FieldMeta, Locale, ObjectMeta, WorkflowTrigger, WorkflowTriggerType } from '@/api/types'
import { fieldLabel, optionLabel } from '@/metadata/labels'
import { findField, findOption } from '@/metadata/objects'
import { clock, describeCron } from './cron'
import type { Translate } from './translate'

/** In the order the type picker offers them, grouped. */
export const TRIGGER_GROUPS: { key: 'save' | 'time' | 'manual'; types: WorkflowTriggerType[] }[] = [
  { key: 'save', types: ['after_create', 'after_update', 'after_save', 'field_changed', 'after_delete', 'before_save'] },
  { key: 'time', types: ['schedule', 'date_relative'] },
  { key: 'manual', types: ['manual'] },
]

export const TRIGGER_TYPES: WorkflowTriggerType[] = TRIGGER_GROUPS.flatMap((g) => g.types)

/**
 * Triggers that fire from a save: their condition and values may read
 * prior.<field> and is_changed(). Schedules, dates and buttons judge the
 * record as it is when they run.
 */
export function triggerSeesPrior(type: WorkflowTriggerType): boolean {
  return type !== 'schedule' && type !== 'date_relative' && type !== 'manual'
}

/** The fields a date-relative trigger may count from. */
export function isDateField(f: FieldMeta): boolean {
  return f.type === 'date' || f.type === 'datetime'
}

export type OffsetUnit = 'minutes' | 'hours' | 'days'
export type OffsetDirection = 'before' | 'after'

/** A date-relative offset as the form shows it: 30 minutes before, 1 day after. */
export interface RelativeOffset {
  amount: number
  unit: OffsetUnit
  direction: OffsetDirection
}

export const MINUTES_PER_DAY = 1440

/** The offset in minutes (days count as 1440). */
export function offsetMinutes(t: Pick<WorkflowTrigger, 'offset_days' | 'offset_minutes'>): number {
  return (t.offset_days ?? 0) * MINUTES_PER_DAY + (t.offset_minutes ?? 0)
}

/** Minutes as the largest unit that divides them. */
export function relativeOffset(totalMinutes: number): RelativeOffset {
  const direction: OffsetDirection = totalMinutes < 0 ? 'before' : 'after'
  const abs = Math.abs(totalMinutes)
  if (abs % MINUTES_PER_DAY === 0) return { amount: abs / MINUTES_PER_DAY, unit: 'days', direction }
  if (abs % 60 === 0) return { amount: abs / 60, unit: 'hours', direction }
  return { amount: abs, unit: 'minutes', direction }
}

/** The offset in minutes of a form's amount, unit and direction. */
export function minutesOf(o: RelativeOffset): number {
  const per = o.unit === 'days' ? MINUTES_PER_DAY : o.unit === 'hours' ? 60 : 1
  const n = Math.max(0, Math.round(o.amount || 0)) * per
  return o.direction === 'before' ? -n : n
}

/** The server's offset_days and offset_minutes for minutes (whole days first, both with the same sign). */
export function splitOffset(total: number): { offset_days: number; offset_minutes: number } {
  const days = Math.trunc(total / MINUTES_PER_DAY)
  return { offset_days: days, offset_minutes: total - days * MINUTES_PER_DAY }
}

/** "1 day 30 minutes", "3 天 2 小时". */
export function durationText(totalMinutes: number, t: Translate): string {
  let rest = Math.abs(totalMinutes)
  const days = Math.floor(rest / MINUTES_PER_DAY)
  rest -= days * MINUTES_PER_DAY
  const hours = Math.floor(rest / 60)
  const minutes = rest - hours * 60
  const parts: string[] = []
  if (days) parts.push(t('automation.units.days', { n: days }, days))
  if (hours) parts.push(t('automation.units.hours', { n: hours }, hours))
  if (minutes) parts.push(t('automation.units.minutes', { n: minutes }, minutes))
  return parts.join(t('automation.units.separator'))
}

export interface DescribeContext {
  t: Translate
  locale: Locale
  /** The workflow's object, for field and option labels (api names without it). */
  object?: ObjectMeta
}

function fieldName(ctx: DescribeContext, name: string | undefined): { text: string; field?: FieldMeta } {
  if (!name) return { text: '?' }
  const f = ctx.object ? findField(ctx.object, name) : undefined
  return { text: f ? fieldLabel(f, ctx.locale) : name, field: f }
}

/** The target value of a field_changed trigger as people read it (an option's label, yes / no). */
export function valueText(field: FieldMeta | undefined, value: string, ctx: DescribeContext): string {
  if (field?.type === 'picklist' || field?.type === 'multi_picklist') {
    const o = findOption(field, value)
    if (o) return optionLabel(o, ctx.locale)
  }
  if (field?.type === 'boolean' && (value === 'true' || value === 'false')) {
    return ctx.t(value === 'true' ? 'automation.trigger.yes' : 'automation.trigger.no')
  }
  return value
}

/** A trigger in words. Keys under automation.trigger.describe and automation.cron. */
export function describeTrigger(trigger: WorkflowTrigger, ctx: DescribeContext): string {
  const { t } = ctx
  switch (trigger.type) {
    case 'field_changed': {
      const { text, field } = fieldName(ctx, trigger.field)
      const to = trigger.to?.trim()
      return to
        ? t('automation.trigger.describe.fieldChangedTo', { field: text, value: valueText(field, to, ctx) })
        : t('automation.trigger.describe.fieldChanged', { field: text })
    }
    case 'schedule':
      return describeCron(trigger.cron ?? '', t, ctx.locale)
    case 'date_relative':
      return describeRelative(trigger, ctx)
    case 'before_save':
    case 'after_create':
    case 'after_update':
    case 'after_save':
    case 'after_delete':
    case 'manual':
      return t(`automation.trigger.describe.${trigger.type}`)
    default:
      return t('automation.trigger.describe.unknown', { type: String(trigger.type) })
  }
}

function describeRelative(trigger: WorkflowTrigger, ctx: DescribeContext): string {
  const { t } = ctx
  const { text, field } = fieldName(ctx, trigger.field)
  // A datetime moves by the offset and keeps its time; a date runs at the trigger's hour.
  const datetime = field ? field.type === 'datetime' : !!trigger.offset_minutes
  const total = datetime ? offsetMinutes(trigger) : (trigger.offset_days ?? 0) * MINUTES_PER_DAY
  const amount = durationText(total, t)
  if (datetime) {
    if (total === 0) return t('automation.trigger.describe.atInstant', { field: text })
    return t(total < 0 ? 'automation.trigger.describe.beforeInstant' : 'automation.trigger.describe.afterInstant', { amount, field: text })
  }
  const time = clock(trigger.hour ?? 0)
  if (total === 0) return t('automation.trigger.describe.onDate', { field: text, time })
  return t(total < 0 ? 'automation.trigger.describe.beforeDate' : 'automation.trigger.describe.afterDate', { amount, field: text, time })
}
