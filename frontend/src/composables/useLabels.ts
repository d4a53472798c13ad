// Metadata labels in the current UI language.
import { computed } from 'vue'
import { useI18n } from 'vue-i18n'
import type { FieldMeta, Locale, ObjectMeta, OptionMeta } from '@/api/types'
import { fieldLabel, helpText, objectLabel, objectPluralLabel, optionLabel, pickLabel } from '@/metadata/labels'

export function useLabels() {
  const { locale } = useI18n()
  const current = computed(() => locale.value as Locale)
  return {
    locale: current,
    label: (labels: Parameters<typeof pickLabel>[0], fallback = '') => pickLabel(labels, current.value, fallback),
    objectLabel: (o: ObjectMeta) => objectLabel(o, current.value),
    objectPlural: (o: ObjectMeta) => objectPluralLabel(o, current.value),
    fieldLabel: (f: FieldMeta) => fieldLabel(f, current.value),
    optionLabel: (o: OptionMeta) => optionLabel(o, current.value),
    helpText: (f: FieldMeta) => helpText(f, current.value),
  }
}
