import { describe, expect, it } from 'vitest'
import type { LayoutMeta, ObjectMeta } from '@/api/types'
import {
  addSection,
  layoutDraft,
  layoutErrorTargets,
  moveField,
  moveSection,
  placeField,
  relatedCandidates,
  removeField,
  removeSection,
  setFieldCondition,
  hasFieldConditions,
  setFieldFlag,
  stepField,
  toLayoutInput,
  unplacedFields,
  type LayoutDraft,
} from '../layoutDraft'
import { PathErrors } from '../problemPaths'

const project: ObjectMeta = {
  api_name: 'project',
  labels: { en: 'Project' },
  name_field: 'name',
  fields: [
    { api_name: 'name', type: 'text', labels: { en: 'Name' } },
    { api_name: 'status', type: 'picklist', labels: { en: 'Status' } },
    { api_name: 'budget', type: 'currency', labels: { en: 'Budget' } },
    { api_name: 'account_id', type: 'lookup', target: 'account', labels: { en: 'Account' } },
    { api_name: 'old', type: 'text', labels: { en: 'Old' }, active: false },
  ],
}

const account: ObjectMeta = { api_name: 'account', labels: { en: 'Account' }, name_field: 'name', fields: [{ api_name: 'name', type: 'text', labels: {} }] }

const layout: LayoutMeta = {
  api_name: 'standard',
  labels: { en: 'Standard' },
  default: true,
  sections: [
    { labels: { en: 'Main' }, columns: 2, fields: [{ field: 'name' }, { field: 'status' }] },
    { labels: { en: 'Money' }, columns: 1, fields: [{ field: 'budget' }] },
  ],
  related_lists: [],
}

const names = (d: LayoutDraft) => d.sections.map((s) => s.fields.map((f) => f.field))

describe('layout draft', () => {
  it('round-trips to the API shape', () => {
    expect(toLayoutInput(layoutDraft(layout))).toEqual({
      api_name: 'standard',
      labels: { en: 'Standard' },
      default: true,
      sections: [
        { labels: { en: 'Main' }, columns: 2, fields: [{ field: 'name', read_only: false, required: false }, { field: 'status', read_only: false, required: false }] },
        { labels: { en: 'Money' }, columns: 1, fields: [{ field: 'budget', read_only: false, required: false }] },
      ],
      related_lists: [],
    })
  })

  it('offers the active fields not placed yet', () => {
    expect(unplacedFields(layoutDraft(layout), project).map((f) => f.api_name)).toEqual(['account_id'])
  })

  it('places a field from the palette at a slot', () => {
    const d = placeField(layoutDraft(layout), 'account_id', { section: 0, index: 1 })
    expect(names(d)).toEqual([['name', 'account_id', 'status'], ['budget']])
    expect(unplacedFields(d, project)).toEqual([])
  })

  it('moves a field between sections', () => {
    const d = moveField(layoutDraft(layout), { section: 0, index: 1 }, { section: 1, index: 0 })
    expect(names(d)).toEqual([['name'], ['status', 'budget']])
  })

  it('moves a field within a section using insertion points', () => {
    const d = placeField(layoutDraft(layout), 'account_id', { section: 0, index: 2 })
    expect(names(moveField(d, { section: 0, index: 0 }, { section: 0, index: 3 }))[0]).toEqual(['status', 'account_id', 'name'])
    expect(names(moveField(d, { section: 0, index: 2 }, { section: 0, index: 0 }))[0]).toEqual(['account_id', 'name', 'status'])
  })

  it('dropping a placed field from the palette path moves it instead of doubling it', () => {
    const d = placeField(layoutDraft(layout), 'budget', { section: 0, index: 0 })
    expect(names(d)).toEqual([['budget', 'name', 'status'], []])
  })

  it('steps a field with the keyboard, across section ends', () => {
    let d = layoutDraft(layout)
    d = stepField(d, { section: 0, index: 0 }, 1)
    expect(names(d)).toEqual([['status', 'name'], ['budget']])
    d = stepField(d, { section: 0, index: 1 }, 1)
    expect(names(d)).toEqual([['status'], ['name', 'budget']])
    d = stepField(d, { section: 1, index: 0 }, -1)
    expect(names(d)).toEqual([['status', 'name'], ['budget']])
    expect(names(stepField(d, { section: 0, index: 0 }, -1))).toEqual(names(d))
  })

  it('removes fields and sections; their fields return to the palette', () => {
    let d = removeField(layoutDraft(layout), { section: 0, index: 1 })
    expect(names(d)).toEqual([['name'], ['budget']])
    d = removeSection(d, 1)
    expect(unplacedFields(d, project).map((f) => f.api_name)).toEqual(['status', 'budget', 'account_id'])
  })

  it('adds and reorders sections and sets flags', () => {
    let d = addSection(layoutDraft(layout), { en: 'Extra', 'zh-CN': '其他' })
    expect(d.sections).toHaveLength(3)
    d = moveSection(d, 2, 0)
    expect(d.sections[0].labels.en).toBe('Extra')
    d = setFieldFlag(d, { section: 1, index: 0 }, 'required', true)
    expect(d.sections[1].fields[0]).toEqual({ field: 'name', read_only: false, required: true, visible_if: '', required_if: '' })
  })

  it('keeps field conditions, and sends them only when written', () => {
    const withRules: LayoutMeta = {
      ...layout,
      sections: [{ labels: { en: 'Main' }, columns: 1, fields: [{ field: 'name' }, { field: 'budget', visible_if: 'status == "big"', required_if: 'prior.budget != nil' }] }],
    }
    let d = layoutDraft(withRules)
    expect(toLayoutInput(d).sections[0].fields).toEqual([
      { field: 'name', read_only: false, required: false },
      { field: 'budget', read_only: false, required: false, visible_if: 'status == "big"', required_if: 'prior.budget != nil' },
    ])
    d = setFieldCondition(d, { section: 0, index: 0 }, 'visible_if', '  budget > 10 ')
    d = setFieldCondition(d, { section: 0, index: 1 }, 'required_if', '')
    expect(hasFieldConditions(d.sections[0].fields[0])).toBe(true)
    expect(toLayoutInput(d).sections[0].fields).toEqual([
      { field: 'name', read_only: false, required: false, visible_if: 'budget > 10' },
      { field: 'budget', read_only: false, required: false, visible_if: 'status == "big"' },
    ])
    // A field moved keeps its conditions.
    d = moveField(d, { section: 0, index: 1 }, { section: 0, index: 0 })
    expect(d.sections[0].fields[0]).toMatchObject({ field: 'budget', visible_if: 'status == "big"' })
  })

  it('does not change the draft it was given', () => {
    const d = layoutDraft(layout)
    const before = JSON.stringify(d)
    moveField(d, { section: 0, index: 0 }, { section: 1, index: 0 })
    placeField(d, 'account_id', { section: 1, index: 0 })
    expect(JSON.stringify(d)).toBe(before)
  })

  it('finds the objects that can be related lists', () => {
    expect(relatedCandidates(account, [account, project]).map((c) => `${c.object.api_name}.${c.field.api_name}`)).toEqual(['project.account_id'])
  })
})

