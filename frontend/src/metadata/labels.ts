// Picking the label of metadata (objects, fields, options, sections) for the
// UI locale, with a fallback to the other locale and then to the api name.
import type { FieldMeta, Labels, Locale, ObjectMeta, OptionMeta } from '@/api/types'

export function pickLabel(labels: Labels | undefined | null, locale: Locale, fallback = ''): string {
  if (!labels) return fallback
  const other: Locale = locale === 'en' ? 'zh-CN' : 'en'
  return labels[locale] || labels[other] || fallback
}

export function objectLabel(obj: ObjectMeta, locale: Locale): string {
  return pickLabel(obj.labels, locale, obj.label || obj.api_name)
}

export function objectPluralLabel(obj: ObjectMeta, locale: Locale): string {
  return pickLabel(obj.plural_labels, locale, '') || objectLabel(obj, locale)
}

export function fieldLabel(field: FieldMeta, locale: Locale): string {
  return pickLabel(field.labels, locale, field.label || field.api_name)
}

export function optionLabel(option: OptionMeta, locale: Locale): string {
  return pickLabel(option.labels, locale, option.label || option.api_name)
}

export function helpText(field: FieldMeta, locale: Locale): string {
  return pickLabel(field.help_text, locale, '')
}
