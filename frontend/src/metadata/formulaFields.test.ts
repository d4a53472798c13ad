// Formula fields in the workspace: shown as values, never written, and
// (unless stored) neither sorted, filtered nor summed by the server.
import { describe, expect, it } from 'vitest'
import type { FieldMeta, ObjectMeta } from '@/api/types'
import { filterableFields } from '@/filter/fields'
import { amountField, defaultLayout, isComputed, isSortable, isVirtualFormula } from './objects'

const weighted: FieldMeta = { api_name: 'weighted', type: 'currency', labels: { en: 'Weighted' }, formula: 'amount * 0.5' }
const stored: FieldMeta = { ...weighted, api_name: 'weighted_stored', formula_stored: true }
const amount: FieldMeta = { api_name: 'amount', type: 'currency', labels: { en: 'Amount' } }
const name: FieldMeta = { api_name: 'name', type: 'text', labels: { en: 'Name' } }
const deal: ObjectMeta = { api_name: 'deal', labels: { en: 'Deal' }, name_field: 'name', fields: [name, weighted, stored, amount] }

describe('formula fields', () => {
  it('are computed, like auto numbers', () => {
    expect(isComputed(weighted)).toBe(true)
    expect(isComputed({ ...name, type: 'auto_number' })).toBe(true)
    expect(isComputed(amount)).toBe(false)
  })

  it('sort and filter only when stored', () => {
    expect(isVirtualFormula(weighted)).toBe(true)
    expect(isVirtualFormula(stored)).toBe(false)
    expect(isSortable(weighted)).toBe(false)
    expect(isSortable(stored)).toBe(true)
    const keys = filterableFields(deal, () => undefined, () => undefined).map((f) => f.key)
    expect(keys).toEqual(['name', 'weighted_stored', 'amount'])
  })

  it('are read-only in derived layouts and not summed on the kanban', () => {
    const refs = defaultLayout(deal, [deal]).sections[0].fields
    expect(refs.find((r) => r.field === 'weighted')?.read_only).toBe(true)
    expect(refs.find((r) => r.field === 'amount')?.read_only).toBe(false)
    expect(amountField(deal)?.api_name).toBe('weighted_stored')
  })
})
