// Api names as the server accepts them (metadata/apiname.go): lower
// snake_case ASCII starting with a letter, at most 48 characters, no double
// or trailing underscore, not a system or reserved name, not an SQL keyword.
// The server stays the judge; this lets the form answer while typing.

export const MAX_API_NAME = 48

export const SYSTEM_FIELD_NAMES = ['id', 'owner_id', 'created_at', 'created_by', 'updated_at', 'updated_by', 'version', 'deleted_at']

const RESERVED = new Set([
  'tenant_id', 'expand', 'fields', 'filter', 'sort', 'limit', 'cursor', 'count', 'prior', 'record', 'user', 'now', 'today',
  'meta', 'records', 'bulk', 'restore', 'purge', 'true', 'false', 'nil', 'null', 'in', 'not', 'and', 'or', 'matches',
  'contains', 'startswith', 'endswith', 'oid', 'ctid', 'xmin', 'xmax', 'cmin', 'cmax', 'tableoid', 'rowid', 'oid_',
  ...SYSTEM_FIELD_NAMES,
])

const SQL_KEYWORDS = new Set(
  `abort action add after all alter always analyze and any array as asc asymmetric attach autoincrement before begin
  between both by cascade case cast check collate column commit concurrently conflict constraint create cross current
  current_catalog current_date current_role current_schema current_time current_timestamp current_user database default
  deferrable deferred delete desc detach distinct do drop each else end escape except exclude exclusive exists explain
  fail fetch filter first following for foreign freeze from full generated glob grant group groups having if ignore ilike
  immediate in index indexed initially inner insert instead intersect into is isnull join key last lateral leading left
  like limit localtime localtimestamp match materialized natural no not nothing notnull null nulls of offset on only or
  order others outer over overlaps partition placing plan pragma preceding primary query raise range recursive references
  regexp reindex release rename replace restrict returning right rollback row rows savepoint select session_user set
  similar some symmetric table temp temporary then ties to trailing transaction trigger unbounded union unique update
  user using vacuum values variadic verbose view virtual when where window with without authorization binary collation
  tablesample`.split(/\s+/),
)

/** Why an api name is refused: an i18n key under admin.apiName and its parameters. */
export interface ApiNameProblem {
  key: 'empty' | 'tooLong' | 'start' | 'trailingUnderscore' | 'doubleUnderscore' | 'badChar' | 'reserved' | 'keyword' | 'taken'
  params?: Record<string, string | number>
}

export function apiNameProblem(name: string, taken: Iterable<string> = []): ApiNameProblem | null {
  if (!name) return { key: 'empty' }
  if (name.length > MAX_API_NAME) return { key: 'tooLong', params: { max: MAX_API_NAME } }
  if (!/^[a-z]/.test(name)) return { key: 'start' }
  if (name.endsWith('_')) return { key: 'trailingUnderscore' }
  if (name.includes('__')) return { key: 'doubleUnderscore' }
  const bad = /[^a-z0-9_]/.exec(name)
  if (bad) return { key: 'badChar', params: { char: bad[0], pos: bad.index + 1 } }
  if (RESERVED.has(name)) return { key: 'reserved' }
  if (SQL_KEYWORDS.has(name)) return { key: 'keyword' }
  for (const t of taken) if (t === name) return { key: 'taken' }
  return null
}

/** Labels in Chinese (or any script without a Latin spelling) get no suggestion: the admin types the name. */
export function hasNonLatinLetters(label: string): boolean {
  return /[^\p{Script=Latin}\p{Script=Common}\p{Script=Inherited}]/u.test(label)
}

/**
 * An api name suggested from an English label ("Contract Value (CNY)" ->
 * "contract_value_cny"), made valid: a reserved word or a taken name gets a
 * suffix. Empty when the label has no Latin spelling.
 */
export function suggestApiName(label: string, taken: Iterable<string> = []): string {
  if (!label.trim() || hasNonLatinLetters(label)) return ''
  let name = label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+/, '')
    .replace(/_+/g, '_')
  name = trimName(name)
  if (!name) return ''
  const takenSet = new Set(taken)
  if (RESERVED.has(name) || SQL_KEYWORDS.has(name)) name = trimName(name.slice(0, MAX_API_NAME - 2)) + '_c'
  if (takenSet.has(name)) {
    for (let i = 2; ; i++) {
      const suffix = `_${i}`
      const candidate = trimName(name.slice(0, MAX_API_NAME - suffix.length)) + suffix
      if (!takenSet.has(candidate)) return candidate
    }
  }
  return name
}

function trimName(name: string): string {
  return name.slice(0, MAX_API_NAME).replace(/_+$/, '')
}

/** Option api names: a letter, then letters, digits and underscores (at most 48). */
export const OPTION_NAME = /^[A-Za-z][A-Za-z0-9_]{0,47}$/

/** An option name from its label ("Closed Won" -> "closed_won"); empty for labels without a Latin spelling. */
export function suggestOptionName(label: string, taken: Iterable<string> = []): string {
  if (!label.trim() || hasNonLatinLetters(label)) return ''
  let name = label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+/, '')
    .replace(/_+$/, '')
    .slice(0, 48)
  if (!name) return ''
  const takenSet = new Set(taken)
  if (!takenSet.has(name)) return name
  for (let i = 2; ; i++) {
    const candidate = `${name.slice(0, 46)}_${i}`
    if (!takenSet.has(candidate)) return candidate
  }
}

/** A fresh option name that is valid whatever the label (for Chinese labels). */
export function nextOptionName(taken: Iterable<string>, prefix = 'option'): string {
  const takenSet = new Set(taken)
  for (let i = 1; ; i++) {
    const candidate = `${prefix}_${i}`
    if (!takenSet.has(candidate)) return candidate
  }
}
