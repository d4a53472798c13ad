// The layout designer's model: sections of placed fields (one or two
// columns; in two columns the fields fill left, right, left...), related
// lists, and the operations the designer offers by drag and drop and by
// keyboard. Every operation returns a new draft.
import type { ExprProblem, FieldMeta, LayoutFieldRef, LayoutMeta, ObjectMeta, ProblemFieldError } from '@/api/types'
import { problemOfFieldError } from '@/expression/problems'
import { activeFields, lookupsTo } from '@/metadata/objects'
import { bilingual, labelsOf, type BilingualText } from './fieldDraft'
import { moveItem, localKey } from './reorder'
import { joinPath, splitPath, type PathErrors } from './problemPaths'

export interface SectionDraft {
  key: string
  labels: BilingualText
  columns: 1 | 2
  fields: LayoutFieldRef[]
}

export interface RelatedListDraft {
  key: string
  object: string
  field: string
  labels: BilingualText
  columns: string[]
  limit: number
}

export interface LayoutDraft {
  api_name: string
  labels: BilingualText
  default: boolean
  sections: SectionDraft[]
  related_lists: RelatedListDraft[]
}

/** Where a field is, or where it goes: a section and a position in it. */
export interface Slot {
  section: number
  index: number
}

export function sectionDraft(labels: BilingualText = { en: '', 'zh-CN': '' }, columns: 1 | 2 = 2, fields: LayoutFieldRef[] = []): SectionDraft {
  return { key: localKey('s'), labels, columns, fields }
}

export function layoutDraft(l: LayoutMeta): LayoutDraft {
  return {
    api_name: l.api_name,
    labels: bilingual(l.labels),
    default: !!l.default,
    sections: l.sections.map((s) =>
      sectionDraft(bilingual(s.labels), s.columns === 1 ? 1 : 2, s.fields.map(fieldRefDraft)),
    ),
    related_lists: l.related_lists.map((r) => ({
      key: localKey('r'),
      object: r.object,
      field: r.field,
      labels: bilingual(r.labels),
      columns: [...r.columns],
      limit: r.limit ?? 5,
    })),
  }
}

/** A placed field as the designer edits it (conditions as text, empty when none). */
function fieldRefDraft(f: LayoutFieldRef): LayoutFieldRef {
  return { field: f.field, read_only: !!f.read_only, required: !!f.required, visible_if: f.visible_if ?? '', required_if: f.required_if ?? '' }
}

/** A placed field as the API takes it: conditions only when written. */
function fieldRefInput(f: LayoutFieldRef): LayoutFieldRef {
  const out: LayoutFieldRef = { field: f.field, read_only: !!f.read_only, required: !!f.required }
  if (f.visible_if?.trim()) out.visible_if = f.visible_if.trim()
  if (f.required_if?.trim()) out.required_if = f.required_if.trim()
  return out
}

export type FieldCondition = 'visible_if' | 'required_if'

export function setFieldCondition(d: LayoutDraft, at: Slot, which: FieldCondition, source: string): LayoutDraft {
  return withSections(
    d,
    d.sections.map((s, i) => (i === at.section ? { ...s, fields: s.fields.map((f, j) => (j === at.index ? { ...f, [which]: source } : f)) } : s)),
  )
}

export function hasFieldConditions(f: LayoutFieldRef): boolean {
  return !!f.visible_if?.trim() || !!f.required_if?.trim()
}

export function toLayoutInput(d: LayoutDraft): LayoutMeta {
  return {
    api_name: d.api_name.trim(),
    labels: labelsOf(d.labels),
    default: d.default,
    sections: d.sections.map((s) => ({
      labels: labelsOf(s.labels),
      columns: s.columns,
      fields: s.fields.map(fieldRefInput),
    })),
    related_lists: d.related_lists.map((r) => {
      const labels = labelsOf(r.labels)
      return { object: r.object, field: r.field, ...(Object.keys(labels).length ? { labels } : {}), columns: [...r.columns], limit: r.limit }
    }),
  }
}

export function placedFields(d: LayoutDraft): Set<string> {
  return new Set(d.sections.flatMap((s) => s.fields.map((f) => f.field)))
}

/** The palette: active fields not placed yet, in field order. */
export function unplacedFields(d: LayoutDraft, obj: ObjectMeta): FieldMeta[] {
  const placed = placedFields(d)
  return activeFields(obj).filter((f) => !placed.has(f.api_name))
}

function withSections(d: LayoutDraft, sections: SectionDraft[]): LayoutDraft {
  return { ...d, sections }
}

/** Places a field from the palette at a slot (a field already placed moves there instead). */
export function placeField(d: LayoutDraft, field: string, to: Slot): LayoutDraft {
  const from = findField(d, field)
  if (from) return moveField(d, from, to)
  if (!d.sections[to.section]) return d
  const sections = d.sections.map((s, i) => {
    if (i !== to.section) return s
    const fields = [...s.fields]
    fields.splice(Math.max(0, Math.min(to.index, fields.length)), 0, { field, read_only: false, required: false, visible_if: '', required_if: '' })
    return { ...s, fields }
  })
  return withSections(d, sections)
}

export function findField(d: LayoutDraft, field: string): Slot | null {
  for (let s = 0; s < d.sections.length; s++) {
    const i = d.sections[s].fields.findIndex((f) => f.field === field)
    if (i >= 0) return { section: s, index: i }
  }
  return null
}

/**
 * Moves a placed field to a slot; `to.index` is an insertion point in the
 * target section as it is before the move (a drop between two fields).
 */
