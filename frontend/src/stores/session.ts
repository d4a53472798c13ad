// Who is signed in, to which tenant, in which language and time zone.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api, ApiError, setCsrfToken, setSessionActive } from '@/api/client'
import type { Capability, FieldLevel, Locale, ObjectAction, Permissions, TenantSummary, UserSummary } from '@/api/types'
import { normalisePermissions, PermissionView } from '@/access/permissions'
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
  const permissions = ref<Permissions | null>(null)
  /** Whether GET /auth/me was asked since the page loaded (or the last sign-out). */
  const checked = ref(false)

  const isAuthenticated = computed(() => !!user.value)
  const access = computed(() => new PermissionView(permissions.value, user.value?.role))
  const isAdmin = computed(() => access.value.isAdmin)
  const canOpenSetup = computed(() => access.value.canOpenSetup)

  /** May the user do this with records of the object (by permission sets; record access is per record). */
  function can(object: string, action: ObjectAction): boolean {
    return access.value.can(object, action)
  }

  function hasCap(cap: Capability | string): boolean {
    return access.value.hasCap(cap)
  }

  function fieldLevel(object: string, field: string): FieldLevel {
    return access.value.fieldLevel(object, field)
  }
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
    permissions.value = normalisePermissions(me.permissions)
    checked.value = true
    setSessionActive(true)
    applyLocale(preferredLocale())
  }

  /** Fetches the tenant's settings again (name, logo...) after they changed. */
  async function refreshTenant(): Promise<void> {
    if (!user.value || !tenant.value) return
    const t = await api.tenant.get().catch(() => null)
    if (t && tenant.value) tenant.value = { ...tenant.value, ...t }
  }

  /** After Setup saved the tenant's settings. */
  function setTenant(t: Partial<TenantSummary>): void {
    if (tenant.value) tenant.value = { ...tenant.value, ...t }
  }

  async function login(tenantKey: string, email: string, password: string, remember: boolean): Promise<void> {
    const res = await api.auth.login(tenantKey.trim(), email.trim(), password)
    setCsrfToken(res.csrf_token ?? null)
    setSessionActive(true)
    user.value = res.user
    tenant.value = res.tenant
    rememberTenant(remember ? tenantKey.trim() : null)
    await loadMe()
  }

  let restoring: Promise<boolean> | null = null

  /**
   * On startup (and after a reload): the session is an HTTP-only cookie the
   * app cannot see, so ask GET /auth/me once whether there is one.
   */
  async function restore(): Promise<boolean> {
    if (user.value) return true
    if (checked.value) return false
    if (restoring) return restoring
    restoring = (async () => {
      try {
        await loadMe()
        return true
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) {
          clear()
          return false
        }
        throw err
      } finally {
        restoring = null
      }
    })()
    return restoring
  }

  /** Forgets the session here (the cookie is the server's to end). */
  function clear(): void {
    setSessionActive(false)
    user.value = null
    tenant.value = null
    permissions.value = null
    checked.value = true
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

  return {
    user,
    tenant,
    permissions,
    checked,
    access,
    isAuthenticated,
    isAdmin,
    canOpenSetup,
    can,
    hasCap,
    fieldLevel,
    timeZone,
    login,
    restore,
    logout,
    clear,
    setLocale,
    loadMe,
    refreshTenant,
    setTenant,
  }
})
