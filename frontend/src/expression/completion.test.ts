import { describe, expect, it } from 'vitest'
import type { ExprVocabulary } from '@/api/types'
import { applyCompletion, callAt, completionContext, completionItems } from './completion'

const vocab: ExprVocabulary = {
  names: [
    { name: 'amount', type: 'number', labels: { en: 'Amount', 'zh-CN': '金额' } },
    { name: 'account_id', type: 'text', labels: { en: 'Account', 'zh-CN': '客户' } },
    { name: 'account_id.tier', type: 'text', labels: { en: 'Account › Tier', 'zh-CN': '客户 › 等级' }, options: ['a', 'b'] },
    { name: 'account_id.name', type: 'text', labels: { en: 'Account › Name' } },
    { name: 'stage', type: 'text', labels: { en: 'Stage', 'zh-CN': '阶段' }, options: ['prospecting', 'proposal', 'closed_won'] },
    { name: 'industries', type: 'list', options: ['finance', 'retail'] },
    { name: 'prior.amount', type: 'number', labels: { en: 'Prior Amount' } },
    { name: '$user.role', type: 'text', labels: { en: 'Role (api name)', 'zh-CN': '角色（API 名称）' } },
    { name: '$user.email', type: 'text' },
    { name: '$today', type: 'date', labels: { en: 'Today' } },
  ],
  functions: [
    { name: 'add_days', category: 'date', signature: 'add_days(date, days) date', doc: { en: 'Adds days.', 'zh-CN': '加天数。' } },
    { name: 'is_changed', category: 'logic', signature: 'is_changed("field") boolean', doc: { en: 'Changed?' } },
    { name: 'round', category: 'number', signature: 'round(number, places) number' },
  ],
  keywords: ['and', 'or', 'not', 'in', 'true', 'false', 'nil'],
}

/** The context at the "|" of a source. */
function ctxAt(marked: string, explicit = false) {
  const cursor = marked.indexOf('|')
  return completionContext(marked.replace('|', ''), cursor, explicit)
}

function labelsAt(marked: string, explicit = false, locale: 'en' | 'zh-CN' = 'en'): string[] {
  return completionItems(ctxAt(marked, explicit), vocab, locale)?.items.map((i) => i.label) ?? []
}

describe('completion context', () => {
  it('is a word at the top level', () => {
    expect(ctxAt('am|')).toEqual({ kind: 'identifier', from: 0, to: 2, prefix: 'am' })
    expect(ctxAt('amount > 5 && st|age')).toEqual({ kind: 'identifier', from: 14, to: 19, prefix: 'st' })
  })

  it('is the names under a lookup, $user or prior after their dot', () => {
    expect(ctxAt('account_id.|')).toEqual({ kind: 'member', base: 'account_id', from: 11, to: 11, prefix: '' })
    expect(ctxAt('account_id.ti|')).toEqual({ kind: 'member', base: 'account_id', from: 11, to: 13, prefix: 'ti' })
    expect(ctxAt('$user.|')).toMatchObject({ kind: 'member', base: '$user' })
    expect(ctxAt('$user.ro|le')).toEqual({ kind: 'member', base: '$user', from: 6, to: 10, prefix: 'ro' })
    expect(ctxAt('amount > prior.|')).toMatchObject({ kind: 'member', base: 'prior', prefix: '' })
  })

  it('is field names inside is_changed("', () => {
    expect(ctxAt('is_changed("|')).toEqual({ kind: 'fieldName', from: 12, to: 12, prefix: '', close: '"' })
    expect(ctxAt('is_changed( "st|")')).toEqual({ kind: 'fieldName', from: 13, to: 15, prefix: 'st', close: '' })
    expect(ctxAt("is_changed('am|")).toMatchObject({ kind: 'fieldName', prefix: 'am' })
  })

  it('is the options of a picklist compared with a string', () => {
    expect(ctxAt('stage == "pr|')).toEqual({ kind: 'option', field: 'stage', from: 10, to: 12, prefix: 'pr', close: '"' })
    expect(ctxAt('account_id.tier != "|"')).toMatchObject({ kind: 'option', field: 'account_id.tier' })
    expect(ctxAt('stage in ["proposal", "|')).toMatchObject({ kind: 'option', field: 'stage', prefix: '' })
    expect(ctxAt('includes(industries, "f|')).toMatchObject({ kind: 'option', field: 'industries', prefix: 'f' })
  })

  it('is nothing in numbers, comments, closed strings and other strings', () => {
    expect(ctxAt('amount > 10|')).toEqual({ kind: 'none' })
    expect(ctxAt('amount // note|')).toEqual({ kind: 'none' })
    expect(ctxAt('concat("ab|')).toEqual({ kind: 'none' })
    expect(ctxAt('"done"|')).toEqual({ kind: 'none' })
    expect(ctxAt('amount + |')).toEqual({ kind: 'none' })
  })

  it('opens on request where nothing is typed yet', () => {
    expect(ctxAt('amount + |', true)).toEqual({ kind: 'identifier', from: 9, to: 9, prefix: '' })
    expect(ctxAt('|', true)).toEqual({ kind: 'identifier', from: 0, to: 0, prefix: '' })
  })

  it('counts string positions in string indices with Chinese text before', () => {
    expect(ctxAt('name == "金额" && stage == "p|')).toMatchObject({ kind: 'option', from: 26, prefix: 'p' })
  })
})

