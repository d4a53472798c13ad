// The filter editor: expressions the builder can show open as rows; the
// others open as text with a notice; builder edits write the expression.
import { describe, expect, it } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import type { FieldMeta } from '@/api/types'
import type { FilterableField } from '@/filter/fields'
import { ApiError } from '@/api/client'
import { mountApp } from '@/test/mountApp'
import FilterPanel from './FilterPanel.vue'
import FilterConditionRow from './FilterConditionRow.vue'

const amount: FieldMeta = { api_name: 'amount', type: 'currency', labels: { en: 'Amount' } }
const stage: FieldMeta = {
  api_name: 'stage',
  type: 'picklist',
  labels: { en: 'Stage' },
  options: [
    { api_name: 'proposal', labels: { en: 'Proposal' } },
    { api_name: 'negotiation', labels: { en: 'Negotiation' } },
  ],
}
const fields: FilterableField[] = [
  { key: 'amount', field: amount },
  { key: 'stage', field: stage },
]

describe('FilterPanel', () => {
  it('shows a supported expression as builder rows and writes it back unchanged', async () => {
    const src = 'amount > 100000 && stage in ["proposal", "negotiation"]'
    const w = mountApp(FilterPanel, { props: { modelValue: src, fields, title: 'Filter' } })
    await flushPromises()
    expect(w.findAllComponents(FilterConditionRow)).toHaveLength(2)
    expect(w.find('[data-testid=filter-preview]').text()).toBe(src)
    await w.find('form').trigger('submit')
    expect(w.emitted('apply')?.[0]).toEqual([src])
  })

  it('opens an expression the builder cannot show in the advanced box, with a notice', async () => {
    const src = '(amount > 1 || amount < 0) && stage == "proposal"'
    const w = mountApp(FilterPanel, { props: { modelValue: src, fields, title: 'Filter' } })
    await flushPromises()
    expect(w.findAllComponents(FilterConditionRow)).toHaveLength(0)
    expect((w.find('textarea').element as HTMLTextAreaElement).value).toBe(src)
    expect(w.text()).toContain('grouping the builder cannot show')
  })

  it('edits in the builder change the expression', async () => {
    const w = mountApp(FilterPanel, { props: { modelValue: 'amount > 5', fields, title: 'Filter' } })
    await flushPromises()
    const row = w.findComponent(FilterConditionRow)
    row.vm.$emit('change', { field: 'amount', op: 'le', value: { type: 'number', value: '7.50' } })
    await flushPromises()
    expect(w.find('[data-testid=filter-preview]').text()).toBe('amount <= 7.50')
  })

  it("shows the server's filter error with its position", async () => {
    const error = new ApiError({
      status: 400,
      code: 'invalid_filter',
      detail: 'unknown field nope',
      errors: [{ field: 'filter', code: 'invalid_filter', message: 'unknown field nope', position: 14 }],
    })
    const w = mountApp(FilterPanel, { props: { modelValue: 'amount > 5 && nope == 1', fields, title: 'Filter', error } })
    await flushPromises()
    const box = w.find('[data-testid=filter-error]')
    expect(box.text()).toContain('unknown field nope')
    expect(box.text()).toContain('character 15')
    expect(box.find('pre').text()).toBe('amount > 5 && ▌nope == 1')
  })
})
