// Field displays: lookups as links named after their target, picklists as
// coloured tags, money with its currency code.
import { describe, expect, it } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import type { FieldMeta, RecordData } from '@/api/types'
import { mountApp } from '@/test/mountApp'
import { useMetadataStore } from '@/stores/metadata'
import FieldValue from '../FieldValue.vue'

const account: FieldMeta = { api_name: 'account_id', type: 'lookup', labels: { en: 'Account', 'zh-CN': '客户' }, target: 'account' }
const stage: FieldMeta = {
  api_name: 'stage',
  type: 'picklist',
  labels: { en: 'Stage' },
  options: [{ api_name: 'proposal', labels: { en: 'Proposal', 'zh-CN': '方案报价' }, color: '#B37FEB' }],
}
const amount: FieldMeta = { api_name: 'amount', type: 'currency', labels: { en: 'Amount' }, scale: 2, currency_field: 'currency' }

const record: RecordData = {
  id: 'opp-1',
  version: 2,
  account_id: 'acc-1',
  currency: 'USD',
  amount: '1234567.5',
  stage: 'proposal',
  expand: { account_id: { id: 'acc-1', version: 1, name: 'Blue Harbor Group' } },
}

describe('FieldValue', () => {
  it("shows a lookup as a link to the target, named after the target's name field", async () => {
    const w = mountApp(FieldValue, { props: { field: account, value: 'acc-1', record } })
    useMetadataStore().objects = [{ api_name: 'account', labels: { en: 'Account' }, name_field: 'name', fields: [] }]
    await flushPromises()
    const link = w.find('a')
    expect(link.text()).toBe('Blue Harbor Group')
    expect(link.attributes('href')).toBe('/o/account/acc-1')
  })

  it('shows a picklist option label with its colour', () => {
    const w = mountApp(FieldValue, { props: { field: stage, value: 'proposal', record } })
    const tag = w.find('.fv-tag')
    expect(tag.text()).toBe('Proposal')
    expect(tag.attributes('style')).toContain('#B37FEB')
  })

  it('shows money with the code from the record and exact digits', () => {
    const w = mountApp(FieldValue, { props: { field: amount, value: '1234567.5', record } })
    expect(w.text()).toBe('USD 1,234,567.50')
  })

  it('shows a dash for empty values', () => {
    const w = mountApp(FieldValue, { props: { field: amount, value: null, record } })
    expect(w.text()).toBe('—')
  })
})
