import { describe, expect, it } from 'vitest'
import { ruleMessages, splitSaveErrors } from './saveErrors'

describe('errors of a refused save', () => {
  const shown = new Set(['discount', 'amount', 'name'])

  it('go under the field a rule attaches to, and to the form when unattached', () => {
    const out = splitSaveErrors(
      [
        { field: 'discount', code: 'validation_rule', message: '折扣超过 20% 需要重点客户', rule: 'discount_limit' },
        { field: '', code: 'validation_rule', message: 'Close date must be after today', rule: 'close_future' },
      ],
      shown,
    )
    expect(out).toEqual({ byField: { discount: '折扣超过 20% 需要重点客户' }, general: ['Close date must be after today'] })
  })

  it('join several messages on one field and drop repeats', () => {
    const out = splitSaveErrors(
      [
        { field: 'amount', code: 'validation_rule', message: 'A' },
        { field: 'amount', code: 'validation_rule', message: 'B' },
        { field: 'amount', code: 'invalid_value', message: 'A' },
      ],
      shown,
    )
    expect(out.byField).toEqual({ amount: 'A; B' })
  })

  it('send errors on fields the form does not show to the form', () => {
    const out = splitSaveErrors([{ field: 'secret', code: 'validation_rule', message: 'hidden field rule' }], shown)
    expect(out).toEqual({ byField: {}, general: ['hidden field rule'] })
  })

  it('list the messages of validation rules only', () => {
    expect(
      ruleMessages([
        { field: 'a', code: 'validation_rule', message: 'x' },
        { field: 'b', code: 'invalid_value', message: 'y' },
        { field: '', code: 'validation_rule', message: 'x' },
      ]),
    ).toEqual(['x'])
  })
})
