// "My API keys" in the user menu: offered to holders of the `api`
// capability, and its page opens for them without any setup capability.
import { describe, expect, it } from 'vitest'
import { normalisePermissions, PermissionView } from '@/access/permissions'
import { router, routeAllowed } from '@/router'
import { userMenuCommands } from './userMenu'

function session(caps: string[], role = 'member') {
  const p = new PermissionView(normalisePermissions({ capabilities: caps }), role)
  return { canOpenSetup: p.canOpenSetup, hasCap: (c: string) => p.hasCap(c) }
}

function allowed(name: string, s: ReturnType<typeof session>): boolean {
  return routeAllowed(router.resolve({ name }).matched.map((r) => r.meta), s)
}

describe('user menu', () => {
  it('offers API keys to holders of the api capability', () => {
    expect(userMenuCommands(session(['api']))).toEqual(['apiKeys', 'password', 'logout'])
    expect(userMenuCommands(session([], 'admin'))).toContain('apiKeys')
  })

  it('does not offer API keys without it', () => {
    expect(userMenuCommands(session([]))).toEqual(['password', 'logout'])
    expect(userMenuCommands(session(['manage_metadata', 'export']))).not.toContain('apiKeys')
  })
})

describe('API keys route', () => {
  it('lives outside Setup and admits an api holder without setup capabilities', () => {
    const r = router.resolve({ name: 'api-keys' })
    expect(r.path).toBe('/settings/api-keys')
    const apiOnly = session(['api'])
    expect(apiOnly.canOpenSetup).toBe(false)
    expect(allowed('api-keys', apiOnly)).toBe(true)
    // Setup's copy of the page still needs Setup.
    expect(allowed('admin-api-keys', apiOnly)).toBe(false)
  })

  it('uses the same page component as Setup → API keys', () => {
    const own = router.resolve({ name: 'api-keys' }).matched.at(-1)!.components!.default
    const setup = router.resolve({ name: 'admin-api-keys' }).matched.at(-1)!.components!.default
    expect(String(own)).toBe(String(setup))
  })

  it('stays closed to users without api or manage_users', () => {
    expect(allowed('api-keys', session([]))).toBe(false)
    expect(allowed('api-keys', session(['manage_users']))).toBe(true)
  })
})
