// The field editor's model: a draft built from a field (or blank for a new
// one), turned back into the body of POST .../fields or the merge patch of
// PATCH .../fields/{field}, plus what each type allows (mirroring the
// server's rules in metadata/field_*.go).
import type { FieldInput, FieldMeta, FieldPatch, FieldType, ForecastCategory, Labels, OnDelete, OptionMeta } from '@/api/types'
import { defaultResultType, formulaResultType } from '@/expression/resultType'
import { apiNameProblem, OPTION_NAME, type ApiNameProblem } from './apiName'
import { localKey } from './reorder'

export const FIELD_TYPE_ORDER: FieldType[] = [
  'text',
  'long_text',
  'integer',
  'number',
  'currency',
  'percent',
  'boolean',
  'date',
  'datetime',
  'email',
  'phone',
  'url',
  'picklist',
  'multi_picklist',
  'lookup',
  'auto_number',
]

export const FORECAST_CATEGORIES: ForecastCategory[] = ['pipeline', 'best_case', 'commit', 'closed_won', 'closed_lost']

export const ON_DELETE: OnDelete[] = ['set_null', 'restrict', 'cascade']

/** The server's default and largest max_length per text type. */
export const TEXT_MAX: Partial<Record<FieldType, number>> = { text: 255, long_text: 131072, email: 254, phone: 40, url: 2048 }

/** The server's default precision and scale per decimal type. */
export const DECIMAL_DEFAULTS: Partial<Record<FieldType, { precision: number; scale: number }>> = {
  number: { precision: 18, scale: 2 },
  currency: { precision: 18, scale: 2 },
  percent: { precision: 9, scale: 4 },
}

export const MAX_PRECISION = 28

const TEXT_TYPES: FieldType[] = ['text', 'long_text', 'email', 'phone', 'url']
const DECIMAL_TYPES: FieldType[] = ['number', 'currency', 'percent']

export const isTextType = (t: FieldType) => TEXT_TYPES.includes(t)
export const isDecimalType = (t: FieldType) => DECIMAL_TYPES.includes(t)
export const isNumericType = (t: FieldType) => t === 'integer' || isDecimalType(t)
export const hasOptions = (t: FieldType) => t === 'picklist' || t === 'multi_picklist'

/** Unique is refused on long text, booleans, multi-picklists and lookups. */
export function canBeUnique(t: FieldType): boolean {
  return !['long_text', 'boolean', 'multi_picklist', 'lookup'].includes(t)
}

/** Encryption is for text, email, phone and long text (and then no unique, filter, sort or search). */
export function canBeEncrypted(t: FieldType): boolean {
  return t === 'text' || t === 'email' || t === 'phone' || t === 'long_text'
}

/** Indexed is refused on long text (lookups are always indexed). */
export function canBeIndexed(t: FieldType): boolean {
  return t !== 'long_text'
}

/** Auto numbers are filled by the server: never required, no default. */
export function canBeRequired(t: FieldType): boolean {
  return t !== 'auto_number'
}

export function canHaveDefault(t: FieldType): boolean {
  return t !== 'auto_number' && t !== 'lookup'
}

/** Formulas give text, numbers, true/false, dates, instants or lists; long texts, lookups and auto numbers are never computed. */
export function canBeFormula(t: FieldType): boolean {
  return formulaResultType(t) !== null
}

export function canHaveDefaultFormula(t: FieldType): boolean {
  return canHaveDefault(t) && defaultResultType(t) !== null
}

/**
 * The types a field can change to (metadata/field_change.go): strings,
 * numbers and dates convert where the values can; lookups never change.
 * Each row is still checked by the server (409 not_convertible).
 */
