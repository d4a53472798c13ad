// Routes of the admin area (/admin/*). Admin screens add their children
// here; every route below /admin requires the admin role.
import type { RouteRecordRaw } from 'vue-router'

export const adminRoutes: RouteRecordRaw[] = [
  {
    path: 'admin',
    meta: { admin: true, area: 'admin' },
    children: [{ path: '', name: 'admin-home', component: () => import('@/views/admin/AdminHome.vue') }],
  },
]
