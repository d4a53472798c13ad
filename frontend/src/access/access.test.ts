// Permission helpers, org trees, the permission set editor's model, the
// password policy, audit helpers and login messages.
import { describe, expect, it } from 'vitest'
import { normalisePermissions, PermissionView } from './permissions'
import { allowedParents, buildTree, descendants, pathOf } from './tree'
import { draftFromSet, emptyRow, setAction, setColumn, toPermissionSet } from './permsetDraft'
import { classCount, passwordProblems } from './password'
import { auditQuery, changedKeys, emptyAuditFilters, prettyJson } from './audit'
import { ssoErrorKey } from './login'
import { childSummary } from './transfer'
import { fallbackAccess } from './record'
import { routeAllowed } from '@/router'
import { visibleSetupTools } from '@/views/admin/setupTools'
import { lockoutMinutes } from '@/composables/useFeedback'

const rep = normalisePermissions({
  admin: false,
  capabilities: ['export', 'api'],
  objects: { account: { create: true, read: true, edit: true, delete: false }, product: { read: true }, lead: { view_all: true } },
  fields: { account: { annual_revenue: 'hidden', rating: 'read_only' } },
})

describe('PermissionView', () => {
  it('answers object actions, capabilities and field levels for a member', () => {
    const p = new PermissionView(rep, 'member')
    expect(p.can('account', 'read')).toBe(true)
    expect(p.can('account', 'delete')).toBe(false)
    expect(p.can('product', 'edit')).toBe(false)
    expect(p.can('opportunity', 'read')).toBe(false)
    expect(p.can('lead', 'read')).toBe(true) // view all implies read
    expect(p.hasCap('export')).toBe(true)
    expect(p.hasCap('manage_users')).toBe(false)
    expect(p.canOpenSetup).toBe(false)
    expect(p.fieldLevel('account', 'annual_revenue')).toBe('hidden')
    expect(p.fieldLevel('account', 'rating')).toBe('read_only')
    expect(p.fieldLevel('account', 'name')).toBe('editable')
  })

  it('gives admins everything and opens setup for any setup capability', () => {
    const admin = new PermissionView(normalisePermissions({ admin: true }), 'member')
    expect(admin.can('anything', 'delete')).toBe(true)
    expect(admin.hasCap('view_audit')).toBe(true)
    expect(admin.fieldLevel('account', 'annual_revenue')).toBe('editable')
    const auditor = new PermissionView(normalisePermissions({ capabilities: ['view_audit'] }), 'member')
    expect(auditor.canOpenSetup).toBe(true)
    expect(visibleSetupTools(auditor).map((t) => t.key)).toEqual(['audit'])
  })

  it('reads an older server without permissions the old way', () => {
    const member = new PermissionView(null, 'member')
    expect(member.reported).toBe(false)
    expect(member.can('account', 'delete')).toBe(true)
    expect(member.hasCap('manage_metadata')).toBe(false)
    expect(new PermissionView(null, 'admin').canOpenSetup).toBe(true)
  })

  it('guards routes by setup and page capabilities', () => {
    const p = new PermissionView(normalisePermissions({ capabilities: ['manage_users'] }), 'member')
    const s = { canOpenSetup: p.canOpenSetup, hasCap: (c: string) => p.hasCap(c) }
    expect(routeAllowed([{ admin: true }, { caps: ['manage_users'] }], s)).toBe(true)
    expect(routeAllowed([{ admin: true }, { caps: ['manage_security'] }], s)).toBe(false)
    const none = new PermissionView(rep, 'member')
    expect(routeAllowed([{ admin: true }], { canOpenSetup: none.canOpenSetup, hasCap: (c) => none.hasCap(c) })).toBe(false)
    expect(routeAllowed([{}], { canOpenSetup: false, hasCap: () => false })).toBe(true)
  })

  it('falls back to the permission sets when record access cannot be asked', () => {
    const p = new PermissionView(rep, 'member')
    const a = fallbackAccess('account', { can: (o, x) => p.can(o, x), isAdmin: p.isAdmin })
    expect(a).toEqual({ read: true, edit: true, delete: false, share: false, transfer: false })
  })
})

