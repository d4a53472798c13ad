// Saved list views (private and shared) per object.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api, ApiError } from '@/api/client'
import type { SavedView, SavedViewInput } from '@/api/types'

export const useViewsStore = defineStore('views', () => {
  const byObject = ref<Record<string, SavedView[]>>({})
  /** False once the server answered that saved views do not exist (yet). */
  const available = ref(true)

  async function load(object: string): Promise<SavedView[]> {
    if (!available.value) return []
    try {
      const views = await api.views.list(object)
      byObject.value = { ...byObject.value, [object]: views }
      return views
    } catch (err) {
      if (err instanceof ApiError && err.isUnavailable) {
        available.value = false
        return []
      }
      throw err
    }
  }

  function list(object: string): SavedView[] {
    return byObject.value[object] ?? []
  }

  async function create(object: string, input: SavedViewInput): Promise<SavedView> {
    const view = await api.views.create(object, input)
    byObject.value = { ...byObject.value, [object]: [...list(object), view] }
    return view
  }

  async function update(object: string, id: string, input: SavedViewInput): Promise<SavedView> {
    const view = await api.views.update(object, id, input)
    byObject.value = { ...byObject.value, [object]: list(object).map((v) => (v.id === id ? view : v)) }
    return view
  }

  async function remove(object: string, id: string): Promise<void> {
    await api.views.remove(object, id)
    byObject.value = { ...byObject.value, [object]: list(object).filter((v) => v.id !== id) }
  }

  function reset(): void {
    byObject.value = {}
    available.value = true
  }

  return { byObject, available, load, list, create, update, remove, reset }
})
