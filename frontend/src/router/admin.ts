// Routes of the admin area (/admin/*). Every route below /admin requires the
// admin role. The setup frame (AdminLayout) holds the sub-navigation.
import type { RouteRecordRaw } from 'vue-router'

export const adminRoutes: RouteRecordRaw[] = [
  {
    path: 'admin',
    meta: { admin: true, area: 'admin' },
    component: () => import('@/views/admin/AdminLayout.vue'),
    children: [
      { path: '', name: 'admin-home', component: () => import('@/views/admin/AdminHome.vue') },
      { path: 'objects', name: 'admin-objects', component: () => import('@/views/admin/ObjectsView.vue') },
      {
        path: 'objects/:object',
        component: () => import('@/views/admin/ObjectAdminView.vue'),
        props: true,
        children: [
          { path: '', name: 'admin-object', component: () => import('@/views/admin/ObjectFieldsView.vue'), props: true },
          {
            path: 'details',
            name: 'admin-object-details',
            component: () => import('@/views/admin/ObjectDetailsView.vue'),
            props: true,
          },
          {
            path: 'pipelines/:field?',
            name: 'admin-object-pipelines',
            component: () => import('@/views/admin/ObjectPipelinesView.vue'),
            props: true,
          },
          {
            path: 'layouts/:layout?',
            name: 'admin-object-layouts',
            component: () => import('@/views/admin/ObjectLayoutsView.vue'),
            props: true,
          },
          {
            path: 'list-views/:view?',
            name: 'admin-object-list-views',
            component: () => import('@/views/admin/ObjectListViewsView.vue'),
            props: true,
          },
        ],
      },
      {
        path: 'pipelines',
        name: 'admin-pipelines',
        component: () => import('@/views/admin/ObjectPickerView.vue'),
        props: { tool: 'pipelines' },
      },
      {
        path: 'layouts',
        name: 'admin-layouts',
        component: () => import('@/views/admin/ObjectPickerView.vue'),
        props: { tool: 'layouts' },
      },
      {
        path: 'list-views',
        name: 'admin-list-views',
        component: () => import('@/views/admin/ObjectPickerView.vue'),
        props: { tool: 'listViews' },
      },
      { path: 'users', name: 'admin-users', component: () => import('@/views/admin/UsersView.vue') },
      { path: 'company', name: 'admin-company', component: () => import('@/views/admin/CompanyView.vue') },
    ],
  },
]
