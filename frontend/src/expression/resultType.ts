// Which expression type a field's formula or default formula must give,
// and which field types can be formulas at all (metadata/rules.go).
import type { ExprType, FieldType } from '@/api/types'

const RESULT_TYPES: Partial<Record<FieldType, ExprType>> = {
  text: 'text',
  email: 'text',
  phone: 'text',
  url: 'text',
  picklist: 'text',
  integer: 'number',
  number: 'number',
  currency: 'number',
  percent: 'number',
  boolean: 'boolean',
  date: 'date',
  datetime: 'datetime',
  multi_picklist: 'list',
}

/** The type a formula of a field of this type must give; null when the type cannot be a formula. */
export function formulaResultType(type: FieldType): ExprType | null {
  return RESULT_TYPES[type] ?? null
}

/** The type a default formula must give (long texts take text defaults; lookups and auto numbers none). */
export function defaultResultType(type: FieldType): ExprType | null {
  return type === 'long_text' ? 'text' : formulaResultType(type)
}
