// The signed-in user's in-app notifications: the unread count the bell
// shows (polled by the bell), and the latest notifications its panel lists.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api, ApiError } from '@/api/client'
import type { AppNotification } from '@/api/types'

export const useNotificationsStore = defineStore('notifications', () => {
  const items = ref<AppNotification[]>([])
  const unread = ref(0)
  /** Whether `items` holds the latest list (false until the panel first loads it). */
  const listed = ref(false)
  const loading = ref(false)
  const failed = ref(false)
  /** False when this server has no notifications yet (the bell hides). */
  const available = ref(true)
  let counting: Promise<void> | null = null

  function note(err: unknown): void {
    if (err instanceof ApiError && err.isUnavailable && err.code !== 'unknown_object') available.value = false
  }

  /** The unread count (GET ?unread=true); when it moved, the list is stale. */
  async function refreshCount(): Promise<void> {
    if (counting) return counting
    counting = (async () => {
      try {
        const res = await api.notifications.list(true)
        if (res.unread !== unread.value) listed.value = false
        unread.value = res.unread
        available.value = true
      } catch (err) {
        note(err)
      } finally {
        counting = null
      }
    })()
    return counting
  }

  /** The latest notifications, read and unread, newest first. */
  async function loadList(): Promise<void> {
    loading.value = true
    try {
      const res = await api.notifications.list(false)
      items.value = res.data
      unread.value = res.unread
      listed.value = true
      failed.value = false
    } catch (err) {
      failed.value = true
      note(err)
    } finally {
      loading.value = false
    }
  }

  /** Marks some read here at once, then on the server. */
  async function markRead(ids: string[]): Promise<void> {
    const fresh = items.value.filter((n) => ids.includes(n.id) && !n.read_at)
    if (!fresh.length) return
    const now = new Date().toISOString()
    items.value = items.value.map((n) => (ids.includes(n.id) && !n.read_at ? { ...n, read_at: now } : n))
    unread.value = Math.max(0, unread.value - fresh.length)
    await api.notifications.markRead({ ids: fresh.map((n) => n.id) })
  }

  async function markAllRead(): Promise<void> {
    const now = new Date().toISOString()
    items.value = items.value.map((n) => (n.read_at ? n : { ...n, read_at: now }))
    unread.value = 0
    await api.notifications.markRead({ all: true })
  }

  function reset(): void {
    items.value = []
    unread.value = 0
    listed.value = false
    failed.value = false
    available.value = true
  }

  return { items, unread, listed, loading, failed, available, refreshCount, loadList, markRead, markAllRead, reset }
})
