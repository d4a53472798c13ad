// One object's metadata for a view, with fields looked up by name —
// including the system fields every record has (owner, created, modified).
import { computed, type Ref } from 'vue'
import { useI18n } from 'vue-i18n'
import type { FieldMeta, ObjectMeta } from '@/api/types'
import { useMetadataStore } from '@/stores/metadata'
import { activeFields } from '@/metadata/objects'
import { useSessionStore } from '@/stores/session'

/** The pseudo-type of owner_id / created_by / updated_by: a user id. */
export const USER_TARGET = '__user'

export function systemField(name: string, label: string): FieldMeta | undefined {
  const labels = { en: label, 'zh-CN': label }
  switch (name) {
    case 'owner_id':
    case 'created_by':
    case 'updated_by':
      return { api_name: name, type: 'lookup', target: USER_TARGET, labels, active: true, standard: true }
    case 'created_at':
    case 'updated_at':
      return { api_name: name, type: 'datetime', labels, active: true, standard: true }
    default:
      return undefined
  }
}

export function useObject(name: Ref<string>) {
  const meta = useMetadataStore()
  const { t } = useI18n()
  const session = useSessionStore()
  const object = computed<ObjectMeta | undefined>(() => meta.object(name.value))
  // Fields hidden from this user never show (the server leaves them out of
  // reads; metadata and layouts may still name them).
  const fields = computed(() =>
    object.value ? activeFields(object.value).filter((f) => session.fieldLevel(name.value, f.api_name) !== 'hidden') : [],
  )

  function field(apiName: string): FieldMeta | undefined {
    const own = fields.value.find((f) => f.api_name === apiName)
    if (own) return own
    if (['owner_id', 'created_at', 'created_by', 'updated_at', 'updated_by'].includes(apiName)) {
      return systemField(apiName, t(`workspace.system.${apiName}`))
    }
    return undefined
  }

  /** Fields of a one-hop path such as account_id.tier: [lookup, target field]. */
  function pathFields(path: string): [FieldMeta, FieldMeta] | undefined {
    const [head, tail] = path.split('.')
    const lookup = field(head)
    if (!tail || !lookup || lookup.type !== 'lookup' || !lookup.target) return undefined
    const target = meta.object(lookup.target)
    const f = target ? activeFields(target).find((x) => x.api_name === tail) : undefined
    return f ? [lookup, f] : undefined
  }

  return { object, fields, field, pathFields }
}
