// Routes of the end-user workspace (children of the app shell).
import type { RouteRecordRaw } from 'vue-router'

/** Who may open the API keys page: key users, and user managers (all keys). */
export const API_KEY_CAPS = ['api', 'manage_users']

export const workspaceRoutes: RouteRecordRaw[] = [
  { path: '', name: 'home', component: () => import('@/views/HomeView.vue') },
  { path: 'approvals', name: 'approvals', component: () => import('@/views/ApprovalsInboxView.vue') },
  { path: 'o/:object', name: 'object-list', component: () => import('@/views/ObjectListView.vue'), props: true },
  { path: 'o/:object/kanban', name: 'object-kanban', component: () => import('@/views/KanbanView.vue'), props: true },
  { path: 'o/:object/new', name: 'record-new', component: () => import('@/views/RecordFormView.vue'), props: true },
  { path: 'o/:object/:id', name: 'record', component: () => import('@/views/RecordView.vue'), props: true },
  { path: 'o/:object/:id/edit', name: 'record-edit', component: () => import('@/views/RecordFormView.vue'), props: true },
  // The user's own settings, opened from the user menu (outside Setup, so
  // the `api` capability alone is enough). Same page as Setup → API keys.
  {
    path: 'settings/api-keys',
    name: 'api-keys',
    meta: { caps: API_KEY_CAPS },
    component: () => import('@/views/admin/ApiKeysView.vue'),
  },
]
