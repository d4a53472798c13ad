// Field widgets: decimals stay strings, integers become numbers, date-times
// convert between the user's zone and UTC, lookups show the target's name.
import { describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import type { FieldMeta } from '@/api/types'
import { mountApp } from '@/test/mountApp'
import { useSessionStore } from '@/stores/session'
import DecimalInput from './DecimalInput.vue'
import CurrencyInput from './CurrencyInput.vue'
import IntegerInput from './IntegerInput.vue'
import DateTimeInput from './DateTimeInput.vue'
import LookupInput from './LookupInput.vue'

const amount: FieldMeta = { api_name: 'amount', type: 'currency', labels: { en: 'Amount' }, precision: 18, scale: 2, currency_field: 'currency' }
const probability: FieldMeta = { api_name: 'probability', type: 'percent', labels: { en: 'Probability' }, scale: 4 }
const seats: FieldMeta = { api_name: 'seats', type: 'integer', labels: { en: 'Seats' } }
const dueAt: FieldMeta = { api_name: 'due_at', type: 'datetime', labels: { en: 'Due' } }

function lastEmit(wrapper: { emitted: (e: string) => unknown[][] | undefined }): unknown {
  const all = wrapper.emitted('update:modelValue') ?? []
  return all.at(-1)?.[0]
}

describe('DecimalInput', () => {
  it('emits what was typed as a canonical decimal string, never a number', async () => {
    const w = mountApp(DecimalInput, { props: { field: probability, modelValue: null } })
    await w.find('input').setValue('1,234.50')
    expect(lastEmit(w)).toBe('1234.50')
    expect(typeof lastEmit(w)).toBe('string')
    await w.find('input').setValue('12345678901234567.89')
    expect(lastEmit(w)).toBe('12345678901234567.89')
  })

  it('clears to null and passes invalid text on for the server to explain', async () => {
    const w = mountApp(DecimalInput, { props: { field: probability, modelValue: '10.0000' } })
    expect((w.find('input').element as HTMLInputElement).value).toBe('10.0000')
    await w.find('input').setValue('')
    expect(lastEmit(w)).toBeNull()
    await w.find('input').setValue('12abc')
    expect(lastEmit(w)).toBe('12abc')
  })

  it('shows the percent sign for percent fields', () => {
    const w = mountApp(DecimalInput, { props: { field: probability, modelValue: null } })
    expect(w.text()).toContain('%')
  })
})

describe('CurrencyInput', () => {
  it("shows the record's currency code and keeps the amount a string", async () => {
    const w = mountApp(CurrencyInput, { props: { field: amount, modelValue: '100.00', record: { currency: 'USD' } } })
    expect(w.text()).toContain('USD')
    await w.find('input').setValue('2500.5')
    expect(lastEmit(w)).toBe('2500.5')
  })

  it('uses the fixed currency code of the field', () => {
    const fixed = { ...amount, currency_field: undefined, currency_code: 'EUR' }
    const w = mountApp(CurrencyInput, { props: { field: fixed, modelValue: null, record: {} } })
    expect(w.text()).toContain('EUR')
  })
})

describe('IntegerInput', () => {
  it('emits whole numbers as numbers', async () => {
    const w = mountApp(IntegerInput, { props: { field: seats, modelValue: null } })
    await w.find('input').setValue('1,200')
    expect(lastEmit(w)).toBe(1200)
    await w.find('input').setValue('1.5')
    expect(lastEmit(w)).toBe('1.5')
  })
})

describe('DateTimeInput', () => {
  it("shows UTC values in the user's zone and emits UTC", async () => {
    const w = mountApp(DateTimeInput, { props: { field: dueAt, modelValue: '2025-03-01T02:30:00Z', timeZone: 'Asia/Shanghai' } })
    const picker = w.findComponent({ name: 'ElDatePicker' })
    expect(picker.props('modelValue')).toBe('2025-03-01 10:30:00')
    picker.vm.$emit('update:modelValue', '2025-03-02 09:00:00')
    expect(lastEmit(w)).toBe('2025-03-02T01:00:00Z')
    picker.vm.$emit('update:modelValue', null)
    expect(lastEmit(w)).toBeNull()
  })

  it("falls back to the session's time zone", async () => {
    const w = mountApp(DateTimeInput, { props: { field: dueAt, modelValue: '2025-07-04T13:00:00Z' } })
    const session = useSessionStore()
    session.user = { id: 'u1', email: 'a@b.c', name: 'A', role: 'member', time_zone: 'America/New_York' }
    await flushPromises()
    expect(w.findComponent({ name: 'ElDatePicker' }).props('modelValue')).toBe('2025-07-04 09:00:00')
  })
})

describe('LookupInput', () => {
  it("shows the expanded target's name without a request", async () => {
    const fetchSpy = vi.fn()
    vi.stubGlobal('fetch', fetchSpy)
    const lookup: FieldMeta = { api_name: 'account_id', type: 'lookup', labels: { en: 'Account' }, target: 'account' }
    const w = mountApp(LookupInput, {
      props: {
        field: lookup,
        modelValue: 'acc-1',
        record: { account_id: 'acc-1', expand: { account_id: { id: 'acc-1', version: 1, name: 'Blue Harbor Group' } } },
      },
    })
    await flushPromises()
    const select = w.findComponent({ name: 'ElSelect' })
    const options = select.findAllComponents({ name: 'ElOption' })
    expect(options.map((o) => o.props('label'))).toContain('Blue Harbor Group')
    expect(fetchSpy).not.toHaveBeenCalled()
    vi.unstubAllGlobals()
  })
})
