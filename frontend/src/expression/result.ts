// The value an evaluated expression gave, as the dry run shows it. Numbers
// arrive as decimal strings and stay exactly as sent; dates as YYYY-MM-DD,
// instants as RFC 3339, lists as arrays.
import type { ExprType } from '@/api/types'

export interface ResultWords {
  blank: string
  yes: string
  no: string
}

export function formatResult(value: unknown, type: ExprType | undefined, words: ResultWords): string {
  if (value === null || value === undefined || (value === '' && type !== 'text')) return words.blank
  if (typeof value === 'boolean') return value ? words.yes : words.no
  if (Array.isArray(value)) return value.length ? value.map((v) => formatResult(v, 'any', words)).join(', ') : words.blank
  if (typeof value === 'object') return JSON.stringify(value)
  if (type === 'text') return JSON.stringify(String(value))
  return String(value)
}
