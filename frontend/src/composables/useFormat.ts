// Field formatting bound to the signed-in user's locale and time zone.
import { computed } from 'vue'
import { useI18n } from 'vue-i18n'
import type { FieldMeta, Locale, RecordData } from '@/api/types'
import { formatValue, type FormatContext } from '@/fields/format'
import { useSessionStore } from '@/stores/session'
import { useUsersStore } from '@/stores/users'
import { useMetadataStore } from '@/stores/metadata'

export function useFormat() {
  const { t, locale } = useI18n()
  const session = useSessionStore()
  const users = useUsersStore()
  const meta = useMetadataStore()

  function userName(id: string): string {
    const u = users.find(id)
    if (u) return u.id === session.user?.id ? `${u.name}` : u.name
    return t('common.misc.unknownUser', { id: id.slice(-6) })
  }

  const context = computed<FormatContext>(() => ({
    locale: locale.value as Locale,
    timeZone: session.timeZone,
    userName,
    nameFieldOf: (o: string) => meta.object(o)?.name_field ?? 'name',
    yes: t('workspace.field.yes'),
    no: t('workspace.field.no'),
  }))

  function format(field: FieldMeta, value: unknown, record?: RecordData | null): string {
    return formatValue(field, value, { ...context.value, record })
  }

  return { context, format, userName }
}
