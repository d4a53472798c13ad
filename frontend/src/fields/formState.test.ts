import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { FieldMeta, FormState, LayoutMeta } from '@/api/types'
import { draftValues, formStateSync, hasConditions, isHiddenNow, isRequiredNow, layoutParam, withoutRefused } from './formState'

describe('form state sync', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('asks once, 300 ms after the last change, with the latest values', async () => {
    const asked: Record<string, unknown>[] = []
    const applied: FormState[] = []
    const sync = formStateSync({
      ask: async (v) => {
        asked.push(v)
        return { hidden: [], required: ['close_date'] }
      },
      apply: (s) => applied.push(s),
    })
    sync.schedule({ amount: '1' })
    await vi.advanceTimersByTimeAsync(200)
    sync.schedule({ amount: '12' })
    await vi.advanceTimersByTimeAsync(200)
    sync.schedule({ amount: '1200' })
    expect(asked).toEqual([])
    await vi.advanceTimersByTimeAsync(300)
    expect(asked).toEqual([{ amount: '1200' }])
    expect(applied).toEqual([{ hidden: [], required: ['close_date'] }])
  })

  it('keeps only the latest answer when an older one arrives late', async () => {
    const resolvers: ((s: FormState) => void)[] = []
    const applied: FormState[] = []
    const sync = formStateSync({
      ask: () => new Promise<FormState>((ok) => resolvers.push(ok)),
      apply: (s) => applied.push(s),
    })
    const first = sync.now({ amount: '500' })
    const second = sync.now({ amount: '6000' })
    resolvers[1]({ hidden: [], required: ['discount'] })
    resolvers[0]({ hidden: ['discount'], required: [] })
    await Promise.all([first, second])
    expect(applied).toEqual([{ hidden: [], required: ['discount'] }])
  })

  it('aborts the older request, says when one fails, and stops when cancelled', async () => {
    const signals: AbortSignal[] = []
    const failed = vi.fn()
    const apply = vi.fn()
    const sync = formStateSync({
      ask: (_v, signal) => {
        signals.push(signal)
        return Promise.reject(new Error('400'))
      },
      apply,
      failed,
    })
    await sync.now({})
    expect(failed).toHaveBeenCalledTimes(1)
    void sync.now({})
    void sync.now({})
    expect(signals[1].aborted).toBe(true)
    sync.schedule({ x: 1 })
    sync.cancel()
    await vi.advanceTimersByTimeAsync(1000)
    expect(signals).toHaveLength(3)
    expect(apply).not.toHaveBeenCalled()
  })
})

describe('form state merge', () => {
  const amount: FieldMeta = { api_name: 'amount', type: 'currency', labels: {} }
  const name: FieldMeta = { api_name: 'name', type: 'text', labels: {}, required: true }
  const layout: LayoutMeta = {
    api_name: 'deal_form',
    labels: {},
    sections: [{ labels: {}, columns: 1, fields: [{ field: 'name' }, { field: 'amount', required_if: 'is_key' }] }],
    related_lists: [],
  }

  it('marks fields required by the field, the layout or a condition, and hides what the server hides', () => {
    const state: FormState = { hidden: ['discount'], required: ['amount'] }
    expect(isRequiredNow({ field: 'amount' }, amount, null)).toBe(false)
    expect(isRequiredNow({ field: 'amount' }, amount, state)).toBe(true)
    expect(isRequiredNow({ field: 'amount', required: true }, amount, null)).toBe(true)
    expect(isRequiredNow({ field: 'name' }, name, { hidden: [], required: [] })).toBe(true)
    expect(isHiddenNow('discount', state)).toBe(true)
    expect(isHiddenNow('discount', null)).toBe(false)
  })

  it('asks only for designed layouts with conditions', () => {
    expect(hasConditions(layout)).toBe(true)
    expect(hasConditions({ ...layout, sections: [{ labels: {}, columns: 1, fields: [{ field: 'name', visible_if: ' ' }] }] })).toBe(false)
    expect(layoutParam(layout)).toBe('deal_form')
    expect(layoutParam({ ...layout, api_name: '__derived' })).toBeUndefined()
    expect(draftValues({ name: 'x', created_at: 'y', amount: null }, (k) => k !== 'created_at')).toEqual({ name: 'x', amount: null })
  })

  it('leaves out empty required fields, and values the server refused', () => {
    const required = (k: string) => k === 'name' || k === 'tags'
    expect(draftValues({ name: null, tags: [], amount: null, stage: 'new' }, () => true, required)).toEqual({ amount: null, stage: 'new' })
    expect(withoutRefused({ amount: '12ab', stage: 'new' }, [{ field: 'values.amount' }])).toEqual({ stage: 'new' })
    expect(withoutRefused({ stage: 'new' }, [{ field: 'values.amount' }])).toBeNull()
  })
})
