import { describe, expect, it } from 'vitest'
import type { FieldMeta } from '@/api/types'
import {
  blankDraft,
  canBeIndexed,
  canBeUnique,
  checkDraft,
  conversionTargets,
  draftFromField,
  optionDraft,
  patternProblem,
  renderPattern,
  toFieldInput,
  toFieldPatch,
} from '../fieldDraft'

const picklist: FieldMeta = {
  api_name: 'priority',
  type: 'picklist',
  labels: { en: 'Priority', 'zh-CN': '优先级' },
  required: false,
  unique: false,
  indexed: false,
  active: true,
  options: [
    { api_name: 'low', labels: { en: 'Low' }, color: '#16a34a', order: 2, active: true },
    { api_name: 'high', labels: { en: 'High' }, color: '#dc2626', order: 1, active: true },
  ],
}

describe('flags the server refuses', () => {
  it('disables unique on long text, booleans, multi-picklists and lookups', () => {
    expect(['long_text', 'boolean', 'multi_picklist', 'lookup'].filter((t) => canBeUnique(t as never))).toHaveLength(4 - 4)
    expect(canBeUnique('text')).toBe(true)
    expect(canBeUnique('picklist')).toBe(true)
  })

  it('disables indexed on long text only', () => {
    expect(canBeIndexed('long_text')).toBe(false)
    expect(canBeIndexed('date')).toBe(true)
  })
})

describe('conversionTargets', () => {
  it('mirrors the conversions the server allows', () => {
    expect(conversionTargets('text')).toEqual(
      expect.arrayContaining(['long_text', 'integer', 'number', 'currency', 'date', 'datetime', 'picklist', 'multi_picklist']),
    )
    expect(conversionTargets('text')).not.toContain('boolean')
    expect(conversionTargets('date')).toEqual(['text', 'long_text', 'date', 'datetime', 'email', 'phone', 'url', 'picklist'])
    expect(conversionTargets('boolean')).toEqual(['boolean'])
    expect(conversionTargets('lookup')).toEqual([])
    expect(conversionTargets('auto_number')).not.toContain('picklist')
    expect(conversionTargets('auto_number')).toContain('text')
  })
})

describe('toFieldInput', () => {
  it('sends only the settings of the chosen type', () => {
    const d = blankDraft('currency')
    d.api_name = 'budget'
    d.labels = { en: 'Budget', 'zh-CN': '预算' }
    d.max_length = 10 // left over from another type
    d.currencyMode = 'code'
    d.currency_code = 'cny'
    d.precision = 16
    d.scale = 2
    d.required = true
    expect(toFieldInput(d)).toEqual({
      api_name: 'budget',
      type: 'currency',
      labels: { en: 'Budget', 'zh-CN': '预算' },
      currency_code: 'CNY',
      precision: 16,
      scale: 2,
      required: true,
    })
  })

  it('drops flags the type cannot have', () => {
    const d = blankDraft('long_text')
    d.api_name = 'notes'
    d.labels.en = 'Notes'
    d.unique = true
    d.indexed = true
    const out = toFieldInput(d)
    expect(out.unique).toBeUndefined()
    expect(out.indexed).toBeUndefined()
  })

  it('numbers options in their shown order, with stage settings only on pipelines', () => {
    const d = draftFromField(picklist)
    expect(d.options.map((o) => o.api_name)).toEqual(['high', 'low'])
    const out = toFieldInput(d)
    expect(out.options).toEqual([
      { api_name: 'high', labels: { en: 'High' }, color: '#dc2626', order: 1, active: true },
      { api_name: 'low', labels: { en: 'Low' }, color: '#16a34a', order: 2, active: true },
    ])
    d.pipeline = true
    d.options[0].probability = 10
    d.options[0].forecast_category = 'pipeline'
    const stages = toFieldInput(d)
    expect(stages.options?.[0]).toMatchObject({ probability: 10, forecast_category: 'pipeline' })
    expect(stages.pipeline).toEqual({ labels: {} })
  })
})

