import { createRouter, createWebHistory } from 'vue-router'
import AppShell from '@/components/layout/AppShell.vue'
import { useSessionStore } from '@/stores/session'
import { useMetadataStore } from '@/stores/metadata'
import { workspaceRoutes } from './workspace'
import { adminRoutes } from './admin'

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without signing in. */
    public?: boolean
    /** Setup: holders of any setup capability. */
    admin?: boolean
    /** The page needs one of these capabilities (admins hold all). */
    caps?: string[]
    area?: 'workspace' | 'admin'
  }
}

export const router = createRouter({
  history: createWebHistory('/'),
  routes: [
    { path: '/login', name: 'login', component: () => import('@/views/LoginView.vue'), meta: { public: true } },
    {
      path: '/',
      component: AppShell,
      children: [
        ...workspaceRoutes,
        ...adminRoutes,
        { path: ':pathMatch(.*)*', name: 'not-found', component: () => import('@/views/NotFoundView.vue') },
      ],
    },
  ],
  scrollBehavior(to, from, saved) {
    if (saved) return saved
    if (to.path !== from.path) return { top: 0 }
    return false
  },
})

router.beforeEach(async (to) => {
  const session = useSessionStore()
  if (to.meta.public) {
    // A session cookie from earlier (or from single sign-on) skips the form.
    if (to.name === 'login' && !to.query.sso_error && (await session.restore().catch(() => false))) {
      return typeof to.query.redirect === 'string' && to.query.redirect.startsWith('/') ? to.query.redirect : { name: 'home' }
    }
    return true
  }
  const ok = await session.restore().catch(() => false)
  if (!ok) return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
  await useMetadataStore().load()
  if (!routeAllowed(to.matched.map((r) => r.meta), session)) return { name: to.path.startsWith('/admin') && session.canOpenSetup ? 'admin-home' : 'home' }
  return true
})

/** Setup needs a setup capability; a page with `caps` needs one of them. */
export function routeAllowed(
  metas: { admin?: boolean; caps?: string[] }[],
  session: { canOpenSetup: boolean; hasCap: (c: string) => boolean },
): boolean {
  for (const m of metas) {
    if (m.admin && !session.canOpenSetup) return false
    if (m.caps?.length && !m.caps.some((c) => session.hasCap(c))) return false
  }
  return true
}
