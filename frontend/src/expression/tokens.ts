// A tolerant lexer of the expression language (expr-lang syntax) for the
// editor: it never throws, covers every character of the source (so the
// highlighted copy lines up with the textarea), and marks what it cannot
// read instead of failing. The server's checker has the last word; this
// only colours and finds the context of completion.

export type LexKind =
  | 'ident' // a name or a dotted path: amount, account_id.tier, prior.stage
  | 'variable' // $today, $user.role
  | 'string'
  | 'number'
  | 'operator'
  | 'punct'
  | 'comment'
  | 'space'
  | 'invalid'

export interface LexToken {
  kind: LexKind
  from: number
  to: number
  text: string
  /** Strings and block comments: whether they end before the source does. */
  closed?: boolean
}

const OPERATORS = ['...', '==', '!=', '<=', '>=', '&&', '||', '??', '?.', '..', '**', '+', '-', '*', '/', '%', '^', '<', '>', '!', '?', ':', '|', '#', '=']
const PUNCT = '()[]{},;.'

const IDENT_START = /[\p{L}_$]/u
const IDENT_PART = /[\p{L}\p{N}_$]/u

function isIdentStart(c: string | undefined): boolean {
  return c !== undefined && IDENT_START.test(c)
}

function isIdentPart(c: string | undefined): boolean {
  return c !== undefined && IDENT_PART.test(c)
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9'
}

/** The end of the string starting at `from` (its quote), and whether it is closed. */
function scanString(src: string, from: number): { to: number; closed: boolean } {
  const quote = src[from]
  let i = from + 1
  while (i < src.length) {
    const c = src[i]
    if (c === '\\' && quote !== '`') {
      i += 2
      continue
    }
    if (c === quote) return { to: i + 1, closed: true }
    if (c === '\n' && quote !== '`') return { to: i, closed: false }
    i++
  }
  return { to: src.length, closed: false }
}

function scanNumber(src: string, from: number): number {
  let i = from
  if (src[i] === '0' && /[xXbBoO]/.test(src[i + 1] ?? '')) {
    i += 2
    while (i < src.length && /[0-9a-fA-F_]/.test(src[i])) i++
    return i
  }
  while (isDigit(src[i]) || src[i] === '_') i++
  // a fraction, but not the range operator (1..5)
  if (src[i] === '.' && isDigit(src[i + 1])) {
    i++
    while (isDigit(src[i]) || src[i] === '_') i++
  }
  if ((src[i] === 'e' || src[i] === 'E') && (isDigit(src[i + 1]) || (/[+-]/.test(src[i + 1] ?? '') && isDigit(src[i + 2])))) {
    i += 2
    while (isDigit(src[i])) i++
  }
  return i
}

/** An identifier and its dotted continuation: account_id.tier, $user.role, prior.amount. */
function scanPath(src: string, from: number): number {
  let i = from + 1
  while (isIdentPart(src[i])) i++
  while (src[i] === '.' && isIdentStart(src[i + 1]) && src[i + 1] !== '$') {
    i += 2
    while (isIdentPart(src[i])) i++
  }
  return i
}

/** Splits `src` into tokens that cover it exactly, in order. */
export function lex(src: string): LexToken[] {
  const out: LexToken[] = []
  let i = 0
  const push = (kind: LexKind, from: number, to: number, closed?: boolean) => {
    const t: LexToken = { kind, from, to, text: src.slice(from, to) }
    if (closed !== undefined) t.closed = closed
    out.push(t)
  }
  while (i < src.length) {
    const c = src[i]
    const start = i
    if (/\s/.test(c)) {
      while (i < src.length && /\s/.test(src[i])) i++
      push('space', start, i)
      continue
    }
    if (c === '/' && src[i + 1] === '/') {
      while (i < src.length && src[i] !== '\n') i++
      push('comment', start, i, true)
      continue
    }
    if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2)
      i = end < 0 ? src.length : end + 2
      push('comment', start, i, end >= 0)
      continue
    }
    if (c === '"' || c === "'" || c === '`') {
      const s = scanString(src, i)
      i = s.to
      push('string', start, i, s.closed)
      continue
    }
    if (isDigit(c) || (c === '.' && isDigit(src[i + 1]) && src[i - 1] !== '.')) {
      i = scanNumber(src, c === '.' ? i + 1 : i)
      push('number', start, i)
      continue
    }
    if (isIdentStart(c)) {
      i = scanPath(src, i)
      push(c === '$' ? 'variable' : 'ident', start, i)
      continue
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i))
    if (op) {
      i += op.length
      push('operator', start, i)
      continue
    }
    if (PUNCT.includes(c)) {
      i++
      push('punct', start, i)
      continue
    }
    // one whole character, surrogate pairs included
    i += (src.codePointAt(i) ?? 0) > 0xffff ? 2 : 1
    push('invalid', start, i)
  }
  return out
}