describe('toFieldPatch', () => {
  it('is empty when nothing changed', () => {
    expect(toFieldPatch(picklist, draftFromField(picklist))).toEqual({})
  })

  it('sends changed labels with cleared languages as empty strings', () => {
    const d = draftFromField(picklist)
    d.labels['zh-CN'] = ''
    expect(toFieldPatch(picklist, d)).toEqual({ labels: { en: 'Priority', 'zh-CN': '' } })
  })

  it('sends the whole option list with active flags when options change', () => {
    const d = draftFromField(picklist)
    d.options[1].active = false
    const patch = toFieldPatch(picklist, d)
    expect(patch.options).toEqual([
      { api_name: 'high', labels: { en: 'High' }, color: '#dc2626', order: 1, active: true },
      { api_name: 'low', labels: { en: 'Low' }, color: '#16a34a', order: 2, active: false },
    ])
  })

  it('turns cleared flags into false and cleared settings into null', () => {
    const text: FieldMeta = { api_name: 'code', type: 'text', labels: { en: 'Code' }, unique: true, max_length: 20, help_text: { en: 'x' }, active: true }
    const d = draftFromField(text)
    d.unique = false
    d.help_text.en = ''
    expect(toFieldPatch(text, d)).toEqual({ unique: false, help_text: null })
  })

  it('carries a type change and drops the old type settings', () => {
    const text: FieldMeta = { api_name: 'size', type: 'text', labels: { en: 'Size' }, max_length: 255, active: true }
    const d = draftFromField(text)
    d.type = 'integer'
    expect(toFieldPatch(text, d)).toEqual({ type: 'integer', max_length: null })
  })

  it('sends active when the field is deactivated', () => {
    const d = draftFromField(picklist)
    d.active = false
    expect(toFieldPatch(picklist, d)).toEqual({ active: false })
  })
})

describe('checkDraft', () => {
  it('finds what the server would refuse, by path', () => {
    const d = blankDraft('picklist')
    d.api_name = 'Priority'
    d.options = [optionDraft({ api_name: '1st', color: 'red' }, false), optionDraft({ api_name: 'a' }, false), optionDraft({ api_name: 'a' }, false)]
    const problems = checkDraft(d, { taken: [], isNew: true })
    expect(problems.map((p) => `${p.field}:${p.key}`)).toEqual([
      'api_name:apiName.start',
      'labels:labelRequired',
      'options[0].api_name:optionName',
      'options[0].color:color',
      'options[2].api_name:optionTwice',
    ])
  })

  it('asks stages for a probability and a forecast category', () => {
    const d = blankDraft('picklist')
    d.api_name = 'phase'
    d.labels.en = 'Phase'
    d.pipeline = true
    d.options = [optionDraft({ api_name: 'won', probability: 120 }, false)]
    expect(checkDraft(d, { taken: [], isNew: true }).map((p) => `${p.field}:${p.key}`)).toEqual([
      'options[0].probability:probabilityRange',
      'options[0].forecast_category:forecastRequired',
    ])
  })

  it('refuses a required lookup that clears itself on delete, and taken names', () => {
    const d = blankDraft('lookup')
    d.api_name = 'account_id'
    d.labels.en = 'Account'
    d.required = true
    d.target = 'account'
    expect(checkDraft(d, { taken: ['account_id'], isNew: true }).map((p) => `${p.field}:${p.key}`)).toEqual([
      'api_name:apiName.taken',
      'on_delete:requiredSetNull',
    ])
  })

  it('checks decimal shapes and ranges', () => {
    const d = blankDraft('number')
    d.api_name = 'score'
    d.labels.en = 'Score'
    d.precision = 30
    d.min = '10'
    d.max = '2'
    expect(checkDraft(d, { taken: [], isNew: false }).map((p) => `${p.field}:${p.key}`)).toEqual(['max:minAboveMax', 'precision:precision'])
  })
})

