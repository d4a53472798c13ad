// What the editor offers at the cursor: names (own fields, lookup paths
// after `account_id.`, user attributes after `$user.`, prior values after
// `prior.`), functions and keywords; field names inside is_changed("…");
// a picklist's options inside the string compared with it. Also which
// function call the cursor is in, for the signature line.
import type { ExprFunction, ExprName, ExprVocabulary, Labels, Locale } from '@/api/types'
import { pickLabel } from '@/metadata/labels'
import { lex, significant, type LexToken } from './tokens'

export type CompletionContext =
  | { kind: 'none' }
  /** A word at the top level: names without a dot, groups (account_id., $user., prior.), functions, keywords. */
  | { kind: 'identifier'; from: number; to: number; prefix: string }
  /** After `base.`: the names under base. */
  | { kind: 'member'; base: string; from: number; to: number; prefix: string }
  /** Inside the string argument of is_changed(): field names. `close` is the quote to add when the string is open. */
  | { kind: 'fieldName'; from: number; to: number; prefix: string; close: string }
  /** Inside a string compared with a picklist (stage == "…", stage in ["…"], includes(tags, "…")). */
  | { kind: 'option'; field: string; from: number; to: number; prefix: string; close: string }

/** Functions whose string argument names a field. */
const FIELD_NAME_FUNCTIONS = new Set(['is_changed'])

const WORD_PART = /[\p{L}\p{N}_$]/u

/** The end of the word the cursor is in (completion replaces the whole word). */
function wordEnd(src: string, at: number): number {
  let i = at
  while (i < src.length && WORD_PART.test(src[i])) i++
  return i
}

/** The end of a string's content at the cursor: up to its closing quote, if any, on the same line. */
function stringContentEnd(src: string, at: number, quote: string): number {
  let i = at
  while (i < src.length && src[i] !== quote && src[i] !== '\n') {
    if (src[i] === '\\') i++
    i++
  }
  return Math.min(i, src.length)
}

/**
 * The completion context at `cursor`. `explicit` (Ctrl+Space) also answers
 * where nothing has been typed yet.
 */
export function completionContext(src: string, cursor: number, explicit = false): CompletionContext {
  const before = src.slice(0, cursor)
  const all = lex(before)
  const last = all[all.length - 1]
  const none: CompletionContext = { kind: 'none' }
  if (!last || last.kind === 'space' || (last.kind === 'punct' && last.text !== '.') || last.kind === 'operator') {
    if (!explicit) return none
    return { kind: 'identifier', from: cursor, to: wordEnd(src, cursor), prefix: '' }
  }
  if (last.kind === 'comment' || last.kind === 'number' || last.kind === 'invalid') return none
  if (last.kind === 'string') {
    if (last.closed) return none
    return stringContext(src, cursor, last, significant(all).slice(0, -1))
  }
  if (last.kind === 'punct') {
    // "account_id." or "$user.": the names under what precedes the dot
    const prev = all[all.length - 2]
    if (prev && (prev.kind === 'ident' || prev.kind === 'variable') && prev.to === last.from) {
      return { kind: 'member', base: prev.text, from: cursor, to: wordEnd(src, cursor), prefix: '' }
    }
    return none
  }
  // an identifier or a $variable ending at the cursor
  const text = last.text
  const dot = text.lastIndexOf('.')
  if (dot >= 0) {
    return { kind: 'member', base: text.slice(0, dot), from: last.from + dot + 1, to: wordEnd(src, cursor), prefix: text.slice(dot + 1) }
  }
  return { kind: 'identifier', from: last.from, to: wordEnd(src, cursor), prefix: text }
}

