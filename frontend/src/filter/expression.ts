// Parsing and writing filter expressions for the builder. The parser reads
// the whole expr-style language the server accepts well enough to tell
// whether an expression fits the builder's flat model; the writer produces
// one canonical text per model, so build -> write -> parse -> write is stable.
import type { Condition, Conjunction, FilterModel, Literal, Operator } from './model'
import { LIST_OPERATORS, VALUELESS } from './model'

// ------------------------------------------------------------ tokens

type TokenKind = 'ident' | 'string' | 'number' | 'op' | 'punct' | 'eof'

interface Token {
  kind: TokenKind
  text: string
  /** Decoded value of a string token. */
  value?: string
  pos: number
}

export class FilterSyntaxError extends Error {
  readonly position: number
  constructor(message: string, position: number) {
    super(message)
    this.name = 'FilterSyntaxError'
    this.position = position
  }
}

const TWO_CHAR_OPS = ['==', '!=', '<=', '>=', '&&', '||']
const ONE_CHAR_OPS = ['<', '>', '!']
const PUNCT = ['(', ')', '[', ']', ',']

function isIdentStart(c: string): boolean {
  return /[A-Za-z_]/.test(c)
}

function isIdentPart(c: string): boolean {
  return /[A-Za-z0-9_]/.test(c)
}

export function tokenize(src: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < src.length) {
    const c = src[i]
    if (/\s/.test(c)) {
      i++
      continue
    }
    const start = i
    if (c === '"' || c === "'") {
      const quote = c
      let out = ''
      i++
      for (;;) {
        if (i >= src.length) throw new FilterSyntaxError('unterminated string', start)
        const ch = src[i]
        if (ch === quote) {
          i++
          break
        }
        if (ch === '\\') {
          const next = src[i + 1]
          const simple: Record<string, string> = { '"': '"', "'": "'", '\\': '\\', '/': '/', n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' }
          if (next in simple) {
            out += simple[next]
            i += 2
            continue
          }
          if (next === 'u') {
            const hex = src.slice(i + 2, i + 6)
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new FilterSyntaxError('bad escape', i)
            out += String.fromCharCode(parseInt(hex, 16))
            i += 6
            continue
          }
          throw new FilterSyntaxError('bad escape', i)
        }
        out += ch
        i++
      }
      tokens.push({ kind: 'string', text: src.slice(start, i), value: out, pos: start })
      continue
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      while (i < src.length && /[0-9._]/.test(src[i])) i++
      if (/[eE]/.test(src[i] ?? '')) {
        i++
        if (/[+-]/.test(src[i] ?? '')) i++
        while (i < src.length && /[0-9]/.test(src[i])) i++
      }
      tokens.push({ kind: 'number', text: src.slice(start, i), pos: start })
      continue
    }
    if (isIdentStart(c)) {
      while (i < src.length && isIdentPart(src[i])) i++
      // one-hop lookup paths (account_id.tier) are one identifier
      while (src[i] === '.' && isIdentStart(src[i + 1] ?? '')) {
        i++
        while (i < src.length && isIdentPart(src[i])) i++
      }
      tokens.push({ kind: 'ident', text: src.slice(start, i), pos: start })
      continue
    }
    const two = src.slice(i, i + 2)
    if (TWO_CHAR_OPS.includes(two)) {
      tokens.push({ kind: 'op', text: two, pos: start })
      i += 2
      continue
    }
    if (ONE_CHAR_OPS.includes(c)) {
      tokens.push({ kind: 'op', text: c, pos: start })
      i++
      continue
    }
    if (PUNCT.includes(c)) {
      tokens.push({ kind: 'punct', text: c, pos: start })
      i++
      continue
    }
    if (c === '-' || c === '+') {
      // a sign directly before a number
      if (/[0-9.]/.test(src[i + 1] ?? '')) {
        i++
        while (i < src.length && /[0-9._]/.test(src[i])) i++
        tokens.push({ kind: 'number', text: src.slice(start, i), pos: start })
        continue
      }
    }
    throw new FilterSyntaxError(`unexpected character ${JSON.stringify(c)}`, start)
  }
  tokens.push({ kind: 'eof', text: '', pos: src.length })
  return tokens
}

