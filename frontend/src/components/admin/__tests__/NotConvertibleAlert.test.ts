// A refused type change names the records that block it, each a link.
import { describe, expect, it } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { ApiError } from '@/api/client'
import { mountApp } from '@/test/mountApp'
import NotConvertibleAlert from '../NotConvertibleAlert.vue'

describe('NotConvertibleAlert', () => {
  it('lists the blocking records as links to them', async () => {
    const error = new ApiError({
      status: 409,
      code: 'not_convertible',
      detail: '2 record(s) have values that do not fit the new definition (first: "abc" is not a whole number)',
      errors: [
        {
          field: 'code',
          code: 'not_convertible',
          message: '2 record(s) have values that do not fit the new definition (first: "abc" is not a whole number)',
          rows: ['0190a0b0-0000-7000-8000-000000000001', '0190a0b0-0000-7000-8000-000000000002'],
        },
      ],
    })
    const w = mountApp(NotConvertibleAlert, { props: { error, object: 'project' } })
    await flushPromises()
    const links = w.findAll('[data-testid=blocking-row]')
    expect(links).toHaveLength(2)
    expect(links[0].attributes('href')).toBe('/o/project/0190a0b0-0000-7000-8000-000000000001')
    expect(w.text()).toContain('2 records have values that cannot be converted')
  })
})