describe('auto-number patterns', () => {
  it('validates like the server', () => {
    expect(patternProblem('QT-{YYYY}-{00000}')).toBeNull()
    expect(patternProblem('QT-{YYYY}')?.key).toBe('patternCounter')
    expect(patternProblem('{000}-{00}')?.key).toBe('patternCounter')
    expect(patternProblem('QT-{XYZ}-{000}')).toEqual({ field: 'pattern', key: 'patternToken', params: { token: '{XYZ}' } })
    expect(patternProblem('QT-{000}}')?.key).toBe('patternBrace')
  })

  it('renders a live preview', () => {
    const d = new Date(2025, 2, 7)
    expect(renderPattern('QT-{YYYY}-{00000}', d)).toBe('QT-2025-00001')
    expect(renderPattern('{YY}{MM}{DD}-{000}', d, 42)).toBe('250307-042')
  })
})

describe('formula fields', () => {
  const weighted: FieldMeta = {
    api_name: 'weighted',
    type: 'currency',
    labels: { en: 'Weighted amount' },
    active: true,
    formula: 'amount * probability(stage) / 100',
  }

  it('read the formula, its storage and the default formula', () => {
    const d = draftFromField({ ...weighted, formula_stored: true })
    expect(d).toMatchObject({ formulaOn: true, formula: 'amount * probability(stage) / 100', formula_stored: true, default_formula: '' })
    expect(draftFromField({ ...picklist, default_formula: 'if(amount > 0, "high", "low")' })).toMatchObject({ formulaOn: false, default_formula: 'if(amount > 0, "high", "low")' })
  })

  it('send a formula without the rules a computed field cannot have', () => {
    const d = { ...blankDraft('currency'), api_name: 'weighted', labels: { en: 'Weighted', 'zh-CN': '' } }
    Object.assign(d, { formulaOn: true, formula: ' amount * 0.5 ', required: true, unique: true, default: '5.00', default_formula: '1', track_history: true, indexed: true })
    expect(toFieldInput(d)).toEqual({ api_name: 'weighted', type: 'currency', labels: { en: 'Weighted' }, formula: 'amount * 0.5' })
    d.formula_stored = true
    expect(toFieldInput(d)).toMatchObject({ formula: 'amount * 0.5', formula_stored: true, indexed: true })
  })

  it('send a default formula on ordinary fields only', () => {
    const d = { ...blankDraft('date'), api_name: 'follow_up', labels: { en: 'Follow up', 'zh-CN': '' }, default_formula: 'add_days($today, 30)' }
    expect(toFieldInput(d).default_formula).toBe('add_days($today, 30)')
    expect(toFieldInput({ ...d, type: 'lookup', target: 'account' }).default_formula).toBeUndefined()
  })

  it('patch the formula off with null and the storage off with false', () => {
    const d = draftFromField({ ...weighted, formula_stored: true })
    d.formulaOn = false
    expect(toFieldPatch({ ...weighted, formula_stored: true }, d)).toEqual({ formula: null, formula_stored: false })
    const e = draftFromField(weighted)
    e.formula = 'amount / 2'
    expect(toFieldPatch(weighted, e)).toEqual({ formula: 'amount / 2' })
  })

  it('turning a formula on clears the rules of an existing field', () => {
    const amount: FieldMeta = { api_name: 'net', type: 'number', labels: { en: 'Net' }, required: true, default: '0' }
    const d = draftFromField(amount)
    Object.assign(d, { formulaOn: true, formula: 'amount - discount' })
    expect(toFieldPatch(amount, d)).toEqual({ formula: 'amount - discount', required: false, default: null })
  })

  it('ask for the formula when it is on, and only on types that can be formulas', () => {
    const d = { ...blankDraft('number'), api_name: 'x', labels: { en: 'X', 'zh-CN': '' }, formulaOn: true }
    expect(checkDraft(d, { taken: [], isNew: true })).toEqual([{ field: 'formula', key: 'formulaRequired' }])
    expect(checkDraft({ ...d, type: 'long_text' }, { taken: [], isNew: true })).toEqual([])
  })
})
