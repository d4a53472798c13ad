// The signed-in user's approvals inbox: the pending tasks the inbox page
// lists and the navigation counts. Loaded on demand (the navigation asks
// when the app opens and whenever the bell's unread count moves).
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api, ApiError } from '@/api/client'
import type { ApprovalInboxItem } from '@/api/types'

export const useApprovalsStore = defineStore('approvals', () => {
  const items = ref<ApprovalInboxItem[]>([])
  const loading = ref(false)
  const loaded = ref(false)
  const failed = ref(false)
  /** False when this server has no approvals (the navigation hides the entry). */
  const available = ref(true)
  let pending: Promise<void> | null = null

  const count = computed(() => items.value.length)

  async function load(): Promise<void> {
    if (pending) return pending
    loading.value = true
    pending = (async () => {
      try {
        items.value = await api.approvals.inbox()
        loaded.value = true
        failed.value = false
        available.value = true
      } catch (err) {
        failed.value = true
        if (err instanceof ApiError && err.isUnavailable) available.value = false
      } finally {
        loading.value = false
        pending = null
      }
    })()
    return pending
  }

  /** A task answered here leaves the list at once. */
  function drop(approvalId: string): void {
    items.value = items.value.filter((i) => i.approval.id !== approvalId)
  }

  function reset(): void {
    items.value = []
    loaded.value = false
    failed.value = false
    available.value = true
  }

  return { items, loading, loaded, failed, available, count, load, drop, reset }
})
