// The tools of Setup, in menu order, with the capabilities each needs (any
// of them; admins hold all). The menu, the overview cards and the router
// agree on these.
import type { Component } from 'vue'
import {
  Connection,
  Document,
  Files,
  Grid,
  Guide,
  Key,
  List,
  Lock,
  MagicStick,
  OfficeBuilding,
  Operation,
  Share,
  Stamp,
  User,
  UserFilled,
} from '@element-plus/icons-vue'

export interface SetupTool {
  key: string
  route: string
  /** i18n key of its name. */
  label: string
  icon: Component
  caps: string[]
}

export const SETUP_TOOLS: SetupTool[] = [
  { key: 'objects', route: 'admin-objects', label: 'admin.sections.objects', icon: Files, caps: ['manage_metadata'] },
  { key: 'pipelines', route: 'admin-pipelines', label: 'admin.sections.pipelines', icon: Guide, caps: ['manage_metadata'] },
  { key: 'layouts', route: 'admin-layouts', label: 'admin.sections.layouts', icon: Grid, caps: ['manage_metadata'] },
  { key: 'listViews', route: 'admin-list-views', label: 'admin.sections.listViews', icon: List, caps: ['manage_metadata'] },
  { key: 'workflows', route: 'admin-workflows', label: 'automation.sections.workflows', icon: MagicStick, caps: ['manage_metadata'] },
  { key: 'workflowRuns', route: 'admin-workflow-runs', label: 'automation.sections.workflowRuns', icon: Operation, caps: ['manage_metadata'] },
  { key: 'users', route: 'admin-users', label: 'admin.sections.users', icon: User, caps: ['manage_users'] },
  { key: 'roles', route: 'admin-roles', label: 'access.sections.roles', icon: UserFilled, caps: ['manage_users'] },
  { key: 'units', route: 'admin-units', label: 'access.sections.units', icon: Connection, caps: ['manage_users'] },
  { key: 'permissionSets', route: 'admin-permission-sets', label: 'access.sections.permissionSets', icon: Stamp, caps: ['manage_security'] },
  { key: 'sharing', route: 'admin-sharing', label: 'access.sections.sharing', icon: Share, caps: ['manage_security'] },
  { key: 'apiKeys', route: 'admin-api-keys', label: 'access.sections.apiKeys', icon: Key, caps: ['api', 'manage_users'] },
  { key: 'sso', route: 'admin-sso', label: 'access.sections.sso', icon: Lock, caps: ['manage_security'] },
  { key: 'audit', route: 'admin-audit', label: 'access.sections.audit', icon: Document, caps: ['view_audit'] },
  { key: 'company', route: 'admin-company', label: 'admin.sections.company', icon: OfficeBuilding, caps: ['manage_metadata'] },
]

export function visibleSetupTools(session: { hasCap: (c: string) => boolean }): SetupTool[] {
  return SETUP_TOOLS.filter((t) => t.caps.some((c) => session.hasCap(c)))
}
