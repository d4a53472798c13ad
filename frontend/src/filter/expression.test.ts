import { describe, expect, it } from 'vitest'
import { andAll, parseFilter, quote, writeFilter } from './expression'
import type { FilterModel } from './model'

// Expressions the builder can show, written in its canonical form: parsing
// them and writing the model back must give the same text.
const ROUND_TRIP = [
  'amount > 100000',
  'amount > 100000 && stage in ["proposal", "negotiation"]',
  'name contains "科技"',
  'close_date >= date("2025-01-01")',
  'close_date < today()',
  'due_at >= datetime("2025-03-01T02:30:00Z")',
  'account_id.tier == "a"',
  'owner_id == "01a20fff-d39a-747d-b9d4-c3ff7bbca549"',
  'next_step == nil',
  'next_step != nil',
  '!done',
  'is_decision_maker',
  'done == true',
  'stage not in ["closed_won", "closed_lost"]',
  '!(name contains "test")',
  'name startsWith "A" || email endsWith "@example.com"',
  'probability >= 12.5000 && amount <= -3.25',
  'name == "say \\"hi\\" \\\\ bye"',
  'tags contains "erp"',
]

describe('filter expressions: builder round trip', () => {
  it.each(ROUND_TRIP)('parse -> build -> write keeps %s', (src) => {
    const parsed = parseFilter(src)
    expect(parsed.ok).toBe(true)
    if (!parsed.ok) return
    expect(writeFilter(parsed.model)).toBe(src)
    // and the written text reads back to the same model
    const again = parseFilter(writeFilter(parsed.model))
    expect(again).toEqual(parsed)
  })

  it('reads conjunctions and operators into the model', () => {
    const parsed = parseFilter('amount > 100000 && stage in ["proposal","negotiation"] && !done')
    expect(parsed).toEqual({
      ok: true,
      model: {
        conjunction: 'and',
        conditions: [
          { field: 'amount', op: 'gt', value: { type: 'number', value: '100000' } },
          {
            field: 'stage',
            op: 'in',
            value: [
              { type: 'string', value: 'proposal' },
              { type: 'string', value: 'negotiation' },
            ],
          },
          { field: 'done', op: 'is_false', value: null },
        ],
      },
    })
  })

  it('keeps decimal literals as written (no float rounding)', () => {
    const parsed = parseFilter('amount == 12345678901234567.89')
    expect(parsed.ok && parsed.model.conditions[0].value).toEqual({ type: 'number', value: '12345678901234567.89' })
  })

  it('normalises spacing and word operators to the canonical form', () => {
    const parsed = parseFilter('  amount>5   and not done ')
    expect(parsed.ok && writeFilter(parsed.model)).toBe('amount > 5 && !done')
  })

  it('an empty expression is an empty model', () => {
    expect(parseFilter('   ')).toEqual({ ok: true, model: { conjunction: 'and', conditions: [] } })
  })
})

describe('filter expressions: what the builder cannot show', () => {
  it.each([
    ['(a > 1 || b > 2) && c > 3', 'grouping'],
    ['a > 1 && b > 2 || c > 3', 'grouping'],
    ['amount > 1 + 2', 'syntax'],
    ['name matches "^A"', 'shape'],
    ['len(name) > 3', 'shape'],
    ['1 < amount', 'shape'],
    ['stage in other_field', 'shape'],
    ['name == ', 'syntax'],
    ['name == "unterminated', 'syntax'],
    ['!(a > 1)', 'shape'],
  ])('%s is unsupported (%s)', (src, reason) => {
    const parsed = parseFilter(src)
    expect(parsed.ok).toBe(false)
    if (!parsed.ok) expect(parsed.reason).toBe(reason)
  })

  it('reports the position of a syntax error', () => {
    const parsed = parseFilter('amount > 5 && $')
    expect(parsed).toMatchObject({ ok: false, reason: 'syntax', position: 14 })
  })
})

describe('writing conditions', () => {
  it('skips incomplete conditions', () => {
    const model: FilterModel = {
      conjunction: 'and',
      conditions: [
        { field: 'amount', op: 'gt', value: { type: 'number', value: '' } },
        { field: 'stage', op: 'in', value: [] },
        { field: 'name', op: 'contains', value: { type: 'string', value: 'x' } },
      ],
    }
    expect(writeFilter(model)).toBe('name contains "x"')
  })

  it('quotes strings JSON-style, escaping quotes and backslashes', () => {
    expect(quote('a "b" \\ c')).toBe('"a \\"b\\" \\\\ c"')
    const model: FilterModel = { conjunction: 'or', conditions: [{ field: 'name', op: 'eq', value: { type: 'string', value: 'x"y' } }] }
    expect(writeFilter(model)).toBe('name == "x\\"y"')
  })

  it('joins expressions with &&, parenthesising alternatives', () => {
    expect(andAll('a > 1 || b > 2', 'stage == "x"')).toBe('(a > 1 || b > 2) && stage == "x"')
    expect(andAll('', 'stage == "x"')).toBe('stage == "x"')
    expect(andAll('a > 1 && b > 2', 'c')).toBe('a > 1 && b > 2 && c')
  })
})
