// Forget everything of the previous session (after sign-out or expiry).
import { useSessionStore } from './session'
import { useMetadataStore } from './metadata'
import { useUsersStore } from './users'
import { useViewsStore } from './views'
import { useAdminUsersStore } from './adminUsers'
import { useOrgStore } from './org'
import { useNotificationsStore } from './notifications'
import { useApprovalsStore } from './approvals'
import { clearRecordCache } from '@/composables/useRecordCache'

export function resetSessionState(): void {
  useSessionStore().clear()
  useMetadataStore().reset()
  useUsersStore().reset()
  useViewsStore().reset()
  useAdminUsersStore().reset()
  useOrgStore().reset()
  useNotificationsStore().reset()
  useApprovalsStore().reset()
  clearRecordCache()
}
