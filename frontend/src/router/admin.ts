// Routes of the admin area (/admin/*). /admin opens to holders of any setup
// capability; each page names the capabilities it needs in `caps`. The setup
// frame (AdminLayout) holds the sub-navigation. Every page is lazy-loaded.
import type { RouteRecordRaw } from 'vue-router'
import { API_KEY_CAPS } from './workspace'

const META = ['manage_metadata']
const USERS = ['manage_users']
const SECURITY = ['manage_security']

export const adminRoutes: RouteRecordRaw[] = [
  {
    path: 'admin',
    meta: { admin: true, area: 'admin' },
    component: () => import('@/views/admin/AdminLayout.vue'),
    children: [
      { path: '', name: 'admin-home', component: () => import('@/views/admin/AdminHome.vue') },
      { path: 'objects', name: 'admin-objects', meta: { caps: META }, component: () => import('@/views/admin/ObjectsView.vue') },
      {
        path: 'objects/:object',
        component: () => import('@/views/admin/ObjectAdminView.vue'),
        props: true,
        meta: { caps: META },
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
          {
            path: 'validation-rules',
            name: 'admin-object-validation-rules',
            component: () => import('@/views/admin/ObjectValidationRulesView.vue'),
            props: true,
          },
          {
            path: 'workflows',
            name: 'admin-object-workflows',
            component: () => import('@/views/admin/ObjectWorkflowsView.vue'),
            props: true,
          },
          {
            path: 'approval-processes',
            name: 'admin-object-approval-processes',
            component: () => import('@/views/admin/ObjectApprovalProcessesView.vue'),
            props: true,
          },
        ],
      },
      {
        path: 'pipelines',
        name: 'admin-pipelines',
        component: () => import('@/views/admin/ObjectPickerView.vue'),
        props: { tool: 'pipelines' },
        meta: { caps: META },
      },
      {
        path: 'layouts',
        name: 'admin-layouts',
        component: () => import('@/views/admin/ObjectPickerView.vue'),
        props: { tool: 'layouts' },
        meta: { caps: META },
      },
      {
        path: 'list-views',
        name: 'admin-list-views',
        component: () => import('@/views/admin/ObjectPickerView.vue'),
        props: { tool: 'listViews' },
        meta: { caps: META },
      },
      {
        path: 'workflows',
        name: 'admin-workflows',
        component: () => import('@/views/admin/ObjectPickerView.vue'),
        props: { tool: 'workflows' },
        meta: { caps: META },
      },
      {
        path: 'workflow-runs',
        name: 'admin-workflow-runs',
        component: () => import('@/views/admin/WorkflowRunsView.vue'),
        meta: { caps: META },
      },
      { path: 'users', name: 'admin-users', meta: { caps: USERS }, component: () => import('@/views/admin/UsersView.vue') },
      {
        path: 'roles',
        name: 'admin-roles',
        meta: { caps: USERS },
        component: () => import('@/views/admin/OrgTreeView.vue'),
        props: { kind: 'roles' },
      },
      {
        path: 'units',
        name: 'admin-units',
        meta: { caps: USERS },
        component: () => import('@/views/admin/OrgTreeView.vue'),
        props: { kind: 'units' },
      },
      {
        path: 'permission-sets',
        name: 'admin-permission-sets',
        meta: { caps: SECURITY },
        component: () => import('@/views/admin/PermissionSetsView.vue'),
      },
      {
        path: 'permission-sets/:name',
        name: 'admin-permission-set',
        meta: { caps: SECURITY },
        component: () => import('@/views/admin/PermissionSetEditView.vue'),
        props: true,
      },
      {
        path: 'sharing/:object?',
        name: 'admin-sharing',
        meta: { caps: SECURITY },
        component: () => import('@/views/admin/SharingView.vue'),
        props: true,
      },
      { path: 'api-keys', name: 'admin-api-keys', meta: { caps: API_KEY_CAPS }, component: () => import('@/views/admin/ApiKeysView.vue') },
      { path: 'sso', name: 'admin-sso', meta: { caps: SECURITY }, component: () => import('@/views/admin/SsoView.vue') },
      { path: 'audit', name: 'admin-audit', meta: { caps: ['view_audit'] }, component: () => import('@/views/admin/AuditView.vue') },
      { path: 'company', name: 'admin-company', meta: { caps: META }, component: () => import('@/views/admin/CompanyView.vue') },
    ],
  },
]
