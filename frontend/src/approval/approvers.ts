// Approvers in words: "Submitter's manager", a user's name, "Role: Sales rep".
import type { OrgRole, UserSummary } from '@/api/types'

export interface ApproverContext {
  t: (key: string, params?: Record<string, unknown>) => string
  user: (id: string) => UserSummary | undefined
  roles: OrgRole[]
}

export function approverLabel(s: string, ctx: ApproverContext): string {
  if (s === 'manager') return ctx.t('approvals.approvers.manager')
  const colon = s.indexOf(':')
  const kind = s.slice(0, colon)
  const value = s.slice(colon + 1)
  if (kind === 'user') {
    const u = ctx.user(value)
    return u ? u.name || u.email : ctx.t('automation.recipients.unknownUser', { id: value.slice(0, 8) })
  }
  if (kind === 'role') {
    const r = ctx.roles.find((x) => x.api_name === value)
    return ctx.t('automation.recipients.roleOf', { role: r?.name || value })
  }
  return s
}

/** A user by id in words (name, else a short id). */
export function userName(id: string | null | undefined, find: (id: string) => UserSummary | undefined): string {
  if (!id) return ''
  const u = find(id)
  return u ? u.name || u.email : id.slice(0, 8)
}
