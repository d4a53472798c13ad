// What the filter builder offers for an object: its fields, the system
// fields, and the picklists of lookup targets (one hop: account_id.tier).
import type { FieldMeta, ObjectMeta } from '@/api/types'
import { activeFields, isVirtualFormula } from '@/metadata/objects'
import { fieldSpec } from '@/fields/registry'
import type { Condition, Literal, Operator } from './model'
import { LIST_OPERATORS, VALUELESS } from './model'

export interface FilterableField {
  /** The name written in the expression (a field or a lookup path). */
  key: string
  field: FieldMeta
  /** For paths: the lookup field the path goes through. */
  via?: FieldMeta
}

export function filterableFields(
  obj: ObjectMeta,
  objectOf: (name: string) => ObjectMeta | undefined,
  systemField: (name: string) => FieldMeta | undefined,
): FilterableField[] {
  // Formulas recomputed on read have no column to filter on.
  const out: FilterableField[] = activeFields(obj)
    .filter((f) => !isVirtualFormula(f))
    .map((f) => ({ key: f.api_name, field: f }))
  for (const name of ['owner_id', 'created_at', 'updated_at']) {
    const f = systemField(name)
    if (f) out.push({ key: name, field: f })
  }
  for (const lookup of activeFields(obj).filter((f) => f.type === 'lookup' && f.target)) {
    const target = objectOf(lookup.target!)
    if (!target) continue
    for (const f of activeFields(target).filter((x) => (x.type === 'picklist' || x.type === 'boolean') && !isVirtualFormula(x))) {
      out.push({ key: `${lookup.api_name}.${f.api_name}`, field: f, via: lookup })
    }
  }
  return out
}

export function operatorsFor(field: FieldMeta): Operator[] {
  return fieldSpec(field.type).operators
}

/** The i18n key of an operator's label, by field type (dates read before/after). */
export function operatorLabelKey(field: FieldMeta, op: Operator): string {
  const dated = field.type === 'date' || field.type === 'datetime'
  if (dated) {
    const map: Partial<Record<Operator, string>> = { lt: 'before', le: 'onOrBefore', gt: 'after', ge: 'onOrAfter' }
    if (map[op]) return `workspace.filter.op.${map[op]}`
  }
  if (field.type === 'multi_picklist' && op === 'contains') return 'workspace.filter.op.includes'
  return `workspace.filter.op.${op}`
}

/** A literal of the right kind for a field, from what a widget holds. */
export function literalFor(field: FieldMeta, raw: string): Literal {
  switch (field.type) {
    case 'integer':
    case 'number':
    case 'currency':
    case 'percent':
      return { type: 'number', value: raw }
    case 'date':
      return { type: 'date', value: raw }
    case 'datetime':
      return { type: 'datetime', value: raw }
    default:
      return { type: 'string', value: raw }
  }
}

/** The text a widget shows for a literal. */
export function rawOf(lit: Literal | null | undefined): string {
  if (!lit) return ''
  switch (lit.type) {
    case 'boolean':
      return lit.value ? 'true' : 'false'
    case 'today':
    case 'now':
      return ''
    default:
      return lit.value
  }
}

/** A fresh condition on a field with its first operator. */
export function newCondition(f: FilterableField): Condition {
  const op = operatorsFor(f.field)[0]
  return { field: f.key, op, value: VALUELESS.has(op) ? null : LIST_OPERATORS.has(op) ? [] : literalFor(f.field, '') }
}

/** Keeps what can be kept of a value when the operator changes. */
export function adaptValue(c: Condition, field: FieldMeta, op: Operator): Condition['value'] {
  if (VALUELESS.has(op)) return null
  const values = Array.isArray(c.value) ? c.value : c.value ? [c.value] : []
  if (LIST_OPERATORS.has(op)) return values
  return values[0] ?? literalFor(field, '')
}
