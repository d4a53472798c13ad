// Questions asked of object metadata throughout the app: which fields are
// visible, which field names a record, the default layout and list view
// (derived when an admin has not designed one), navigation order.
import type {
  FieldMeta,
  LayoutMeta,
  ListViewMeta,
  ObjectMeta,
  OptionMeta,
  PipelineMeta,
  RecordData,
  RelatedListMeta,
} from '@/api/types'

/** The sales app's objects first, in the order a salesperson works. */
export const STANDARD_ORDER = ['account', 'contact', 'lead', 'opportunity', 'activity', 'product']

export function navigationOrder(objects: ObjectMeta[], labelOf: (o: ObjectMeta) => string): ObjectMeta[] {
  const rank = (o: ObjectMeta) => {
    const i = STANDARD_ORDER.indexOf(o.api_name)
    return i === -1 ? STANDARD_ORDER.length : i
  }
  return [...objects].sort((a, b) => rank(a) - rank(b) || labelOf(a).localeCompare(labelOf(b)))
}

export function activeFields(obj: ObjectMeta): FieldMeta[] {
  return obj.fields.filter((f) => f.active !== false)
}

export function findField(obj: ObjectMeta, apiName: string): FieldMeta | undefined {
  return obj.fields.find((f) => f.api_name === apiName && f.active !== false)
}

export function activeOptions(field: FieldMeta): OptionMeta[] {
  return (field.options ?? []).filter((o) => o.active !== false).sort((a, b) => (a.order ?? 0) - (b.order ?? 0))
}

export function findOption(field: FieldMeta, apiName: unknown): OptionMeta | undefined {
  return (field.options ?? []).find((o) => o.api_name === apiName)
}

export function recordName(obj: ObjectMeta, record: RecordData | null | undefined): string {
  if (!record) return ''
  const v = record[obj.name_field]
  return v === null || v === undefined || v === '' ? '' : String(v)
}

export function pipelinesOf(obj: ObjectMeta): PipelineMeta[] {
  if (obj.pipelines?.length) return obj.pipelines
  // Older servers: pipelines are picklists with a pipeline section.
  return activeFields(obj)
    .filter((f) => f.type === 'picklist' && f.pipeline)
    .map((f) => ({
      field: f.api_name,
      labels: f.pipeline?.labels ?? f.labels,
      probability_field: f.pipeline?.probability_field,
      stages: f.options ?? [],
    }))
}

export function isClosedStage(stage: OptionMeta | undefined): boolean {
  return stage?.forecast_category === 'closed_won' || stage?.forecast_category === 'closed_lost'
}

/** The first currency field with a column (kanban totals sum it on the server). */
export function amountField(obj: ObjectMeta): FieldMeta | undefined {
  return activeFields(obj).find((f) => f.type === 'currency' && !isVirtualFormula(f))
}

/** The first date field other than system dates (kanban cards show it). */
export function dateField(obj: ObjectMeta): FieldMeta | undefined {
  return activeFields(obj).find((f) => f.type === 'date')
}

/** Lookups of `child` that point at `parent`. */
export function lookupsTo(child: ObjectMeta, parent: string): FieldMeta[] {
  return activeFields(child).filter((f) => f.type === 'lookup' && f.target === parent)
}

/** Fields that belong in a list by default: the name, then the first few others. */
export function defaultColumns(obj: ObjectMeta, count = 6): string[] {
  // A currency code field shows inside its amount already.
  const codeFields = new Set(activeFields(obj).map((f) => f.currency_field).filter(Boolean))
  const others = activeFields(obj)
    .filter((f) => f.api_name !== obj.name_field && f.type !== 'long_text' && !codeFields.has(f.api_name))
    .slice(0, count)
    .map((f) => f.api_name)
  return [obj.name_field, ...others]
}

export function defaultListView(obj: ObjectMeta): ListViewMeta {
  const designed = obj.list_views ?? []
  const chosen = designed.find((v) => v.default) ?? designed[0]
  if (chosen) return chosen
  return {
    api_name: '__all',
    labels: {},
    default: true,
    columns: defaultColumns(obj).map((field) => ({ field })),
    filter: '',
    sort: '',
  }
}

/** Related lists of a derived layout: every object with a lookup to this one. */
export function derivedRelatedLists(obj: ObjectMeta, all: ObjectMeta[]): RelatedListMeta[] {
  const out: RelatedListMeta[] = []
  for (const child of all) {
    if (child.api_name === 'activity') continue // shown as the timeline
    for (const f of lookupsTo(child, obj.api_name)) {
      out.push({ object: child.api_name, field: f.api_name, columns: defaultColumns(child, 3), limit: 5 })
    }
  }
  return out
}

export function defaultLayout(obj: ObjectMeta, all: ObjectMeta[]): LayoutMeta {
  const designed = obj.layouts ?? []
  const chosen = designed.find((l) => l.default) ?? designed[0]
  if (chosen) return chosen
  const fields = activeFields(obj)
  const long = fields.filter((f) => f.type === 'long_text')
  const short = fields.filter((f) => f.type !== 'long_text')
  const sections: LayoutMeta['sections'] = [
    { labels: {}, columns: 2, fields: short.map((f) => ({ field: f.api_name, read_only: isComputed(f) })) },
  ]
  if (long.length) sections.push({ labels: {}, columns: 1, fields: long.map((f) => ({ field: f.api_name })) })
  return { api_name: '__derived', labels: {}, default: true, sections, related_lists: derivedRelatedLists(obj, all) }
}

/** Parses "-amount,name" into sort keys. */
export function parseSort(sort: string | undefined | null): { field: string; desc: boolean }[] {
  return (sort ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => (s.startsWith('-') ? { field: s.slice(1), desc: true } : { field: s.replace(/^\+/, ''), desc: false }))
}

export function writeSort(keys: { field: string; desc: boolean }[]): string {
  return keys.map((k) => (k.desc ? `-${k.field}` : k.field)).join(',')
}

export const SYSTEM_FIELDS = ['id', 'owner_id', 'created_at', 'created_by', 'updated_at', 'updated_by', 'version', 'deleted_at']

/** A formula field: computed by the server, shown as a value, never written by forms. */
export function isFormulaField(field: FieldMeta | undefined | null): boolean {
  return !!field?.formula
}

/** A formula recomputed on every read: there is no column, so the server can neither filter nor sort by it. */
export function isVirtualFormula(field: FieldMeta | undefined | null): boolean {
  return !!field?.formula && !field.formula_stored
}

/** Filled in by the server (auto numbers, formulas): forms show the value and never send it. */
export function isComputed(field: FieldMeta | undefined | null): boolean {
  return !!field && (field.type === 'auto_number' || !!field.formula)
}

/** Which fields the server can sort by. */
export function isSortable(field: FieldMeta | undefined): boolean {
  return !!field && field.type !== 'long_text' && field.type !== 'multi_picklist' && !isVirtualFormula(field)
}