// ------------------------------------------------------------ syntax tree

export type Node =
  | { kind: 'and' | 'or'; left: Node; right: Node }
  | { kind: 'not'; operand: Node; paren: boolean }
  | { kind: 'paren'; inner: Node }
  | { kind: 'compare'; op: string; left: Node; right: Node }
  | { kind: 'ident'; name: string }
  | { kind: 'literal'; literal: Literal | { type: 'nil' } }
  | { kind: 'list'; items: Node[] }
  | { kind: 'call'; name: string; args: Node[] }

const COMPARE_WORDS = new Set(['contains', 'startsWith', 'endsWith', 'in', 'matches'])

class Parser {
  private i = 0
  constructor(private readonly tokens: Token[]) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)]
  }

  private next(): Token {
    const t = this.peek()
    this.i++
    return t
  }

  private isOp(t: Token, ...ops: string[]): boolean {
    return (t.kind === 'op' || t.kind === 'ident') && ops.includes(t.text)
  }

  private expect(kind: TokenKind, text?: string): Token {
    const t = this.next()
    if (t.kind !== kind || (text !== undefined && t.text !== text)) {
      throw new FilterSyntaxError(`expected ${text ?? kind}`, t.pos)
    }
    return t
  }

  parse(): Node {
    const node = this.parseOr()
    const t = this.peek()
    if (t.kind !== 'eof') throw new FilterSyntaxError(`unexpected ${t.text}`, t.pos)
    return node
  }

  private parseOr(): Node {
    let left = this.parseAnd()
    while (this.isOp(this.peek(), '||', 'or')) {
      this.next()
      left = { kind: 'or', left, right: this.parseAnd() }
    }
    return left
  }

  private parseAnd(): Node {
    let left = this.parseUnary()
    while (this.isOp(this.peek(), '&&', 'and')) {
      this.next()
      left = { kind: 'and', left, right: this.parseUnary() }
    }
    return left
  }

  private parseUnary(): Node {
    const t = this.peek()
    if (this.isOp(t, '!', 'not') && !(t.text === 'not' && this.isOp(this.peek(1), 'in'))) {
      this.next()
      const operand = this.parseUnary()
      return { kind: 'not', operand, paren: operand.kind === 'paren' }
    }
    return this.parseComparison()
  }

  private parseComparison(): Node {
    const left = this.parsePrimary()
    const t = this.peek()
    if (t.kind === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(t.text)) {
      this.next()
      return { kind: 'compare', op: t.text, left, right: this.parsePrimary() }
    }
    if (t.kind === 'ident' && COMPARE_WORDS.has(t.text)) {
      this.next()
      return { kind: 'compare', op: t.text, left, right: this.parsePrimary() }
    }
    if (t.kind === 'ident' && t.text === 'not' && this.peek(1).text === 'in') {
      this.next()
      this.next()
      return { kind: 'compare', op: 'not in', left, right: this.parsePrimary() }
    }
    return left
  }

  private parsePrimary(): Node {
    const t = this.next()
    switch (t.kind) {
      case 'string':
        return { kind: 'literal', literal: { type: 'string', value: t.value ?? '' } }
      case 'number':
        return { kind: 'literal', literal: { type: 'number', value: t.text } }
      case 'ident': {
        if (t.text === 'true' || t.text === 'false') {
          return { kind: 'literal', literal: { type: 'boolean', value: t.text === 'true' } }
        }
        if (t.text === 'nil') return { kind: 'literal', literal: { type: 'nil' } }
        if (this.peek().kind === 'punct' && this.peek().text === '(') {
          this.next()
          const args: Node[] = []
          if (!(this.peek().kind === 'punct' && this.peek().text === ')')) {
            args.push(this.parseOr())
            while (this.peek().text === ',') {
              this.next()
              args.push(this.parseOr())
            }
          }
          this.expect('punct', ')')
          return { kind: 'call', name: t.text, args }
        }
        return { kind: 'ident', name: t.text }
      }
      case 'punct':
        if (t.text === '(') {
          const inner = this.parseOr()
          this.expect('punct', ')')
          return { kind: 'paren', inner }
        }
        if (t.text === '[') {
          const items: Node[] = []
          if (!(this.peek().kind === 'punct' && this.peek().text === ']')) {
            items.push(this.parseOr())
            while (this.peek().text === ',') {
              this.next()
              if (this.peek().text === ']') break
              items.push(this.parseOr())
            }
          }
          this.expect('punct', ']')
          return { kind: 'list', items }
        }
        break
      default:
        break
    }
    throw new FilterSyntaxError(t.kind === 'eof' ? 'unexpected end' : `unexpected ${t.text}`, t.pos)
  }
}