export function conversionTargets(from: FieldType): FieldType[] {
  if (from === 'lookup') return []
  const stringTypes: FieldType[] = ['text', 'long_text', 'email', 'phone', 'url', 'picklist']
  const allowed = (to: FieldType): boolean => {
    if (to === from) return true
    if (to === 'lookup') return false
    if (stringTypes.includes(to)) {
      return (
        stringTypes.includes(from) ||
        from === 'integer' ||
        DECIMAL_TYPES.includes(from) ||
        from === 'date' ||
        (from === 'auto_number' && to !== 'picklist')
      )
    }
    if (to === 'integer') return stringTypes.includes(from) || DECIMAL_TYPES.includes(from)
    if (DECIMAL_TYPES.includes(to)) return stringTypes.includes(from) || from === 'integer' || DECIMAL_TYPES.includes(from)
    if (to === 'date') return stringTypes.includes(from)
    if (to === 'datetime') return stringTypes.includes(from) || from === 'date'
    if (to === 'multi_picklist') return from === 'picklist' || from === 'text'
    return false
  }
  return FIELD_TYPE_ORDER.filter(allowed)
}

export interface BilingualText {
  en: string
  'zh-CN': string
}

export function bilingual(labels: Labels | undefined | null, fallback = ''): BilingualText {
  return { en: labels?.en ?? fallback, 'zh-CN': labels?.['zh-CN'] ?? '' }
}

/** Labels without empty languages (the server wants at least one). */
export function labelsOf(text: BilingualText): Labels {
  const out: Labels = {}
  if (text.en.trim()) out.en = text.en.trim()
  if (text['zh-CN'].trim()) out['zh-CN'] = text['zh-CN'].trim()
  return out
}

export interface OptionDraft {
  key: string
  api_name: string
  labels: BilingualText
  color: string
  active: boolean
  probability: number | null
  forecast_category: ForecastCategory | ''
  /** Saved on the server: its api name is fixed (records may hold it). */
  saved: boolean
  /** The admin typed the api name; stop suggesting it from the label. */
  nameEdited: boolean
}

export type CurrencyMode = 'tenant' | 'code' | 'field'

export interface FieldDraft {
  api_name: string
  type: FieldType
  labels: BilingualText
  description: string
  help_text: BilingualText
  required: boolean
  unique: boolean
  indexed: boolean
  track_history: boolean
  encrypted: boolean
  active: boolean
  default: unknown
  max_length: number | null
  min_length: number | null
  min: string
  max: string
  precision: number | null
  scale: number | null
  currencyMode: CurrencyMode
  currency_code: string
  currency_field: string
  options: OptionDraft[]
  pipeline: boolean
  pipelineLabels: BilingualText
  probability_field: string
  target: string
  on_delete: OnDelete
  pattern: string
  /** The field is computed by `formula` (the text is kept while the switch is off, until saved). */
  formulaOn: boolean
  formula: string
  formula_stored: boolean
  default_formula: string
}

export const OPTION_COLORS = ['#2563eb', '#16a34a', '#f59e0b', '#dc2626', '#7c3aed', '#0891b2', '#db2777', '#64748b', '#ea580c', '#65a30d']

export function optionDraft(o: Partial<OptionMeta> & { api_name: string }, saved: boolean): OptionDraft {
  return {
    key: localKey('o'),
    api_name: o.api_name,
    labels: bilingual(o.labels, o.label ?? ''),
    color: o.color ?? '',
    active: o.active !== false,
    probability: o.probability ?? null,
    forecast_category: o.forecast_category ?? '',
    saved,
    nameEdited: saved,
  }
}

function numOrNull(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null
}

function decimalText(v: unknown): string {
  return v === undefined || v === null ? '' : String(v)
}

export function blankDraft(type: FieldType = 'text'): FieldDraft {
  return {
    api_name: '',
    type,
    labels: { en: '', 'zh-CN': '' },
    description: '',
    help_text: { en: '', 'zh-CN': '' },
    required: false,
    unique: false,
    indexed: false,
    track_history: false,
    encrypted: false,
    active: true,
    default: null,
    max_length: null,
    min_length: null,
    min: '',
    max: '',
    precision: null,
    scale: null,
    currencyMode: 'tenant',
    currency_code: '',
    currency_field: '',
    options: [],
    pipeline: false,
    pipelineLabels: { en: '', 'zh-CN': '' },
    probability_field: '',
    target: '',
    on_delete: 'set_null',
    pattern: type === 'auto_number' ? 'NO-{00000}' : '',
    formulaOn: false,
    formula: '',
    formula_stored: false,
    default_formula: '',
  }
}

