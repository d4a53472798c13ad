// Who a notify or email action tells (metadata/workflow.go validRecipient):
// "owner", "manager" (the owner's), "creator", "field:<user lookup>",
// "user:<id>" or "role:<role api name>". The picker offers them in groups
// and the list and log name them.
import type { FieldMeta, Locale, ObjectMeta, OrgRole, UserSummary } from '@/api/types'
import { fieldLabel } from '@/metadata/labels'
import { activeFields, findField } from '@/metadata/objects'
import type { Translate } from './translate'

export type RecipientKind = 'owner' | 'manager' | 'creator' | 'field' | 'user' | 'role'

export interface Recipient {
  kind: RecipientKind
  /** The field, user id or role api name; "" for owner, manager and creator. */
  value: string
}

export const RELATIVE_RECIPIENTS = ['owner', 'manager', 'creator'] as const

/** Reads a recipient; null for what the server would refuse. */
export function parseRecipient(s: string): Recipient | null {
  if (s === 'owner' || s === 'manager' || s === 'creator') return { kind: s, value: '' }
  const colon = s.indexOf(':')
  if (colon < 0) return null
  const kind = s.slice(0, colon)
  const value = s.slice(colon + 1)
  if (!value || (kind !== 'field' && kind !== 'user' && kind !== 'role')) return null
  return { kind, value }
}

export function recipientString(r: Recipient): string {
  return r.value ? `${r.kind}:${r.value}` : r.kind
}

/** Lookups of the object that hold a user: their user is a possible recipient. */
export function userFields(obj: ObjectMeta | undefined): FieldMeta[] {
  return obj ? activeFields(obj).filter((f) => f.type === 'lookup' && f.target === 'user') : []
}

/** Whether the server would accept the recipient on this object. */
export function isValidRecipient(s: string, obj: ObjectMeta | undefined): boolean {
  const r = parseRecipient(s)
  if (!r) return false
  if (r.kind !== 'field') return true
  return userFields(obj).some((f) => f.api_name === r.value)
}

export interface RecipientContext {
  t: Translate
  locale: Locale
  object?: ObjectMeta
  users?: (id: string) => UserSummary | undefined
  roles?: OrgRole[]
}

/** A recipient in words: "Record owner", "Owner's manager", "张伟", "Role: Sales rep". */
export function recipientLabel(s: string, ctx: RecipientContext): string {
  const r = parseRecipient(s)
  if (!r) return s
  switch (r.kind) {
    case 'owner':
    case 'manager':
    case 'creator':
      return ctx.t(`automation.recipients.${r.kind}`)
    case 'field': {
      const f = ctx.object ? findField(ctx.object, r.value) : undefined
      return ctx.t('automation.recipients.fieldUser', { field: f ? fieldLabel(f, ctx.locale) : r.value })
    }
    case 'user': {
      const u = ctx.users?.(r.value)
      return u ? u.name || u.email : ctx.t('automation.recipients.unknownUser', { id: r.value.slice(0, 8) })
    }
    case 'role': {
      const role = ctx.roles?.find((x) => x.api_name === r.value)
      return ctx.t('automation.recipients.roleOf', { role: role?.name || r.value })
    }
  }
}

/** The recipients of an action in words, in the order given. */
export function recipientsText(list: string[] | undefined, ctx: RecipientContext): string {
  return (list ?? []).map((s) => recipientLabel(s, ctx)).join(ctx.t('automation.units.listSeparator'))
}

export interface RecipientOption {
  value: string
  label: string
  /** Emails, role api names: shown beside the label and searched. */
  hint?: string
}

export interface RecipientGroup {
  key: 'record' | 'users' | 'roles'
  label: string
  options: RecipientOption[]
}

/** What the picker offers: people related to the record, then users, then roles. */
export function recipientGroups(ctx: RecipientContext & { userList: UserSummary[] }): RecipientGroup[] {
  const record: RecipientOption[] = [
    ...RELATIVE_RECIPIENTS.map((k) => ({ value: k, label: ctx.t(`automation.recipients.${k}`) })),
    ...userFields(ctx.object).map((f) => ({ value: `field:${f.api_name}`, label: ctx.t('automation.recipients.fieldUser', { field: fieldLabel(f, ctx.locale) }) })),
  ]
  const users = ctx.userList
    .filter((u) => u.status === undefined || u.status === 'active')
    .map((u) => ({ value: `user:${u.id}`, label: u.name || u.email, hint: u.email }))
    .sort((a, b) => a.label.localeCompare(b.label, ctx.locale))
  const roles = (ctx.roles ?? []).map((r) => ({ value: `role:${r.api_name}`, label: r.name, hint: r.api_name }))
  return [
    { key: 'record' as const, label: ctx.t('automation.recipients.groups.record'), options: record },
    { key: 'users' as const, label: ctx.t('automation.recipients.groups.users'), options: users },
    { key: 'roles' as const, label: ctx.t('automation.recipients.groups.roles'), options: roles },
  ].filter((g) => g.options.length > 0)
}