/** The context of the cursor inside an unclosed string; `prior` are the meaningful tokens before the string. */
function stringContext(src: string, cursor: number, str: LexToken, prior: LexToken[]): CompletionContext {
  const quote = str.text[0]
  if (quote === '`') return { kind: 'none' }
  const from = str.from + 1
  const to = stringContentEnd(src, cursor, quote)
  const range = { from, to, prefix: src.slice(from, cursor), close: src[to] === quote ? '' : quote }
  const n = prior.length
  const at = (k: number) => prior[n - k]
  // is_changed("
  if (at(1)?.text === '(' && at(2)?.kind === 'ident' && FIELD_NAME_FUNCTIONS.has(at(2).text)) {
    return { kind: 'fieldName', ...range }
  }
  // stage == "  /  stage != "
  if ((at(1)?.text === '==' || at(1)?.text === '!=') && at(2)?.kind === 'ident') {
    return { kind: 'option', field: at(2).text, ...range }
  }
  // includes(tags, "
  if (at(1)?.text === ',' && at(2)?.kind === 'ident' && at(3)?.text === '(' && at(4)?.text === 'includes') {
    return { kind: 'option', field: at(2).text, ...range }
  }
  // stage in ["a", "
  let k = 1
  while (at(k)?.text === ',' && at(k + 1)?.kind === 'string') k += 2
  if (at(k)?.text === '[' && at(k + 1)?.text === 'in' && at(k + 2)?.kind === 'ident') {
    return { kind: 'option', field: at(k + 2).text, ...range }
  }
  return { kind: 'none' }
}

// ------------------------------------------------------------ items

export type CompletionKind = 'field' | 'variable' | 'group' | 'function' | 'keyword' | 'option'

export interface CompletionItem {
  kind: CompletionKind
  /** What the list shows and the filter matches. */
  label: string
  /** What replaces [from, to). */
  insert: string
  /** Where the cursor goes, counted from the start of `insert` (default: its end). */
  caret?: number
  /** The type of a name, the signature of a function. */
  detail: string
  /** A name's label, a function's doc, in the UI language. */
  info: string
  /** Accepting it opens the list again (groups end with a dot). */
  reopen?: boolean
}

export interface Completion {
  from: number
  to: number
  items: CompletionItem[]
}

export const MAX_ITEMS = 60

/** How well `query` matches an item: 0 prefix of the name, 1 inside the name, 2 in its label; -1 no match. */
function score(query: string, name: string, info: string): number {
  if (!query) return 0
  const q = query.toLowerCase()
  const n = name.toLowerCase()
  if (n.startsWith(q)) return 0
  if (n.includes(q)) return 1
  if (info.toLowerCase().includes(q)) return 2
  return -1
}

function rank(items: CompletionItem[], query: string, matchOn: (i: CompletionItem) => string = (i) => i.label): CompletionItem[] {
  const scored = items
    .map((item, order) => ({ item, order, s: score(query, matchOn(item), item.info) }))
    .filter((x) => x.s >= 0)
  scored.sort((a, b) => a.s - b.s || Number(isSystem(a.item)) - Number(isSystem(b.item)) || a.order - b.order)
  return scored.slice(0, MAX_ITEMS).map((x) => x.item)
}

/** System columns every record has: offered after the object's own fields. */
const SYSTEM_NAMES = new Set(['id', 'owner_id', 'created_at', 'created_by', 'updated_at', 'updated_by', 'version'])

function isSystem(item: CompletionItem): boolean {
  return (item.kind === 'field' && SYSTEM_NAMES.has(item.label)) || false
}

function nameItem(n: ExprName, label: string, locale: Locale): CompletionItem {
  return {
    kind: n.name.startsWith('$') ? 'variable' : 'field',
    label,
    insert: label,
    detail: n.type,
    info: pickLabel(n.labels, locale, ''),
  }
}

function functionItem(f: ExprFunction, locale: Locale): CompletionItem {
  return {
    kind: 'function',
    label: f.name,
    insert: `${f.name}()`,
    caret: f.name.length + 1,
    detail: f.signature,
    info: pickLabel(f.doc as Labels | undefined, locale, ''),
  }
}

/** Lookup paths, $user.* and prior.* are offered as one group entry each at the top level. */
function groups(names: ExprName[], locale: Locale): CompletionItem[] {
  const seen = new Map<string, CompletionItem>()
  for (const n of names) {
    const dot = n.name.indexOf('.')
    if (dot < 0) continue
    const base = n.name.slice(0, dot)
    if (seen.has(base)) continue
    const own = names.find((x) => x.name === base)
    seen.set(base, {
      kind: 'group',
      label: `${base}.`,
      insert: `${base}.`,
      detail: '',
      info: own ? pickLabel(own.labels, locale, '') : '',
      reopen: true,
    })
  }
  return [...seen.values()]
}

