// A directory of the tenant's users, to show owners by name. The list is an
// admin endpoint today: for members (or older servers) it is unavailable and
// owners other than the signed-in user show a short id.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api } from '@/api/client'
import type { UserSummary } from '@/api/types'
import { useSessionStore } from './session'

export const useUsersStore = defineStore('users', () => {
  const users = ref<Map<string, UserSummary>>(new Map())
  const available = ref(true)
  let pending: Promise<void> | null = null
  let loaded = false

  async function load(): Promise<void> {
    if (loaded) return
    if (pending) return pending
    pending = (async () => {
      try {
        const list = await api.users.list()
        users.value = new Map(list.map((u) => [u.id, u]))
        available.value = true
      } catch {
        available.value = false
      } finally {
        loaded = true
        pending = null
      }
    })()
    return pending
  }

  function find(id: string | null | undefined): UserSummary | undefined {
    if (!id) return undefined
    const session = useSessionStore()
    if (session.user?.id === id) return session.user
    return users.value.get(id)
  }

  function list(): UserSummary[] {
    return [...users.value.values()].filter((u) => (u as UserSummary & { status?: string }).status !== 'disabled')
  }

  function reset(): void {
    users.value = new Map()
    loaded = false
    available.value = true
  }

  return { users, available, load, find, list, reset }
})