export function parseExpression(src: string): Node {
  return new Parser(tokenize(src)).parse()
}

// ------------------------------------------------------------ tree -> model

/** Why an expression cannot be shown in the builder. */
export type UnsupportedReason = 'syntax' | 'grouping' | 'shape'

export type ParseResult =
  | { ok: true; model: FilterModel }
  | { ok: false; reason: UnsupportedReason; position?: number; message?: string }

class Unsupported extends Error {
  constructor(readonly reason: UnsupportedReason) {
    super(reason)
  }
}

function flatten(node: Node, kind: 'and' | 'or', out: Node[]): void {
  if (node.kind === kind) {
    flatten(node.left, kind, out)
    flatten(node.right, kind, out)
  } else {
    out.push(node)
  }
}

function literalOf(node: Node): Literal {
  if (node.kind === 'literal' && node.literal.type !== 'nil') return node.literal
  if (node.kind === 'call') {
    if ((node.name === 'date' || node.name === 'datetime') && node.args.length === 1) {
      const arg = node.args[0]
      if (arg.kind === 'literal' && arg.literal.type === 'string') {
        return { type: node.name, value: arg.literal.value }
      }
    }
    if ((node.name === 'today' || node.name === 'now') && node.args.length === 0) {
      return { type: node.name }
    }
  }
  throw new Unsupported('shape')
}

const COMPARE_OPS: Record<string, Operator> = {
  '==': 'eq',
  '!=': 'ne',
  '<': 'lt',
  '<=': 'le',
  '>': 'gt',
  '>=': 'ge',
  contains: 'contains',
  startsWith: 'starts_with',
  endsWith: 'ends_with',
  in: 'in',
  'not in': 'not_in',
}

function conditionOf(node: Node): Condition {
  if (node.kind === 'ident') return { field: node.name, op: 'is_true', value: null }
  if (node.kind === 'not') {
    if (node.operand.kind === 'ident' && !node.paren) return { field: node.operand.name, op: 'is_false', value: null }
    // !(name contains "x") is the builder's "does not contain"
    if (node.operand.kind === 'paren') {
      const inner = node.operand.inner
      if (inner.kind === 'compare' && inner.op === 'contains' && inner.left.kind === 'ident') {
        return { field: inner.left.name, op: 'not_contains', value: literalOf(inner.right) }
      }
    }
    throw new Unsupported('shape')
  }
  if (node.kind !== 'compare' || node.left.kind !== 'ident') throw new Unsupported('shape')
  const field = node.left.name
  const op = COMPARE_OPS[node.op]
  if (!op) throw new Unsupported('shape')
  const right = node.right
  if (right.kind === 'literal' && right.literal.type === 'nil') {
    if (op === 'eq') return { field, op: 'is_empty', value: null }
    if (op === 'ne') return { field, op: 'is_not_empty', value: null }
    throw new Unsupported('shape')
  }
  if (LIST_OPERATORS.has(op)) {
    if (right.kind !== 'list') throw new Unsupported('shape')
    return { field, op, value: right.items.map(literalOf) }
  }
  return { field, op, value: literalOf(right) }
}

