import { describe, expect, it } from 'vitest'
import { i18n } from '@/i18n'
import type { ObjectMeta, OrgRole, UserSummary } from '@/api/types'
import { isValidRecipient, parseRecipient, recipientGroups, recipientLabel, recipientString, recipientsText } from './recipients'
import { translator } from './translate'

const deal: ObjectMeta = {
  api_name: 'deal',
  labels: { en: 'Deal' },
  name_field: 'name',
  fields: [
    { api_name: 'name', type: 'text', labels: { en: 'Name' } },
    { api_name: 'approver_id', type: 'lookup', target: 'user', labels: { en: 'Approver', 'zh-CN': '审批人' } },
    { api_name: 'account_id', type: 'lookup', target: 'account', labels: { en: 'Account' } },
  ],
}
const users: UserSummary[] = [
  { id: 'u2', name: 'Zhang Wei', email: 'zw@x.cn', role: 'member', status: 'active' },
  { id: 'u1', name: 'Anna', email: 'anna@x.cn', role: 'admin' },
  { id: 'u3', name: 'Gone', email: 'gone@x.cn', role: 'member', status: 'inactive' },
]
const roles: OrgRole[] = [{ id: 'r1', api_name: 'sales_rep', name: 'Sales rep', parent_id: null }]

function ctx(locale: 'en' | 'zh-CN' = 'en') {
  i18n.global.locale.value = locale
  return { t: translator(i18n.global.t), locale, object: deal, users: (id: string) => users.find((u) => u.id === id), roles }
}

describe('recipients', () => {
  it('parse and write the server forms', () => {
    expect(parseRecipient('owner')).toEqual({ kind: 'owner', value: '' })
    expect(parseRecipient('user:u1')).toEqual({ kind: 'user', value: 'u1' })
    expect(parseRecipient('role:sales_rep')).toEqual({ kind: 'role', value: 'sales_rep' })
    expect(parseRecipient('field:approver_id')).toEqual({ kind: 'field', value: 'approver_id' })
    expect(parseRecipient('user:')).toBeNull()
    expect(parseRecipient('team:x')).toBeNull()
    expect(parseRecipient('boss')).toBeNull()
    expect(recipientString({ kind: 'role', value: 'sales_rep' })).toBe('role:sales_rep')
    expect(recipientString({ kind: 'manager', value: '' })).toBe('manager')
  })

  it('accept user fields of the object only', () => {
    expect(isValidRecipient('field:approver_id', deal)).toBe(true)
    expect(isValidRecipient('field:account_id', deal)).toBe(false)
    expect(isValidRecipient('creator', deal)).toBe(true)
    expect(isValidRecipient('nobody', deal)).toBe(false)
  })

  it('are named in words', () => {
    expect(recipientsText(['owner', 'manager', 'user:u1', 'role:sales_rep', 'field:approver_id', 'user:zzzzzzzzzz'], ctx())).toBe(
      'Record owner, Owner’s manager, Anna, Role: Sales rep, User in Approver, User zzzzzzzz',
    )
    expect(recipientLabel('manager', ctx('zh-CN'))).toBe('负责人的上级')
    expect(recipientsText(['owner', 'field:approver_id'], ctx('zh-CN'))).toBe('记录负责人、「审批人」中的用户')
    i18n.global.locale.value = 'en'
  })

  it('are offered in groups: the record’s people, active users by name, roles', () => {
    const groups = recipientGroups({ ...ctx(), userList: users })
    expect(groups.map((g) => g.key)).toEqual(['record', 'users', 'roles'])
    expect(groups[0].options.map((o) => o.value)).toEqual(['owner', 'manager', 'creator', 'field:approver_id'])
    expect(groups[1].options.map((o) => o.value)).toEqual(['user:u1', 'user:u2'])
    expect(groups[2].options).toEqual([{ value: 'role:sales_rep', label: 'Sales rep', hint: 'sales_rep' }])
  })
})