describe('completion items', () => {
  it('offers own names, groups, functions and keywords, prefix matches first', () => {
    const top = labelsAt('a|')
    expect(top.slice(0, 5)).toEqual(['amount', 'account_id', 'account_id.', 'add_days', 'and'])
    expect(labelsAt('|', true)).toContain('prior.')
    expect(labelsAt('|', true)).toContain('$user.')
    expect(labelsAt('|', true)).toContain('$today')
    expect(labelsAt('|', true)).not.toContain('account_id.tier')
  })

  it('matches labels in the UI language', () => {
    expect(labelsAt('金|', false, 'zh-CN')).toEqual(['amount'])
    expect(labelsAt('Today|')).toEqual(['$today'])
  })

  it('offers the fields of the lookup after its dot, with types and labels', () => {
    const c = completionItems(ctxAt('account_id.|'), vocab, 'zh-CN')!
    expect(c.items.map((i) => i.label)).toEqual(['tier', 'name'])
    expect(c.items[0]).toMatchObject({ kind: 'field', insert: 'tier', detail: 'text', info: '客户 › 等级' })
  })

  it('offers user attributes after $user.', () => {
    expect(labelsAt('$user.|')).toEqual(['role', 'email'])
    expect(labelsAt('$user.em|')).toEqual(['email'])
  })

  it('offers field names in is_changed, without paths or variables', () => {
    expect(labelsAt('is_changed("|')).toEqual(['amount', 'account_id', 'stage', 'industries'])
  })

  it('offers options, with their labels when known', () => {
    expect(labelsAt('stage == "p|')).toEqual(['prospecting', 'proposal'])
    expect(labelsAt('amount == "|')).toEqual([])
    const label = (field: string, option: string) => (field === 'account_id.tier' && option === 'a' ? '重点客户' : '')
    const c = completionItems(ctxAt('account_id.tier == "|'), vocab, 'zh-CN', label)!
    expect(c.items[0]).toMatchObject({ label: 'a', info: '重点客户' })
    expect(completionItems(ctxAt('account_id.tier == "重点|'), vocab, 'zh-CN', label)!.items.map((i) => i.label)).toEqual(['a'])
  })

  it('offers system columns after the fields of the object', () => {
    const withSystem = { ...vocab, names: [{ name: 'created_at', type: 'datetime' as const }, ...vocab.names, { name: 'currency', type: 'text' as const }] }
    const labels = completionItems(ctxAt('c|'), withSystem, 'en')!.items.map((i) => i.label)
    expect(labels.indexOf('currency')).toBeLessThan(labels.indexOf('created_at'))
  })

  it('describes functions with signature and doc in the UI language', () => {
    const item = completionItems(ctxAt('add|'), vocab, 'zh-CN')!.items.find((i) => i.kind === 'function')!
    expect(item).toMatchObject({ label: 'add_days', insert: 'add_days()', caret: 9, detail: 'add_days(date, days) date', info: '加天数。' })
  })
})

describe('applying a completion', () => {
  it('replaces the whole word and puts the cursor after it', () => {
    const src = 'amount > 5 && stxx'
    const c = completionItems(completionContext(src, 16), vocab, 'en')!
    const item = c.items.find((i) => i.label === 'stage')!
    expect(applyCompletion(src, c, item)).toEqual({ text: 'amount > 5 && stage', cursor: 19 })
  })

  it('puts the cursor inside the parentheses of a function', () => {
    const c = completionItems(completionContext('ad', 2), vocab, 'en')!
    const fn = c.items.find((i) => i.label === 'add_days')!
    expect(applyCompletion('ad', c, fn)).toEqual({ text: 'add_days()', cursor: 9 })
    // an existing "(" is kept
    const c2 = completionItems(completionContext('ad(x)', 2), vocab, 'en')!
    expect(applyCompletion('ad(x)', c2, fn)).toEqual({ text: 'add_days(x)', cursor: 9 })
  })

  it('completes inside a string and after a dot', () => {
    const src = 'is_changed("st")'
    const c = completionItems(completionContext(src, 14), vocab, 'en')!
    expect(applyCompletion(src, c, c.items[0])).toEqual({ text: 'is_changed("stage")', cursor: 17 })
    // an open string is closed
    const open = 'is_changed("st'
    const c2 = completionItems(completionContext(open, open.length), vocab, 'en')!
    expect(applyCompletion(open, c2, c2.items[0])).toEqual({ text: 'is_changed("stage"', cursor: 18 })
    const group = completionItems(completionContext('acc', 3), vocab, 'en')!.items.find((i) => i.kind === 'group')!
    expect(group).toMatchObject({ label: 'account_id.', reopen: true, info: 'Account' })
  })
})

describe('call at the cursor', () => {
  it('names the innermost call and the argument', () => {
    expect(callAt('add_days(close_date, |', 21)).toEqual({ name: 'add_days', argument: 1 })
    expect(callAt('round(add_days(x, 1), ', 22)).toEqual({ name: 'round', argument: 1 })
    expect(callAt('round(amount * (1 + x', 21)).toEqual({ name: 'round', argument: 0 })
    expect(callAt('if(stage in ["a", "b"', 21)).toEqual({ name: 'if', argument: 0 })
    expect(callAt('round(1) + 2', 12)).toBeNull()
    expect(callAt('concat(",", "(", ', 17)).toEqual({ name: 'concat', argument: 2 })
  })
})
