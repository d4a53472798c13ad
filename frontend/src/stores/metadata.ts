// The tenant's object metadata, loaded once after sign-in and on demand
// when the server reports a newer metadata version.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api } from '@/api/client'
import type { ObjectMeta } from '@/api/types'

export const useMetadataStore = defineStore('metadata', () => {
  const objects = ref<ObjectMeta[]>([])
  const version = ref(0)
  const loaded = ref(false)
  let pending: Promise<void> | null = null

  const byName = computed(() => new Map(objects.value.map((o) => [o.api_name, o])))

  async function load(force = false): Promise<void> {
    if (loaded.value && !force) return
    if (pending) return pending
    pending = (async () => {
      try {
        const res = await api.meta.objects()
        objects.value = res.data
        version.value = res.version
        loaded.value = true
      } finally {
        pending = null
      }
    })()
    return pending
  }

  /** Fetches the metadata again after a change (setup saves call this), so every screen shows it at once. */
  async function reload(): Promise<void> {
    if (pending) await pending.catch(() => undefined)
    return load(true)
  }

  function object(name: string): ObjectMeta | undefined {
    return byName.value.get(name)
  }

  function reset(): void {
    objects.value = []
    version.value = 0
    loaded.value = false
  }

  return { objects, version, loaded, byName, load, reload, object, reset }
})