/** Reads an expression into the builder's model, or says why it cannot. */
export function parseFilter(src: string): ParseResult {
  if (!src.trim()) return { ok: true, model: { conjunction: 'and', conditions: [] } }
  let tree: Node
  try {
    tree = parseExpression(src)
  } catch (err) {
    if (err instanceof FilterSyntaxError) return { ok: false, reason: 'syntax', position: err.position, message: err.message }
    throw err
  }
  try {
    let conjunction: Conjunction = 'and'
    const parts: Node[] = []
    if (tree.kind === 'or') {
      conjunction = 'or'
      flatten(tree, 'or', parts)
    } else {
      flatten(tree, 'and', parts)
    }
    if (parts.some((p) => p.kind === 'and' || p.kind === 'or' || p.kind === 'paren')) throw new Unsupported('grouping')
    return { ok: true, model: { conjunction, conditions: parts.map(conditionOf) } }
  } catch (err) {
    if (err instanceof Unsupported) return { ok: false, reason: err.reason }
    throw err
  }
}

// ------------------------------------------------------------ model -> text

/** A JSON-style double-quoted string, as the filter language reads it. */
export function quote(value: string): string {
  return JSON.stringify(value)
}

export function writeLiteral(lit: Literal): string {
  switch (lit.type) {
    case 'string':
      return quote(lit.value)
    case 'number':
      return lit.value
    case 'boolean':
      return lit.value ? 'true' : 'false'
    case 'date':
      return `date(${quote(lit.value)})`
    case 'datetime':
      return `datetime(${quote(lit.value)})`
    case 'today':
      return 'today()'
    case 'now':
      return 'now()'
  }
}

const OP_TEXT: Partial<Record<Operator, string>> = {
  eq: '==',
  ne: '!=',
  lt: '<',
  le: '<=',
  gt: '>',
  ge: '>=',
  contains: 'contains',
  starts_with: 'startsWith',
  ends_with: 'endsWith',
  in: 'in',
  not_in: 'not in',
}

function single(value: Condition['value']): Literal {
  if (value === null || Array.isArray(value)) throw new Error('condition needs one value')
  return value
}

export function writeCondition(c: Condition): string {
  switch (c.op) {
    case 'is_empty':
      return `${c.field} == nil`
    case 'is_not_empty':
      return `${c.field} != nil`
    case 'is_true':
      return c.field
    case 'is_false':
      return `!${c.field}`
    case 'not_contains':
      return `!(${c.field} contains ${writeLiteral(single(c.value))})`
    case 'in':
    case 'not_in': {
      const items = Array.isArray(c.value) ? c.value : c.value ? [c.value] : []
      return `${c.field} ${OP_TEXT[c.op]} [${items.map(writeLiteral).join(', ')}]`
    }
    default:
      return `${c.field} ${OP_TEXT[c.op]} ${writeLiteral(single(c.value))}`
  }
}

/** True when a condition has what it needs to be written. */
export function isComplete(c: Condition): boolean {
  if (!c.field) return false
  if (VALUELESS.has(c.op)) return true
  if (LIST_OPERATORS.has(c.op)) return Array.isArray(c.value) && c.value.length > 0
  if (c.value === null || Array.isArray(c.value)) return false
  if (c.value.type === 'string' && c.value.value === '' && c.op !== 'eq' && c.op !== 'ne') return false
  if ((c.value.type === 'number' || c.value.type === 'date' || c.value.type === 'datetime') && c.value.value === '') {
    return false
  }
  return true
}

/** Writes the model as an expression; incomplete conditions are skipped. */
export function writeFilter(model: FilterModel): string {
  const joiner = model.conjunction === 'or' ? ' || ' : ' && '
  return model.conditions.filter(isComplete).map(writeCondition).join(joiner)
}

/** Joins expressions with &&, parenthesising those that contain ||. */
export function andAll(...exprs: (string | undefined | null)[]): string {
  const parts = exprs.map((e) => (e ?? '').trim()).filter(Boolean)
  if (parts.length <= 1) return parts[0] ?? ''
  return parts.map((p) => (needsParens(p) ? `(${p})` : p)).join(' && ')
}

function needsParens(expr: string): boolean {
  try {
    const tree = parseExpression(expr)
    return tree.kind === 'or'
  } catch {
    return true
  }
}
