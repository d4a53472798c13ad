import { describe, expect, it } from 'vitest'
import { highlight, lex, segments, type HighlightVocabulary } from './tokens'

const vocab: HighlightVocabulary = {
  names: new Set(['amount', 'stage', 'account_id', 'account_id.tier', 'prior.amount', '$user.role', '$today']),
  functions: new Set(['add_days', 'is_changed', 'probability', 'round']),
  keywords: new Set(['and', 'or', 'not', 'in', 'contains', 'startsWith', 'endsWith', 'matches', 'true', 'false', 'nil', 'let']),
}

function kinds(src: string): [string, string][] {
  return highlight(src, vocab)
    .filter((t) => t.kind !== 'plain')
    .map((t) => [t.kind, t.text])
}

describe('the lexer', () => {
  it('covers the source exactly, whatever it holds', () => {
    for (const src of ['', 'amount * 2', 'a @ b "unclosed', '金额 > 5 😀', '/* open comment', "x ?? 'y' ?. z", '1..5', '#.amount']) {
      const tokens = lex(src)
      expect(tokens.map((t) => t.text).join('')).toBe(src)
      tokens.forEach((t, i) => {
        expect(t.text).toBe(src.slice(t.from, t.to))
        if (i > 0) expect(t.from).toBe(tokens[i - 1].to)
      })
    }
  })

  it('reads dotted paths and variables as one token', () => {
    expect(lex('account_id.tier == "A"').map((t) => [t.kind, t.text])).toEqual([
      ['ident', 'account_id.tier'],
      ['space', ' '],
      ['operator', '=='],
      ['space', ' '],
      ['string', '"A"'],
    ])
    expect(lex('$user.role')[0]).toMatchObject({ kind: 'variable', text: '$user.role' })
    expect(lex('account_id.')[1]).toMatchObject({ kind: 'punct', text: '.' })
  })

  it('tells numbers from the range operator and member access', () => {
    expect(lex('1..5').map((t) => t.text)).toEqual(['1', '..', '5'])
    expect(lex('3.5 + .25 + 1e3 + 1_000 + 0x1F').filter((t) => t.kind === 'number').map((t) => t.text)).toEqual(['3.5', '.25', '1e3', '1_000', '0x1F'])
  })

  it('marks unclosed strings and comments', () => {
    expect(lex('stage == "prop')[4]).toMatchObject({ kind: 'string', closed: false })
    expect(lex('"a\\"b"')[0]).toMatchObject({ kind: 'string', closed: true, text: '"a\\"b"' })
    expect(lex('/* x */')[0]).toMatchObject({ kind: 'comment', closed: true })
    expect(lex('a // note')[2]).toMatchObject({ kind: 'comment', text: '// note' })
  })
})

describe('highlighting', () => {
  it('colours names, functions, keywords, literals and operators', () => {
    expect(kinds('amount * probability(stage) / 100')).toEqual([
      ['field', 'amount'],
      ['operator', '*'],
      ['function', 'probability'],
      ['punct', '('],
      ['field', 'stage'],
      ['punct', ')'],
      ['operator', '/'],
      ['number', '100'],
    ])
    expect(kinds('account_id.tier in ["A", "B"] and not is_key')).toEqual([
      ['field', 'account_id.tier'],
      ['keyword', 'in'],
      ['punct', '['],
      ['string', '"A"'],
      ['punct', ','],
      ['string', '"B"'],
      ['punct', ']'],
      ['keyword', 'and'],
      ['keyword', 'not'],
      ['unknown', 'is_key'],
    ])
  })

  it('knows variables, constants and unknown functions', () => {
    expect(kinds('add_days($today, 30) != nil')).toEqual([
      ['function', 'add_days'],
      ['punct', '('],
      ['variable', '$today'],
      ['punct', ','],
      ['number', '30'],
      ['punct', ')'],
      ['operator', '!='],
      ['constant', 'nil'],
    ])
    expect(kinds('$nope + rnd(1)')).toEqual([
      ['unknown', '$nope'],
      ['operator', '+'],
      ['unknown', 'rnd'],
      ['punct', '('],
      ['number', '1'],
      ['punct', ')'],
    ])
  })

  it('keeps Chinese text inside strings', () => {
    const tokens = highlight('label(stage) == "赢单"', vocab)
    expect(tokens[tokens.length - 1]).toMatchObject({ kind: 'string', text: '"赢单"', from: 16, to: 20 })
  })
})

describe('segments', () => {
  it('split tokens where marks start and end, and add their class', () => {
    const src = 'amout > 5'
    const out = segments(highlight(src, vocab), [{ from: 0, to: 5, cls: 'is-error' }])
    expect(out.map((s) => s.text).join('')).toBe(src)
    expect(out[0]).toEqual({ text: 'amout', cls: ['tok-unknown', 'is-error'] })
  })

  it('cut a token a mark covers in part', () => {
    const out = segments(highlight('amount', vocab), [{ from: 2, to: 4, cls: 'x' }])
    expect(out).toEqual([
      { text: 'am', cls: ['tok-field'] },
      { text: 'ou', cls: ['tok-field', 'x'] },
      { text: 'nt', cls: ['tok-field'] },
    ])
  })

  it('ignore empty marks', () => {
    expect(segments(highlight('a', vocab), [{ from: 1, to: 1, cls: 'x' }])).toEqual([{ text: 'a', cls: ['tok-unknown'] }])
  })
})