describe('org trees', () => {
  const roles = [
    { id: 'ceo', parent_id: null, name: 'CEO' },
    { id: 'vp', parent_id: 'ceo', name: 'VP' },
    { id: 'lead', parent_id: 'vp', name: 'Lead' },
    { id: 'rep', parent_id: 'lead', name: 'Rep' },
    { id: 'cfo', parent_id: 'ceo', name: 'CFO' },
    { id: 'orphan', parent_id: 'gone', name: 'Orphan' },
  ]

  it('nests children under parents and keeps orphans as roots', () => {
    const tree = buildTree(roles, (r) => r.name)
    expect(tree.map((n) => n.id)).toEqual(['ceo', 'orphan'])
    expect(tree[0].children?.map((n) => n.id)).toEqual(['cfo', 'vp'])
    expect(tree[0].children?.[1].children?.[0].children?.[0]).toMatchObject({ id: 'rep', depth: 3 })
  })

  it('never offers a descendant (or itself) as the new parent', () => {
    expect([...descendants(roles, 'vp')].sort()).toEqual(['lead', 'rep'])
    expect(allowedParents(roles, 'vp').map((r) => r.id)).toEqual(['ceo', 'cfo', 'orphan'])
    expect(allowedParents(roles, null)).toHaveLength(roles.length)
  })

  it('names a node by its path', () => {
    expect(pathOf(roles, 'rep', (r) => r.name)).toBe('CEO / VP / Lead / Rep')
    expect(pathOf([{ id: 'a', parent_id: 'a', name: 'A' }], 'a', (r) => r.name)).toBe('A')
  })
})

describe('permission set draft', () => {
  it('keeps rows consistent when an action is set or cleared', () => {
    expect(setAction(emptyRow(), 'delete', true)).toMatchObject({ read: true, edit: true, delete: true, modify_all: false })
    expect(setAction(emptyRow(), 'modify_all', true)).toEqual({ create: false, read: true, edit: true, delete: true, view_all: true, modify_all: true })
    const all = setAction(emptyRow(), 'modify_all', true)
    expect(setAction(all, 'read', false)).toEqual(emptyRow())
    expect(setAction(all, 'edit', false)).toMatchObject({ edit: false, delete: false, modify_all: false, view_all: true })
    const col = setColumn({ a: emptyRow(), b: emptyRow() }, 'create', true)
    expect(col.a.read && col.b.create).toBe(true)
  })

  it('round-trips a set and sends only granted objects and restricted fields', () => {
    const d = draftFromSet(
      {
        api_name: 'rep',
        name: 'Rep',
        capabilities: ['export'],
        objects: { account: { read: true, edit: true } },
        fields: { account: { annual_revenue: 'hidden' } },
      },
      ['account', 'contact'],
    )
    expect(Object.keys(d.objects).sort()).toEqual(['account', 'contact'])
    d.fields.contact = { phone: 'read_only', email: 'editable' }
    const out = toPermissionSet(d)
    expect(Object.keys(out.objects)).toEqual(['account'])
    expect(out.objects.account).toMatchObject({ read: true, edit: true, delete: false })
    expect(out.fields).toEqual({ account: { annual_revenue: 'hidden' }, contact: { phone: 'read_only' } })
    expect(out.capabilities).toEqual(['export'])
  })
})

describe('password policy', () => {
  const policy = { min_length: 10, classes: 3 }
  it('counts character classes and names what is missing', () => {
    expect(classCount('abcDEF123!')).toBe(4)
    expect(passwordProblems('Short1!', policy)).toEqual(['tooShort'])
    expect(passwordProblems('alllowercase', policy)).toEqual(['classes'])
    expect(passwordProblems('Zhangwei2025!', policy, 'zhangwei@demo.local')).toEqual(['emailName'])
    expect(passwordProblems('Correct-Horse-9', policy, 'rep@demo.local')).toEqual([])
  })
})

describe('audit', () => {
  it('builds the query from the filters, including the whole last day', () => {
    const f = { ...emptyAuditFilters(), action: ' update ', object: 'account', range: ['2026-01-01', '2026-01-31'] as [string, string] }
    expect(auditQuery(f, (d, end) => `${d}${end ? 'T23:59' : 'T00:00'}`)).toEqual({
      action: 'update',
      object: 'account',
      from: '2026-01-01T00:00',
      to: '2026-01-31T23:59',
    })
    expect(auditQuery(emptyAuditFilters(), () => '')).toEqual({})
  })

  it('shows before/after as JSON and lists the changed keys', () => {
    expect(prettyJson(null)).toBe('')
    expect(prettyJson('{"a":1}')).toBe('{\n  "a": 1\n}')
    expect(changedKeys({ a: 1, b: 2 }, { a: 1, b: 3, c: 4 })).toEqual(['b', 'c'])
    expect(changedKeys(null, '{"x":true}')).toEqual(['x'])
  })
})

describe('messages', () => {
  it('maps sso errors, lockout minutes and transfer children', () => {
    expect(ssoErrorKey('no_user')).toBe('access.login.ssoErrors.noUser')
    expect(ssoErrorKey('whatever')).toBeNull()
    expect(lockoutMinutes(840)).toBe(14)
    expect(lockoutMinutes(5)).toBe(1)
    expect(childSummary({ contact: 3, opportunity: 0, activity: 1 }, (o) => o)).toBe('3 contact, 1 activity')
  })
})