/** The tokens that carry meaning (no spaces, no comments). */
export function significant(tokens: LexToken[]): LexToken[] {
  return tokens.filter((t) => t.kind !== 'space' && t.kind !== 'comment')
}

// ------------------------------------------------------------ highlighting

export type HighlightKind =
  | 'field' // a name the vocabulary declares
  | 'variable' // $today, $user.role
  | 'function'
  | 'keyword'
  | 'constant' // true, false, nil
  | 'string'
  | 'number'
  | 'operator'
  | 'punct'
  | 'comment'
  | 'unknown' // a name nobody declared (a typo, a let variable, #)
  | 'invalid'
  | 'plain' // spaces

export interface HighlightToken {
  kind: HighlightKind
  from: number
  to: number
  text: string
}

export interface HighlightVocabulary {
  names: ReadonlySet<string>
  functions: ReadonlySet<string>
  keywords: ReadonlySet<string>
}

const CONSTANTS = new Set(['true', 'false', 'nil'])
/** Words of the language, known without asking the server. */
export const DEFAULT_KEYWORDS = ['and', 'or', 'not', 'in', 'contains', 'startsWith', 'endsWith', 'matches', 'true', 'false', 'nil', 'let']

/** Colours the tokens of `src`: names, functions and keywords as the vocabulary knows them. */
export function highlight(src: string, vocab: HighlightVocabulary): HighlightToken[] {
  const tokens = lex(src)
  return tokens.map((t, i) => ({ kind: kindOf(t, tokens, i, vocab), from: t.from, to: t.to, text: t.text }))
}

function nextSignificant(tokens: LexToken[], i: number): LexToken | undefined {
  for (let j = i + 1; j < tokens.length; j++) {
    if (tokens[j].kind !== 'space' && tokens[j].kind !== 'comment') return tokens[j]
  }
  return undefined
}

function kindOf(t: LexToken, tokens: LexToken[], i: number, vocab: HighlightVocabulary): HighlightKind {
  switch (t.kind) {
    case 'space':
      return 'plain'
    case 'string':
    case 'number':
    case 'operator':
    case 'punct':
    case 'comment':
    case 'invalid':
      return t.kind
    case 'variable':
      return vocab.names.has(t.text) || vocab.names.size === 0 ? 'variable' : 'unknown'
  }
  if (CONSTANTS.has(t.text)) return 'constant'
  const next = nextSignificant(tokens, i)
  if (next?.text === '(' && !t.text.includes('.')) return vocab.functions.has(t.text) ? 'function' : 'unknown'
  if (vocab.keywords.has(t.text)) return 'keyword'
  if (vocab.names.has(t.text)) return 'field'
  return 'unknown'
}

// ------------------------------------------------------------ segments

export interface Mark {
  from: number
  to: number
  /** A class added to the characters in [from, to). */
  cls: string
}

export interface Segment {
  text: string
  cls: string[]
}

/**
 * Cuts highlighted tokens into the spans the overlay draws, adding the
 * classes of marks (an error's squiggle) where they apply. Empty marks are
 * skipped: a problem at the very end is drawn by the caller.
 */
export function segments(tokens: HighlightToken[], marks: Mark[] = []): Segment[] {
  const live = marks.filter((m) => m.to > m.from)
  // tokens end where they end; only the marks cut inside them
  const cuts = [...new Set(live.flatMap((m) => [m.from, m.to]))].sort((a, b) => a - b)
  const out: Segment[] = []
  for (const t of tokens) {
    const inner = cuts.filter((c) => c > t.from && c < t.to)
    let at = t.from
    for (const end of [...inner, t.to]) {
      const cls = t.kind === 'plain' ? [] : [`tok-${t.kind}`]
      for (const m of live) if (m.from < end && m.to > at) cls.push(m.cls)
      out.push({ text: t.text.slice(at - t.from, end - t.from), cls })
      at = end
    }
  }
  return out
}
