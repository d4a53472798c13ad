// Setup's user administration: the full list (with status), and the
// changes an admin makes. The workspace's user directory (stores/users) is
// reset after a change so owner names stay right.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api } from '@/api/client'
import type { AdminUser, NewUserInput, NewUserResult, UserPatch } from '@/api/types'
import { useUsersStore } from './users'

export const useAdminUsersStore = defineStore('adminUsers', () => {
  const users = ref<AdminUser[]>([])
  const loaded = ref(false)
  const loading = ref(false)

  async function load(): Promise<void> {
    loading.value = true
    try {
      users.value = await api.admin.users()
      loaded.value = true
    } finally {
      loading.value = false
    }
  }

  function replace(user: AdminUser): void {
    const i = users.value.findIndex((u) => u.id === user.id)
    if (i >= 0) users.value.splice(i, 1, user)
    else users.value.push(user)
    useUsersStore().reset()
  }

  async function create(input: NewUserInput): Promise<NewUserResult> {
    const res = await api.admin.createUser(input)
    replace(res.user)
    return res
  }

  async function update(id: string, patch: UserPatch): Promise<AdminUser> {
    const user = await api.admin.updateUser(id, patch)
    replace(user)
    return user
  }

  async function resetPassword(id: string): Promise<string | undefined> {
    return (await api.admin.resetPassword(id)).password
  }

  function reset(): void {
    users.value = []
    loaded.value = false
  }

  return { users, loaded, loading, load, create, update, resetPassword, reset }
})
