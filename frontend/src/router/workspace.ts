// Routes of the end-user workspace (children of the app shell).
import type { RouteRecordRaw } from 'vue-router'

export const workspaceRoutes: RouteRecordRaw[] = [
  { path: '', name: 'home', component: () => import('@/views/HomeView.vue') },
  { path: 'o/:object', name: 'object-list', component: () => import('@/views/ObjectListView.vue'), props: true },
  { path: 'o/:object/kanban', name: 'object-kanban', component: () => import('@/views/KanbanView.vue'), props: true },
  { path: 'o/:object/new', name: 'record-new', component: () => import('@/views/RecordFormView.vue'), props: true },
  { path: 'o/:object/:id', name: 'record', component: () => import('@/views/RecordView.vue'), props: true },
  { path: 'o/:object/:id/edit', name: 'record-edit', component: () => import('@/views/RecordFormView.vue'), props: true },
]
