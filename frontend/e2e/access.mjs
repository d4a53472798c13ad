// End-to-end scenario of permissions against the real Tessera server: an
// admin creates a role and a permission set (account read/create/edit with
// one hidden field) in setup, then a sales rep user with them; the rep signs
// in with the cookie session (HttpOnly) and sees only their own accounts,
// and not the hidden field on the record page. Checked through the API
// (token-mode admin) and the rep's own cookie session.
//
// Registered by e2e/run.mjs (one server, the admin's signed-in page):
//   ;(await import('./access.mjs')).accessScenarios({ page: () => page, base: () => base, api, shot, toast, password })
import { test, after } from 'node:test'
import assert from 'node:assert/strict'

const STAMP = Date.now().toString(36)

export function accessScenarios(ctx) {
  const page = () => ctx.page()
  const url = (path) => `${ctx.base()}${path.replace(/^\//, '')}`
  const { api, toast } = ctx
  const roleName = `E2E Rep ${STAMP}`
  const roleApi = `e2e_rep_${STAMP}`
  const setApi = `e2e_reps_${STAMP}`
  const repEmail = `rep.${STAMP}@demo.local`
  const repPassword = 'Rep-e2e-Pass-2027!'
  const hidden = 'annual_revenue'
  let repBrowser
  let repContext
  let repId
  let ownAccountName
  let ownAccountId
  let otherAccount

  async function option(text) {
    const o = page().locator('.el-select-dropdown__item:visible', { hasText: text }).first()
    await o.waitFor({ state: 'visible' })
    await o.click()
  }

  after(async () => {
    await repContext?.close().catch(() => {})
    await repBrowser?.close().catch(() => {})
  })

  test('access: admin creates a role in setup', async () => {
    await page().goto(url('/admin/roles'))
    await page().click('[data-testid=new-roles]')
    const dialog = page().locator('[data-testid=org-dialog]')
    await dialog.waitFor()
    await page().fill('#org-name', roleName)
    await page().fill('#org-api-name', roleApi)
    await page().click('[data-testid=org-save]')
    await dialog.waitFor({ state: 'hidden' })
    await page().locator(`[data-org-node="${roleName}"]`).waitFor()
    const roles = await api('GET', '/org/roles')
    assert.ok(roles.data.some((r) => r.api_name === roleApi && r.name === roleName), 'the role is saved')
  })

  test('access: admin creates a permission set with a hidden field', async () => {
    await page().goto(url('/admin/permission-sets'))
    await page().click('[data-testid=new-permission-set]')
    await page().fill('#ps-name', `E2E reps ${STAMP}`)
    await page().fill('#ps-api-name', setApi)
    await page().click('[data-testid=permission-set-create]')
    await page().waitForURL(new RegExp(`/admin/permission-sets/${setApi}$`))
    const matrix = page().locator('[data-testid=permission-matrix]')
    await matrix.waitFor()
    // Account: create and edit (edit implies read).
    await matrix.locator('tr[data-object=account] [data-action=create]').click()
    await matrix.locator('tr[data-object=account] [data-action=edit]').click()
    // Fields: annual revenue hidden.
    await page().locator('.ps-tabs .el-tabs__item', { hasText: /Fields|字段/ }).click()
    await page().locator('[data-testid=permission-field-object]').click()
    await option(/^(Account|客户)/)
    await page().locator(`[data-level-field=${hidden}] [data-level=hidden]`).click()
    await page().click('[data-testid=permission-set-save]')
    await toast(`E2E reps ${STAMP}`)
    const set = await api('GET', `/permission-sets/${setApi}`)
    assert.equal(set.objects.account.read, true)
    assert.equal(set.objects.account.edit, true)
    assert.equal(set.objects.account.delete, false)
    assert.equal(set.fields.account?.[hidden], 'hidden')
  })

  test('access: admin creates a rep user with the role and the set', async () => {
    await page().goto(url('/admin/users'))
    await page().click('[data-testid=new-user]')
    const dialog = page().locator('[data-testid=user-create-dialog]')
    await dialog.waitFor()
    await page().fill('#user-name', `E2E Rep ${STAMP}`)
    await page().fill('#user-email', repEmail)
    await page().locator('[data-testid=user-role-id]').click()
    await option(roleName)
    await page().locator('[data-testid=user-permission-sets]').click()
    await option(`E2E reps ${STAMP}`)
    await page().click('#user-email') // closes the multi-select dropdown (Escape would close the dialog)
    await dialog.locator('.el-radio:has(input[value="set"])').click()
    await page().fill('#user-password', repPassword)
    await page().click('[data-testid=user-create-submit]')
    await dialog.waitFor({ state: 'hidden' })
    const users = await api('GET', '/users')
    const rep = users.data.find((u) => u.email === repEmail)
    assert.ok(rep, 'the user exists')
    repId = rep.id
    const role = (await api('GET', '/org/roles')).data.find((r) => r.api_name === roleApi)
    assert.equal(rep.role_id, role.id, 'the user has the role')
    assert.deepEqual(rep.permission_sets, [setApi], 'the user has exactly the chosen set')

    // One account for the rep; another user's account must stay out of sight.
    ownAccountName = `E2E Rep account ${STAMP}`
    const own = await api('POST', '/records/account', { name: ownAccountName, owner_id: repId, [hidden]: '1000000.00' })
    ownAccountId = own.id
    const others = await api('GET', `/records/account?limit=1&filter=${encodeURIComponent(`owner_id != "${repId}"`)}`)
    otherAccount = others.data[0]
    assert.ok(otherAccount, 'another user owns an account')
  })

  test('access: the rep signs in with an HttpOnly cookie and sees only their own accounts', async () => {
    const { chromium } = await import('playwright-core')
    repBrowser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    })
    repContext = await repBrowser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US', timezoneId: 'Asia/Shanghai' })
    const rp = await repContext.newPage()
    rp.setDefaultTimeout(15_000)
    rp.on('pageerror', (e) => console.log('# rep page error:', e.message))
    await rp.goto(url('/login'))
    await rp.fill('#login-tenant', 'demo')
    await rp.fill('#login-email', repEmail)
    await rp.fill('#login-password', repPassword)
    await rp.click('[data-testid=login-submit]')
    await rp.waitForURL((u) => !u.pathname.startsWith('/login'))

    const cookies = await repContext.cookies()
    const session = cookies.find((c) => c.name === 'tessera_session')
    const csrf = cookies.find((c) => c.name === 'tessera_csrf')
    assert.ok(session, 'the session cookie is set')
    assert.equal(session.httpOnly, true, 'the session cookie is HttpOnly')
    assert.ok(csrf && !csrf.httpOnly, 'the CSRF cookie is readable')
    assert.equal(await rp.evaluate(() => sessionStorage.getItem('tessera.token')), null, 'no token in storage')

    // No setup for a rep, and only readable objects in the navigation.
    assert.equal(await rp.locator('.side-nav-item[data-nav=admin]').count(), 0)
    await rp.locator('.side-nav-item[data-object=account]').waitFor()

    await rp.goto(url('/o/account'))
    await rp.locator('[data-testid=list-total]').waitFor()
    const names = await rp.locator('[data-testid=record-table] .record-table-name').allInnerTexts()
    assert.ok(names.map((n) => n.trim()).includes(ownAccountName), 'the rep sees their own account')
    assert.ok(!names.map((n) => n.trim()).includes(otherAccount.name), 'another user’s account is absent')
    const total = Number((await rp.locator('[data-testid=list-total]').innerText()).replace(/\D+/g, ''))
    assert.equal(total, 1, 'only the rep’s own account is listed')
    // Not allowed to delete accounts: no bulk delete; no export without the capability.
    assert.equal(await rp.locator('[data-testid=export]').count(), 0)
    await ctx.shot?.('access-rep-list')

    // The other account is not disclosed (404), through the rep's cookie session.
    const res = await rp.request.get(url(`/api/v1/records/account/${otherAccount.id}`))
    assert.equal(res.status(), 404)
  })

  test('access: the hidden field is not on the rep’s record page', async () => {
    const rp = repContext.pages()[0]
    await rp.goto(url(`/o/account/${ownAccountId}`))
    await rp.locator('[data-testid=record-name]', { hasText: ownAccountName }).waitFor()
    await rp.locator('.inline-field').first().waitFor()
    assert.equal(await rp.locator(`.inline-field[data-field=${hidden}]`).count(), 0, 'the hidden field is not shown')
    assert.equal(await rp.locator('[data-testid=record-delete]').count(), 0, 'no delete without the permission')
    const rec = await (await rp.request.get(url(`/api/v1/records/account/${ownAccountId}`))).json()
    assert.equal(rec.name, ownAccountName)
    assert.ok(!(hidden in rec), 'the server leaves the hidden field out')
    // A write from the cookie session needs the CSRF header: without it, 403 csrf_failed.
    const bad = await rp.request.patch(url(`/api/v1/records/account/${ownAccountId}`), { data: { name: 'x' } })
    assert.equal(bad.status(), 403)
    assert.equal((await bad.json()).code, 'csrf_failed')
    await ctx.shot?.('access-rep-record')
  })
}
