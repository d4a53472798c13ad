// The filter builder's model: a flat list of conditions joined by one
// conjunction. It maps one-to-one onto a subset of the server's filter
// language (expr syntax); anything outside that subset stays text.

export type Conjunction = 'and' | 'or'

export type Operator =
  | 'eq'
  | 'ne'
  | 'lt'
  | 'le'
  | 'gt'
  | 'ge'
  | 'contains'
  | 'not_contains'
  | 'starts_with'
  | 'ends_with'
  | 'in'
  | 'not_in'
  | 'is_empty'
  | 'is_not_empty'
  | 'is_true'
  | 'is_false'

/** A literal as written in an expression; `value` keeps its exact text. */
export type Literal =
  | { type: 'string'; value: string }
  | { type: 'number'; value: string }
  | { type: 'boolean'; value: boolean }
  | { type: 'date'; value: string }
  | { type: 'datetime'; value: string }
  | { type: 'today' }
  | { type: 'now' }

export interface Condition {
  /** A field api name, or a one-hop lookup path such as `account_id.tier`. */
  field: string
  op: Operator
  /** One literal, a list for in / not in, or null for operators without a value. */
  value: Literal | Literal[] | null
}

export interface FilterModel {
  conjunction: Conjunction
  conditions: Condition[]
}

/** Operators that take no value. */
export const VALUELESS: ReadonlySet<Operator> = new Set(['is_empty', 'is_not_empty', 'is_true', 'is_false'])

/** Operators that take a list. */
export const LIST_OPERATORS: ReadonlySet<Operator> = new Set(['in', 'not_in'])

export function emptyModel(): FilterModel {
  return { conjunction: 'and', conditions: [] }
}