/** The label of a picklist option, when the caller knows it (the vocabulary has api names only). */
export type OptionLabel = (field: string, option: string) => string

/** The items for a context, best first. */
export function completionItems(ctx: CompletionContext, vocab: ExprVocabulary, locale: Locale, optionLabel?: OptionLabel): Completion | null {
  switch (ctx.kind) {
    case 'none':
      return null
    case 'identifier': {
      const own = vocab.names.filter((n) => !n.name.includes('.')).map((n) => nameItem(n, n.name, locale))
      const fns = vocab.functions.map((f) => functionItem(f, locale))
      const words = vocab.keywords.map<CompletionItem>((k) => ({ kind: 'keyword', label: k, insert: k, detail: '', info: '' }))
      const items = rank([...own, ...groups(vocab.names, locale), ...fns, ...words], ctx.prefix)
      return { from: ctx.from, to: ctx.to, items }
    }
    case 'member': {
      const head = `${ctx.base}.`
      const under = vocab.names
        .filter((n) => n.name.startsWith(head) && !n.name.slice(head.length).includes('.'))
        .map((n) => nameItem(n, n.name.slice(head.length), locale))
      return { from: ctx.from, to: ctx.to, items: rank(under, ctx.prefix) }
    }
    case 'fieldName': {
      const fields = vocab.names
        .filter((n) => !n.name.includes('.') && !n.name.startsWith('$'))
        .map((n) => ({ ...nameItem(n, n.name, locale), insert: n.name + ctx.close }))
      return { from: ctx.from, to: ctx.to, items: rank(fields, ctx.prefix) }
    }
    case 'option': {
      const field = vocab.names.find((n) => n.name === ctx.field)
      const options = (field?.options ?? []).map<CompletionItem>((o) => ({
        kind: 'option',
        label: o,
        insert: o + ctx.close,
        detail: '',
        info: optionLabel?.(ctx.field, o) ?? '',
      }))
      return { from: ctx.from, to: ctx.to, items: rank(options, ctx.prefix) }
    }
  }
}

/** The source after accepting an item, and where the cursor goes. */
export function applyCompletion(src: string, completion: { from: number; to: number }, item: CompletionItem): { text: string; cursor: number } {
  let insert = item.insert
  let caret = item.caret ?? insert.length
  // A function before an existing "(" keeps it: "ro|(" + round -> "round(".
  if (item.kind === 'function' && src[completion.to] === '(') {
    insert = item.insert.slice(0, -2)
    caret = insert.length + 1
  }
  return { text: src.slice(0, completion.from) + insert + src.slice(completion.to), cursor: completion.from + caret }
}

// ------------------------------------------------------------ signature help

export interface CallAt {
  name: string
  /** Which argument the cursor is in (0-based). */
  argument: number
}

/** The innermost function call the cursor is inside, if any. */
export function callAt(src: string, cursor: number): CallAt | null {
  const tokens = significant(lex(src.slice(0, cursor)))
  const stack: (CallAt | null)[] = []
  tokens.forEach((t, i) => {
    if (t.kind !== 'punct') return
    if (t.text === '(') {
      const prev = tokens[i - 1]
      stack.push(prev && prev.kind === 'ident' && !prev.text.includes('.') ? { name: prev.text, argument: 0 } : null)
    } else if (t.text === '[' || t.text === '{') {
      stack.push(null)
    } else if (t.text === ')' || t.text === ']' || t.text === '}') {
      stack.pop()
    } else if (t.text === ',') {
      const top = stack[stack.length - 1]
      if (top) top.argument++
    }
  })
  // inside a list or map within a call, the call still describes the argument
  for (let i = stack.length - 1; i >= 0; i--) {
    const frame = stack[i]
    if (frame) return frame
  }
  return null
}