describe('layoutErrorTargets', () => {
  it('puts condition errors on the condition of the field they name, with the position', () => {
    const d = layoutDraft(layout)
    const targets = layoutErrorTargets(
      d,
      new PathErrors([
        { field: 'sections[0].fields[1].required_if', code: 'invalid_expression', message: 'unknown field `is_kye`', position: 0, end: 6, suggestion: 'is_key' },
        { field: 'sections[0].fields[0].visible_if', code: 'invalid_expression', message: 'must be a boolean' },
      ]),
    )
    expect(targets.conditions.get('status.required_if')).toEqual({ message: 'unknown field `is_kye`', position: 0, end: 6, suggestion: 'is_key' })
    expect(targets.conditions.get('name.visible_if')?.message).toBe('must be a boolean')
    expect(targets.fields.size).toBe(0)
    expect(targets.other).toEqual([])
  })

  it('maps server paths to field chips, sections and related lists', () => {
    const d = layoutDraft(layout)
    const targets = layoutErrorTargets(
      d,
      new PathErrors([
        { field: 'sections[0].fields[1].field', code: 'unknown_field', message: 'project has no field "status"' },
        { field: 'sections[1].labels.en', code: 'too_long', message: 'too long' },
        { field: 'api_name', code: 'conflict', message: 'exists' },
        { field: 'related_lists[3].object', code: 'unknown_object', message: 'gone' },
        { field: 'columns', code: 'x', message: 'elsewhere' },
      ]),
    )
    expect(targets.fields.get('status')).toBe('project has no field "status"')
    expect(targets.sections.get(1)).toBe('too long')
    expect(targets.layout.api_name).toBe('exists')
    expect(targets.other.map((e) => e.field)).toEqual(['related_lists[3].object', 'columns'])
  })
})