export function draftFromField(f: FieldMeta): FieldDraft {
  return {
    api_name: f.api_name,
    type: f.type,
    labels: bilingual(f.labels, f.label ?? ''),
    description: f.description ?? '',
    help_text: bilingual(f.help_text),
    required: !!f.required,
    unique: !!f.unique,
    indexed: !!f.indexed,
    track_history: !!f.track_history,
    encrypted: !!f.encrypted,
    active: f.active !== false,
    default: f.default ?? null,
    max_length: numOrNull(f.max_length),
    min_length: numOrNull(f.min_length),
    min: decimalText(f.min),
    max: decimalText(f.max),
    precision: numOrNull(f.precision),
    scale: numOrNull(f.scale),
    currencyMode: f.currency_field ? 'field' : f.currency_code ? 'code' : 'tenant',
    currency_code: f.currency_code ?? '',
    currency_field: f.currency_field ?? '',
    options: [...(f.options ?? [])].sort((a, b) => (a.order ?? 0) - (b.order ?? 0)).map((o) => optionDraft(o, true)),
    pipeline: !!f.pipeline,
    pipelineLabels: bilingual(f.pipeline?.labels),
    probability_field: f.pipeline?.probability_field ?? '',
    target: f.target ?? '',
    on_delete: f.on_delete ?? 'set_null',
    pattern: f.pattern ?? '',
    formulaOn: !!f.formula,
    formula: f.formula ?? '',
    formula_stored: !!f.formula_stored,
    default_formula: f.default_formula ?? '',
  }
}

export function optionsOut(d: FieldDraft): OptionMeta[] {
  return d.options.map((o, i) => {
    const out: OptionMeta = { api_name: o.api_name.trim(), labels: labelsOf(o.labels), order: i + 1, active: o.active }
    if (!Object.keys(out.labels).length) out.labels = { en: out.api_name }
    if (o.color) out.color = o.color.toLowerCase()
    if (d.pipeline) {
      if (o.probability !== null) out.probability = o.probability
      if (o.forecast_category) out.forecast_category = o.forecast_category
    }
    return out
  })
}

/** The settings of a draft that apply to its type, as the API spells them. */
function typeSettings(d: FieldDraft): Partial<FieldInput> {
  const out: Partial<FieldInput> = {}
  if (isTextType(d.type)) {
    if (d.max_length !== null) out.max_length = d.max_length
    if (d.min_length !== null) out.min_length = d.min_length
  }
  if (isNumericType(d.type)) {
    if (d.min.trim()) out.min = d.min.trim()
    if (d.max.trim()) out.max = d.max.trim()
  }
  if (isDecimalType(d.type)) {
    if (d.precision !== null) out.precision = d.precision
    if (d.scale !== null) out.scale = d.scale
  }
  if (d.type === 'currency') {
    if (d.currencyMode === 'code' && d.currency_code.trim()) out.currency_code = d.currency_code.trim().toUpperCase()
    if (d.currencyMode === 'field' && d.currency_field) out.currency_field = d.currency_field
  }
  if (hasOptions(d.type)) out.options = optionsOut(d)
  if (d.type === 'picklist' && d.pipeline) {
    out.pipeline = { labels: labelsOf(d.pipelineLabels) }
    if (d.probability_field) out.pipeline.probability_field = d.probability_field
  }
  if (d.type === 'lookup') {
    out.target = d.target
    out.on_delete = d.on_delete
  }
  if (d.type === 'auto_number') out.pattern = d.pattern.trim()
  return out
}

function isEmptyDefault(v: unknown): boolean {
  return v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0)
}

/** Whether the draft describes a computed field. */
export function isFormulaDraft(d: FieldDraft): boolean {
  return d.formulaOn && canBeFormula(d.type)
}

