// Who is signed in, to which tenant, in which language and time zone.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api, ApiError, getToken, setToken } from '@/api/client'
import type { Locale, TenantSummary, UserSummary } from '@/api/types'
import { applyLocale, browserLocale, currentLocale, isLocale, storedLocale, toLocale } from '@/i18n'
import { isValidTimeZone } from '@/fields/datetime'

const TENANT_KEY = 'tessera.tenantKey'

export function rememberedTenant(): string {
  try {
    return localStorage.getItem(TENANT_KEY) ?? ''
  } catch {
    return ''
  }
}

function rememberTenant(key: string | null): void {
  try {
    if (key) localStorage.setItem(TENANT_KEY, key)
    else localStorage.removeItem(TENANT_KEY)
  } catch {
    // nothing to do without storage
  }
}

export const useSessionStore = defineStore('session', () => {
  const user = ref<UserSummary | null>(null)
  const tenant = ref<TenantSummary | null>(null)
  const token = ref<string | null>(getToken())

  const isAuthenticated = computed(() => !!token.value)
  const isAdmin = computed(() => user.value?.role === 'admin')
  const timeZone = computed(() => {
    if (isValidTimeZone(user.value?.time_zone)) return user.value!.time_zone as string
    if (isValidTimeZone(tenant.value?.time_zone)) return tenant.value!.time_zone as string
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
  })

  /** The user's saved language, else the tenant's, else this browser's. */
  function preferredLocale(): Locale {
    return toLocale(user.value?.locale) ?? toLocale(tenant.value?.locale) ?? storedLocale() ?? browserLocale()
  }

  async function loadMe(): Promise<void> {
    const me = await api.auth.me()
    user.value = me.user
    tenant.value = me.tenant
    applyLocale(preferredLocale())
  }

  /** Fetches the tenant's settings again (name, logo...) after they changed. */
  async function refreshTenant(): Promise<void> {
    if (!token.value || !tenant.value) return
    const t = await api.tenant.get().catch(() => null)
    if (t && tenant.value) tenant.value = { ...tenant.value, ...t }
  }

  /** After Setup saved the tenant's settings. */
  function setTenant(t: Partial<TenantSummary>): void {
    if (tenant.value) tenant.value = { ...tenant.value, ...t }
  }

  async function login(tenantKey: string, email: string, password: string, remember: boolean): Promise<void> {
    const res = await api.auth.login(tenantKey.trim(), email.trim(), password)
    setToken(res.token)
    token.value = res.token
    user.value = res.user
    tenant.value = res.tenant
    rememberTenant(remember ? tenantKey.trim() : null)
    await loadMe()
  }

  /** After a reload: the token is still in sessionStorage, fetch who we are. */
  async function restore(): Promise<boolean> {
    if (!token.value) return false
    if (user.value) return true
    try {
      await loadMe()
      return true
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        clear()
        return false
      }
      throw err
    }
  }

  function clear(): void {
    setToken(null)
    token.value = null
    user.value = null
    tenant.value = null
  }

  async function logout(): Promise<void> {
    try {
      await api.auth.logout()
    } catch {
      // the token is dropped here whatever the server says
    }
    clear()
  }

  /**
   * Switches the language now and saves it on the user (PATCH /auth/me).
   * Returns false when the server could not keep it (it stays on this device).
   */
  async function setLocale(locale: Locale): Promise<boolean> {
    if (!isLocale(locale) || locale === currentLocale()) return true
    applyLocale(locale)
    if (!user.value) return true
    user.value = { ...user.value, locale }
    try {
      const me = await api.auth.updateMe({ locale })
      user.value = me.user
      if (me.tenant) tenant.value = me.tenant
      return true
    } catch {
      return false
    }
  }

  return { user, tenant, token, isAuthenticated, isAdmin, timeZone, login, restore, logout, clear, setLocale, loadMe, refreshTenant, setTenant }
})
