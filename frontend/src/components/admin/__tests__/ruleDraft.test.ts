import { describe, expect, it } from 'vitest'
import type { ValidationRule } from '@/api/types'
import { blankRule, checkRule, ruleDraftFrom, ruleErrors, toValidationRule } from '../ruleDraft'

const rule: ValidationRule = {
  api_name: 'discount_limit',
  labels: { en: 'Discount limit', 'zh-CN': '折扣上限' },
  description: '',
  condition: 'discount > 20 && !is_key',
  message: { en: 'Discounts above 20% need a key account', 'zh-CN': '折扣超过 20% 需要重点客户' },
  field: 'discount',
  active: true,
}

describe('validation rule drafts', () => {
  it('round-trip a rule', () => {
    const { description: _d, ...withoutDescription } = rule
    void _d
    expect(toValidationRule(ruleDraftFrom(rule))).toEqual(withoutDescription)
  })

  it('drop empty languages, an empty description and no attached field', () => {
    const d = { ...blankRule(), api_name: ' close_future ', condition: ' close_date < $today ' }
    d.labels.en = 'Close date in the future'
    d.message['zh-CN'] = '结束日期不能早于今天'
    expect(toValidationRule(d)).toEqual({
      api_name: 'close_future',
      labels: { en: 'Close date in the future' },
      condition: 'close_date < $today',
      message: { 'zh-CN': '结束日期不能早于今天' },
      active: true,
    })
  })

  it('find what the server would refuse', () => {
    const keys = checkRule(blankRule(), { taken: [], isNew: true }).map((p) => `${p.field}:${p.key}`)
    expect(keys).toEqual(['api_name:apiName.empty', 'labels:check.labelRequired', 'condition:validationRules.conditionRequired', 'message:validationRules.messageRequired'])
    expect(checkRule(ruleDraftFrom(rule), { taken: ['discount_limit'], isNew: true })).toEqual([{ field: 'api_name', key: 'apiName.taken', params: undefined }])
    expect(checkRule(ruleDraftFrom(rule), { taken: ['discount_limit'], isNew: false })).toEqual([])
  })
})

describe('server errors on the rule dialog', () => {
  it('go to their inputs; the condition keeps its position and suggestion', () => {
    const out = ruleErrors([
      { field: 'condition', code: 'invalid_expression', message: 'unknown field `discont`, did you mean `discount`?', position: 0, end: 7, suggestion: 'discount' },
      { field: 'message.zh-CN', code: 'too_long', message: 'a message is at most 500 characters' },
      { field: 'api_name', code: 'conflict', message: 'taken' },
      { field: 'labels', code: 'required', message: 'a label is required' },
      { field: 'field', code: 'unknown_field', message: 'opportunity has no active field "x"' },
      { field: 'grantee', code: 'x', message: 'something else' },
      { field: '', code: 'x', message: 'general' },
    ])
    expect(out.condition).toEqual({ message: 'unknown field `discont`, did you mean `discount`?', position: 0, end: 7, suggestion: 'discount' })
    expect(out).toMatchObject({ messageZh: 'a message is at most 500 characters', api_name: 'taken', labels: 'a label is required', field: 'opportunity has no active field "x"' })
    expect(out.rest.map((e) => e.message)).toEqual(['something else', 'general'])
  })
})