/** The body of POST /meta/objects/{object}/fields. */
export function toFieldInput(d: FieldDraft): FieldInput {
  const out: FieldInput = { api_name: d.api_name.trim(), type: d.type, labels: labelsOf(d.labels), ...typeSettings(d) }
  if (d.description.trim()) out.description = d.description.trim()
  const help = labelsOf(d.help_text)
  if (Object.keys(help).length) out.help_text = help
  if (isFormulaDraft(d)) {
    // A computed field is never required, unique, encrypted, tracked or defaulted (metadata/rules.go).
    out.formula = d.formula.trim()
    if (d.formula_stored) out.formula_stored = true
    // only a stored value has a column to index
    if (d.formula_stored && d.indexed && canBeIndexed(d.type)) out.indexed = true
    return out
  }
  if (d.default_formula.trim() && canHaveDefaultFormula(d.type)) out.default_formula = d.default_formula.trim()
  if (d.required && canBeRequired(d.type)) out.required = true
  if (d.unique && canBeUnique(d.type)) out.unique = true
  if (d.indexed && canBeIndexed(d.type)) out.indexed = true
  if (d.track_history) out.track_history = true
  if (d.encrypted && canBeEncrypted(d.type)) out.encrypted = true
  if (canHaveDefault(d.type) && !isEmptyDefault(d.default)) out.default = d.default
  return out
}

/** Settings that are false rather than absent when cleared. */
const FLAGS = new Set<keyof FieldInput>(['required', 'unique', 'indexed', 'track_history', 'encrypted', 'formula_stored'])

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null)
}

/**
 * The merge patch taking `original` to the draft: only what changed, with
 * null for settings that were cleared. Options go whole (every option with
 * its `active`, since the server replaces the list).
 */
export function toFieldPatch(original: FieldMeta, d: FieldDraft): FieldPatch {
  const before = toFieldInput(draftFromField(original))
  const after = toFieldInput(d)
  const patch: FieldPatch = {}
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]) as Set<keyof FieldInput>
  keys.delete('api_name')
  for (const k of keys) {
    if (same(before[k], after[k])) continue
    if (k === 'target') continue // a lookup keeps its target
    if (k === 'labels') {
      // Labels merge on the server: an emptied language is sent as "" to clear it.
      patch.labels = { en: d.labels.en.trim(), 'zh-CN': d.labels['zh-CN'].trim() }
    } else if (after[k] === undefined) {
      // Flags are false rather than absent; everything else is removed.
      patch[k] = FLAGS.has(k) ? false : null
    } else {
      patch[k] = after[k]
    }
  }
  if (d.active !== (original.active !== false)) patch.active = d.active
  return patch
}

/** A client-side problem: the path it belongs to and an i18n key under admin.check. */
export interface DraftProblem {
  field: string
  key: string
  params?: Record<string, string | number>
}

const CURRENCY = /^[A-Z]{3}$/
const DECIMAL = /^-?\d+(\.\d+)?$/

/** An auto-number pattern's problem (metadata/field_autonumber.go), or null. */
export function patternProblem(pattern: string): DraftProblem | null {
  if (pattern.length > 64) return { field: 'pattern', key: 'patternTooLong' }
  let counters = 0
  for (const m of pattern.matchAll(/\{[^{}]*\}/g)) {
    const inner = m[0].slice(1, -1)
    if (['YYYY', 'YY', 'MM', 'DD'].includes(inner)) continue
    if (/^0{1,12}$/.test(inner)) counters++
    else return { field: 'pattern', key: 'patternToken', params: { token: m[0] } }
  }
  if (counters !== 1) return { field: 'pattern', key: 'patternCounter' }
  if (/[{}]/.test(pattern.replace(/\{[^{}]*\}/g, ''))) return { field: 'pattern', key: 'patternBrace' }
  return null
}

/** What an auto-number pattern renders for counter n on a date (the live preview). */
export function renderPattern(pattern: string, date: Date, n = 1): string {
  const pad = (v: number, w: number) => String(v).padStart(w, '0')
  return pattern.replace(/\{[^{}]*\}/g, (tok) => {
    const inner = tok.slice(1, -1)
    switch (inner) {
      case 'YYYY':
        return String(date.getFullYear())
      case 'YY':
        return pad(date.getFullYear() % 100, 2)
      case 'MM':
        return pad(date.getMonth() + 1, 2)
      case 'DD':
        return pad(date.getDate(), 2)
    }
    return /^0+$/.test(inner) ? pad(n, inner.length) : tok
  })
}