export function moveField(d: LayoutDraft, from: Slot, to: Slot): LayoutDraft {
  const source = d.sections[from.section]
  const target = d.sections[to.section]
  if (!source || !target || !source.fields[from.index]) return d
  if (from.section === to.section) {
    return withSections(
      d,
      d.sections.map((s, i) => (i === from.section ? { ...s, fields: moveItem(s.fields, from.index, to.index) } : s)),
    )
  }
  const item = source.fields[from.index]
  return withSections(
    d,
    d.sections.map((s, i) => {
      if (i === from.section) return { ...s, fields: s.fields.filter((_, j) => j !== from.index) }
      if (i === to.section) {
        const fields = [...s.fields]
        fields.splice(Math.max(0, Math.min(to.index, fields.length)), 0, item)
        return { ...s, fields }
      }
      return s
    }),
  )
}

/** Keyboard moves: one place up or down, across into the neighbouring section at its ends. */
export function stepField(d: LayoutDraft, from: Slot, delta: -1 | 1): LayoutDraft {
  const section = d.sections[from.section]
  if (!section) return d
  const next = from.index + delta
  if (next >= 0 && next < section.fields.length) {
    return moveField(d, from, { section: from.section, index: delta > 0 ? next + 1 : next })
  }
  const neighbour = from.section + delta
  if (!d.sections[neighbour]) return d
  return moveField(d, from, { section: neighbour, index: delta > 0 ? 0 : d.sections[neighbour].fields.length })
}

export function removeField(d: LayoutDraft, at: Slot): LayoutDraft {
  return withSections(
    d,
    d.sections.map((s, i) => (i === at.section ? { ...s, fields: s.fields.filter((_, j) => j !== at.index) } : s)),
  )
}

export function setFieldFlag(d: LayoutDraft, at: Slot, flag: 'read_only' | 'required', value: boolean): LayoutDraft {
  return withSections(
    d,
    d.sections.map((s, i) =>
      i === at.section ? { ...s, fields: s.fields.map((f, j) => (j === at.index ? { ...f, [flag]: value } : f)) } : s,
    ),
  )
}

export function addSection(d: LayoutDraft, labels?: BilingualText): LayoutDraft {
  return withSections(d, [...d.sections, sectionDraft(labels)])
}

/** Removes a section; its fields go back to the palette. */
export function removeSection(d: LayoutDraft, index: number): LayoutDraft {
  return withSections(
    d,
    d.sections.filter((_, i) => i !== index),
  )
}

export function moveSection(d: LayoutDraft, from: number, to: number): LayoutDraft {
  return withSections(d, moveItem(d.sections, from, to))
}

export function updateSection(d: LayoutDraft, index: number, patch: Partial<Omit<SectionDraft, 'key' | 'fields'>>): LayoutDraft {
  return withSections(
    d,
    d.sections.map((s, i) => (i === index ? { ...s, ...patch } : s)),
  )
}

/** Child objects that can be listed on this object's page: every lookup to it. */
export function relatedCandidates(obj: ObjectMeta, all: ObjectMeta[]): { object: ObjectMeta; field: FieldMeta }[] {
  const out: { object: ObjectMeta; field: FieldMeta }[] = []
  for (const child of all) {
    for (const f of lookupsTo(child, obj.api_name)) out.push({ object: child, field: f })
  }
  return out
}

export function relatedListDraft(child: ObjectMeta, field: string, columns: string[]): RelatedListDraft {
  return { key: localKey('r'), object: child.api_name, field, labels: { en: '', 'zh-CN': '' }, columns, limit: 5 }
}

/** Where the server's layout errors belong, by what the designer shows. */
export interface LayoutErrorTargets {
  layout: { api_name?: string; labels?: string }
  /** By field api name: the chip of that field. */
  fields: Map<string, string>
  /** By "<field>.visible_if" / "<field>.required_if": the condition's editor (with position and suggestion). */
  conditions: Map<string, ExprProblem>
  /** By section index: its title or columns. */
  sections: Map<number, string>
  /** By related list index. */
  related: Map<number, string>
  /** What has no place on screen. */
  other: ProblemFieldError[]
}

/** Maps errors of a save to the draft that was sent (paths index that draft). */
export function layoutErrorTargets(sent: LayoutDraft, errors: PathErrors): LayoutErrorTargets {
  const out: LayoutErrorTargets = { layout: {}, fields: new Map(), conditions: new Map(), sections: new Map(), related: new Map(), other: [] }
  out.layout.api_name = errors.at('api_name')
  out.layout.labels = errors.at('labels', 'labels.en', 'labels.zh-CN')
  out.other = errors.rest((p) => {
    if (p[0] === 'api_name' || p[0] === 'labels') return true
    if (p[0] === 'sections' && typeof p[1] === 'number') {
      const section = sent.sections[p[1]]
      if (!section) return false
      if (p[2] === 'fields' && typeof p[3] === 'number') {
        const ref = section.fields[p[3]]
        if (!ref) return false
        if ((p[4] === 'visible_if' || p[4] === 'required_if') && p.length === 5) {
          const key = `${ref.field}.${p[4]}`
          const e = errors.all.find((x) => joinPath(splitPath(x.field ?? '')) === joinPath(p))
          const problem = problemOfFieldError(e)
          if (problem && !out.conditions.has(key)) out.conditions.set(key, problem)
          return true
        }
        const message = errors.at(p)
        if (message && !out.fields.has(ref.field)) out.fields.set(ref.field, message)
        return true
      }
      const message = errors.at(p)
      if (message && !out.sections.has(p[1])) out.sections.set(p[1], message)
      return true
    }
    if (p[0] === 'related_lists' && typeof p[1] === 'number' && sent.related_lists[p[1]]) {
      const message = errors.at(p)
      if (message && !out.related.has(p[1])) out.related.set(p[1], message)
      return true
    }
    return false
  })
  return out
}
