// Plain-text rendering of field values (hover cards, kanban cards, titles,
// tooltips). Components in fields/display render the rich versions.
import type { FieldMeta, Locale, RecordData } from '@/api/types'
import { pickLabel } from '@/metadata/labels'
import { findOption } from '@/metadata/objects'
import { formatDecimal, trimDecimal } from './decimal'
import { formatDate, formatDateTime } from './datetime'

export interface FormatContext {
  locale: Locale
  timeZone: string
  /** The record the value belongs to (currency_field, expanded lookups). */
  record?: RecordData | null
  /** Display name of a user id (owner). */
  userName?: (id: string) => string
  /** The name field of an object (to name an expanded lookup target). */
  nameFieldOf?: (object: string) => string
  yes?: string
  no?: string
}

export function isEmptyValue(value: unknown): boolean {
  return value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)
}

/** The currency code of a currency field on a record: fixed, or from its currency field. */
export function currencyCode(field: FieldMeta, record?: RecordData | null, fallback = ''): string {
  if (field.currency_code) return field.currency_code
  if (field.currency_field && record) {
    const v = record[field.currency_field]
    if (typeof v === 'string' && v) return v
  }
  return fallback
}

export function formatCurrency(value: string, code: string, locale: Locale, scale = 2): string {
  const amount = formatDecimal(value, locale, scale)
  return code ? `${code} ${amount}` : amount
}

export function formatPercent(value: string, locale: Locale): string {
  return `${formatDecimal(trimDecimal(value), locale)}%`
}

/** The name of a lookup's target from an expanded record, if the list asked for it. */
export function expandedName(record: RecordData | null | undefined, field: string, nameField: string): string {
  const target = record?.expand?.[field]
  const v = target?.[nameField]
  return v === null || v === undefined ? '' : String(v)
}

export function formatValue(field: FieldMeta, value: unknown, ctx: FormatContext): string {
  if (isEmptyValue(value)) return ''
  switch (field.type) {
    case 'integer':
      return typeof value === 'number' ? new Intl.NumberFormat(ctx.locale).format(value) : String(value)
    case 'number':
      return formatDecimal(String(value), ctx.locale, field.scale)
    case 'percent':
      return formatPercent(String(value), ctx.locale)
    case 'currency':
      return formatCurrency(String(value), currencyCode(field, ctx.record), ctx.locale, field.scale ?? 2)
    case 'boolean':
      return value ? (ctx.yes ?? '✓') : (ctx.no ?? '✗')
    case 'date':
      return formatDate(String(value), ctx.locale)
    case 'datetime':
      return formatDateTime(String(value), ctx.locale, ctx.timeZone)
    case 'picklist': {
      const opt = findOption(field, value)
      return opt ? pickLabel(opt.labels, ctx.locale, opt.label || opt.api_name) : String(value)
    }
    case 'multi_picklist': {
      const values = Array.isArray(value) ? value : [value]
      return values
        .map((v) => {
          const opt = findOption(field, v)
          return opt ? pickLabel(opt.labels, ctx.locale, opt.api_name) : String(v)
        })
        .join(', ')
    }
    case 'lookup': {
      if (field.target === '__user') return ctx.userName ? ctx.userName(String(value)) : String(value)
      const name = expandedName(ctx.record, field.api_name, ctx.nameFieldOf?.(field.target ?? '') ?? 'name')
      return name || String(value)
    }
    default:
      return String(value)
  }
}