export interface DraftContext {
  /** Field names already on the object (a new field may not reuse them). */
  taken: string[]
  isNew: boolean
}

/** The problems the server would answer, found before sending. */
export function checkDraft(d: FieldDraft, ctx: DraftContext): DraftProblem[] {
  const out: DraftProblem[] = []
  if (ctx.isNew) {
    const p: ApiNameProblem | null = apiNameProblem(d.api_name.trim(), ctx.taken)
    if (p) out.push({ field: 'api_name', key: `apiName.${p.key}`, params: p.params })
  }
  if (!d.labels.en.trim() && !d.labels['zh-CN'].trim()) out.push({ field: 'labels', key: 'labelRequired' })
  if (isTextType(d.type)) {
    const max = TEXT_MAX[d.type] ?? 255
    if (d.max_length !== null && (d.max_length < 1 || d.max_length > max)) out.push({ field: 'max_length', key: 'maxLength', params: { max } })
    const effectiveMax = d.max_length ?? max
    if (d.min_length !== null && (d.min_length < 0 || d.min_length > effectiveMax)) out.push({ field: 'min_length', key: 'minLength' })
  }
  if (isNumericType(d.type)) {
    for (const k of ['min', 'max'] as const) {
      const v = d[k].trim()
      if (v && (!DECIMAL.test(v) || (d.type === 'integer' && v.includes('.')))) out.push({ field: k, key: d.type === 'integer' ? 'notInteger' : 'notDecimal' })
    }
    if (DECIMAL.test(d.min.trim()) && DECIMAL.test(d.max.trim()) && Number(d.min) > Number(d.max)) out.push({ field: 'max', key: 'minAboveMax' })
  }
  if (isDecimalType(d.type)) {
    if (d.precision !== null && (d.precision < 1 || d.precision > MAX_PRECISION)) out.push({ field: 'precision', key: 'precision', params: { max: MAX_PRECISION } })
    const precision = d.precision ?? DECIMAL_DEFAULTS[d.type]?.precision ?? 18
    if (d.scale !== null && (d.scale < 0 || d.scale > precision)) out.push({ field: 'scale', key: 'scale' })
  }
  if (d.type === 'currency') {
    if (d.currencyMode === 'code' && !CURRENCY.test(d.currency_code.trim().toUpperCase())) out.push({ field: 'currency_code', key: 'currencyCode' })
    if (d.currencyMode === 'field' && !d.currency_field) out.push({ field: 'currency_field', key: 'currencyField' })
  }
  if (hasOptions(d.type)) {
    if (!d.options.length) out.push({ field: 'options', key: 'optionsRequired' })
    const seen = new Set<string>()
    d.options.forEach((o, i) => {
      const name = o.api_name.trim()
      if (!OPTION_NAME.test(name)) out.push({ field: `options[${i}].api_name`, key: 'optionName' })
      else if (seen.has(name)) out.push({ field: `options[${i}].api_name`, key: 'optionTwice' })
      seen.add(name)
      if (o.color && !/^#[0-9a-fA-F]{6}$/.test(o.color)) out.push({ field: `options[${i}].color`, key: 'color' })
      if (d.pipeline) {
        if (o.probability === null) out.push({ field: `options[${i}].probability`, key: 'probabilityRequired' })
        else if (o.probability < 0 || o.probability > 100) out.push({ field: `options[${i}].probability`, key: 'probabilityRange' })
        if (!o.forecast_category) out.push({ field: `options[${i}].forecast_category`, key: 'forecastRequired' })
      }
    })
  }
  if (d.type === 'lookup') {
    if (!d.target) out.push({ field: 'target', key: 'targetRequired' })
    if (d.required && d.on_delete === 'set_null') out.push({ field: 'on_delete', key: 'requiredSetNull' })
  }
  if (d.type === 'auto_number') {
    const p = patternProblem(d.pattern.trim())
    if (p) out.push(p)
  }
  if (isFormulaDraft(d) && !d.formula.trim()) out.push({ field: 'formula', key: 'formulaRequired' })
  return out
}
