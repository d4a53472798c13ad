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
    /** Admins only. */
    admin?: boolean
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
    if (to.name === 'login' && session.isAuthenticated && (await session.restore().catch(() => false))) {
      return typeof to.query.redirect === 'string' ? to.query.redirect : { name: 'home' }
    }
    return true
  }
  if (!session.isAuthenticated) {
    return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
  }
  const ok = await session.restore()
  if (!ok) return { name: 'login', query: { redirect: to.fullPath } }
  await useMetadataStore().load()
  if (to.matched.some((r) => r.meta.admin) && !session.isAdmin) return { name: 'home' }
  return true
})
