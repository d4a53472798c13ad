// End-to-end scenario of approvals and layout conditions against the real
// Tessera server: an admin defines a two-step approval process on
// opportunities in setup (the rep's manager, then a role: 总经理, which the
// admin holds) with an outcome action, starts it from a workflow action
// (and sees that such a process cannot be deleted); a rep (李娜, whose
// manager is 张伟) submits her opportunity and sees it locked; the manager
// opens it from the bell into the approvals inbox and approves; the admin
// rejects it with a reason (required); the rep sees the rejection. Then a
// layout field with "show only when" appears and disappears in the form as
// the amount changes, and "required when" is enforced on save. Every step
// is checked through the API. Screenshots: approval-*.png, layout-conditions.png.
//
// Registered by e2e/run.mjs (one server, the admin's signed-in page):
//   ;(await import('./approvals.mjs')).approvalScenarios({ page: () => page, base: () => base, api, shot, toast, password: PASSWORD })
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const shotsDir = process.env.SCREENSHOTS_DIR ?? join(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..'), 'docs', 'screenshots')

/** A screenshot of another user's page (ctx.shot takes the admin's). */
async function shotOf(p, name) {
  mkdirSync(shotsDir, { recursive: true })
  await p.waitForTimeout(300)
  await p.screenshot({ path: join(shotsDir, `${name}.png`) })
}

const STAMP = Date.now().toString(36)

export function approvalScenarios(ctx) {
  const page = () => ctx.page()
  const url = (path) => `${ctx.base()}${path.replace(/^\//, '')}`
  const { api, shot, toast } = ctx
  const PROCESS = 'big_deal_review'
  const FLOW = 'e2e_start_review'
  const LAYOUT = `e2e_deal_form_${STAMP}`
  const RECORD = `E2E 审批商机 ${STAMP}`
  const REASON = `折扣太高 ${STAMP}`
  const REP = 'li.na@demo.local'
  const MANAGER = 'zhang.wei@demo.local'
  const DEADLINE_MS = 30_000
  let browser
  let recordId
  let approvalId
  let repPage
  let originalLayout

  async function cleanup() {
    await api('DELETE', `/meta/objects/opportunity/workflows/${FLOW}`).catch(() => {})
    await api('DELETE', `/meta/objects/opportunity/approval-processes/${PROCESS}`).catch(() => {})
    if (originalLayout) await api('PUT', `/meta/objects/opportunity/layouts/${originalLayout.api_name}`, originalLayout).catch(() => {})
    else await api('DELETE', `/meta/objects/opportunity/layouts/${LAYOUT}`).catch(() => {})
  }

  after(async () => {
    await cleanup()
    await browser?.close().catch(() => {})
  })

  async function chooseIn(select, selector, typed) {
    await select.click()
    if (typed) await page().keyboard.type(typed, { delay: 20 })
    const o = page().locator(`.el-select-dropdown__item${selector}:visible`).first()
    await o.waitFor({ state: 'visible' })
    await o.click()
  }

  async function settle(p = page()) {
    await p.locator('.el-message').first().waitFor({ state: 'detached', timeout: 8000 }).catch(() => {})
  }

  async function eventually(what, probe) {
    const deadline = Date.now() + DEADLINE_MS
    for (;;) {
      if (await probe()) return
      if (Date.now() > deadline) throw new Error(`${what}: not within ${DEADLINE_MS / 1000} s`)
      await new Promise((r) => setTimeout(r, 1000))
    }
  }

  /** A second signed-in user in their own browser context (cookie session). */
  async function signIn(email, locale) {
    if (!browser) {
      const { chromium } = await import('playwright-core')
      browser = await chromium.launch({
        executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      })
    }
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale, timezoneId: 'Asia/Shanghai' })
    const p = await context.newPage()
    p.setDefaultTimeout(15_000)
    p.on('pageerror', (e) => console.log(`# ${email} page error:`, e.message))
    await p.goto(url('/login'))
    await p.fill('#login-tenant', 'demo')
    await p.fill('#login-email', email)
    await p.fill('#login-password', ctx.password)
    await p.click('[data-testid=login-submit]')
    await p.waitForURL((u) => !u.pathname.startsWith('/login'))
    return p
  }

  test('approvals: an admin defines a two-step process in setup', async () => {
    await cleanup()
    await page().goto(url('/admin/objects/opportunity'))
    await page().click('[data-tab=approval-processes]')
    await page().waitForURL(/\/admin\/objects\/opportunity\/approval-processes$/)
    await page().click('[data-testid=new-approval-process]')
    const dialog = page().locator('[data-testid=approval-dialog]')
    await dialog.waitFor()
    await dialog.locator('#ap-label').fill('大额商机审批')
    await dialog.locator('#ap-label-en').fill('Big deal review')
    assert.equal(await dialog.locator('[data-testid=approval-api-name]').inputValue(), PROCESS)

    // Entry criteria: typed with a typo, flagged live, fixed in one click.
    const entry = dialog.locator('[data-testid=approval-entry-criteria]')
    await entry.locator('textarea').click()
    await page().keyboard.type('amout > 0', { delay: 15 })
    await entry.locator('[data-testid=expr-problem]').waitFor()
    await entry.locator('[data-testid=expr-fix]').click()
    await entry.locator('[data-testid=expr-valid]').waitFor()

    // Step 1: the submitter's manager (the default), named.
    const steps = dialog.locator('[data-testid=approval-step]')
    await steps.nth(0).locator('[data-testid=step-label] input[data-lang=en]').fill('Manager')
    await steps.nth(0).locator('[data-testid=step-label] input[data-lang=zh-CN]').fill('直属上级')
    assert.equal(await steps.nth(0).locator('[data-testid=step-name]').inputValue(), 'manager')
    assert.match(await steps.nth(0).locator('[data-testid=step-approvers]').innerText(), /提交人的上级/)

    // Step 2: everyone in the 总经理 role (the admin), all of them must approve.
    await dialog.locator('[data-testid=step-add]').click()
    await steps.nth(1).waitFor()
    await steps.nth(1).locator('[data-testid=step-label] input[data-lang=en]').fill('General manager')
    await steps.nth(1).locator('[data-testid=step-label] input[data-lang=zh-CN]').fill('总经理')
    await chooseIn(steps.nth(1).locator('[data-testid=step-approvers]'), '[data-approver="role:ceo"]')
    await dialog.locator('.el-dialog__title').click() // closes the approvers list
    await steps.nth(1).locator('[data-testid=step-mode] .el-radio', { hasText: '全部审批人' }).click()

    // When rejected: tell the owner (the workflow action form).
    await dialog.locator('[data-testid=outcome-add-on_reject]').click()
    await page().locator('.el-dropdown-menu__item[data-add-outcome=notify]:visible').click()
    const notify = dialog.locator('[data-outcome=on_reject] [data-testid=workflow-action]').first()
    await notify.locator('[data-testid=action-subject] input[data-lang=zh-CN]').fill('{{name}} 审批被驳回')
    await notify.locator('[data-testid=action-subject] input[data-lang=en]').fill('{{name}} was rejected')
    await notify.locator('[data-testid=template-status]', { hasText: /✓/ }).waitFor()
    await shot('approval-process-dialog')

    await dialog.locator('[data-testid=approval-save]').click()
    await toast('已创建审批流程')
    await dialog.waitFor({ state: 'hidden' })
    await page().locator(`[data-process-steps=${PROCESS}]`, { hasText: '2' }).waitFor()
    await settle()
    await shot('approval-processes')

    const o = await api('GET', '/meta/objects/opportunity')
    const p = o.approval_processes.find((x) => x.api_name === PROCESS)
    assert.ok(p, 'the process is saved')
    assert.equal(p.active, true)
    assert.equal(p.entry_criteria, 'amount > 0')
    assert.deepEqual(
      p.steps.map((s) => [s.name, s.approvers, s.mode]),
      [
        ['manager', ['manager'], 'any'],
        ['general_manager', ['role:ceo'], 'all'],
      ],
    )
    assert.deepEqual(p.on_reject, [{ type: 'notify', to: ['owner'], subject: { en: '{{name}} was rejected', 'zh-CN': '{{name}} 审批被驳回' } }])
  })

  test('approvals: a workflow action starts the process, so it cannot be deleted', async () => {
    await page().goto(url('/admin/objects/opportunity/workflows'))
    await page().click('[data-testid=new-workflow]')
    const dialog = page().locator('[data-testid=workflow-dialog]')
    await dialog.waitFor()
    await dialog.locator('#wf-label-en').fill('E2E start review')
    await dialog.locator('[data-testid=workflow-api-name]').fill(FLOW)
    await chooseIn(dialog.locator('[data-testid=trigger-type]'), '[data-trigger=manual]')
    const action = dialog.locator('[data-testid=workflow-action]').first()
    await chooseIn(action.locator('[data-testid=action-type]'), '[data-action-type=start_approval]')
    // The only active process is chosen for you.
    assert.match(await action.locator('[data-testid=action-process]').innerText(), /大额商机审批/)
    await dialog.locator('[data-testid=workflow-save]').click()
    await toast('已创建工作流')
    const w = (await api('GET', '/meta/objects/opportunity')).workflows.find((x) => x.api_name === FLOW)
    assert.deepEqual(w.actions, [{ type: 'start_approval', process: PROCESS }])

    await page().goto(url('/admin/objects/opportunity/approval-processes'))
    await page().click(`[data-process-delete=${PROCESS}]`)
    await page().locator('.el-message-box .el-button--danger').click()
    await page().locator('.el-message', { hasText: FLOW }).waitFor()
    await api('DELETE', `/meta/objects/opportunity/workflows/${FLOW}`)
    assert.ok((await api('GET', '/meta/objects/opportunity')).approval_processes.some((x) => x.api_name === PROCESS), 'still there')
  })

  test('approvals: the rep submits her opportunity and sees it locked', async () => {
    const users = (await api('GET', '/users')).data
    const rep = users.find((u) => u.email === REP)
    const manager = users.find((u) => u.email === MANAGER)
    assert.equal(rep.manager_id, manager.id, 'the demo rep reports to the team lead')
    const account = (await api('GET', '/records/account?limit=1')).data[0]
    const created = await api('POST', '/records/opportunity', { name: RECORD, account_id: account.id, owner_id: rep.id, stage: 'proposal', close_date: '2099-06-30', amount: '880000' })
    recordId = created.id

    repPage = await signIn(REP, 'zh-CN')
    await repPage.goto(url(`/o/opportunity/${recordId}`))
    await repPage.locator('[data-testid=record-name]', { hasText: RECORD }).waitFor()
    const area = repPage.locator('[data-testid=record-approval]')
    await area.locator('[data-testid=approval-submit]').click()
    const dialog = repPage.locator('[data-testid=approval-submit-dialog]')
    await dialog.locator('#approval-comment').fill('请审批，客户要求本月签约')
    await dialog.locator('[data-testid=approval-submit-confirm]').click()
    await repPage.locator('[data-testid=record-approval][data-status=pending]').waitFor()
    await area.locator('[data-testid=approval-locked]').waitFor()
    assert.equal(await repPage.locator('[data-testid=record-edit]').isDisabled(), true, 'edit is disabled while locked')
    assert.equal(await repPage.locator('[data-testid=approval-recall]').count(), 1, 'the submitter may recall')
    assert.equal(await area.locator('[data-step-state=current]').count(), 1)
    await settle(repPage)
    await shotOf(repPage, 'approval-record-locked')

    const list = await api('GET', `/records/opportunity/${recordId}/approvals`)
    assert.equal(list.data[0].status, 'pending')
    assert.equal(list.data[0].tasks[0].approver_id, manager.id)
    approvalId = list.data[0].id
    // A member's change is refused while pending (the UI says so rather than failing).
    const csrf = (await repPage.context().cookies()).find((c) => c.name === 'tessera_csrf').value
    const res = await repPage.request.patch(url(`/api/v1/records/opportunity/${recordId}`), { data: { next_step: 'x' }, headers: { 'X-CSRF-Token': csrf } })
    assert.equal(res.status(), 409)
    assert.equal((await res.json()).code, 'record_locked')
  })

  test('approvals: the manager opens it from the bell and approves in the inbox', async () => {
    const mp = await signIn(MANAGER, 'zh-CN')
    await mp.locator('[data-testid=approvals-count]', { hasText: '1' }).waitFor()
    const bell = mp.locator('[data-testid=notifications-bell]')
    const item = mp.locator('[data-testid=notifications-panel] [data-testid=notification]', { hasText: RECORD })
    await eventually('the approval notification in the bell', async () => {
      await bell.click()
      await mp.locator('[data-testid=notifications-panel][data-loading=false]').waitFor()
      if ((await item.count()) > 0) return true
      await mp.keyboard.press('Escape')
      await mp.locator('[data-testid=notifications-panel]').waitFor({ state: 'detached' })
      return false
    })
    await item.first().click()
    await mp.waitForURL(/\/approvals$/)
    const row = mp.locator(`[data-inbox-actions="${recordId}"]`)
    await row.waitFor()
    await shotOf(mp, 'approval-inbox')
    await row.locator('[data-testid=inbox-approve]').click()
    const dialog = mp.locator('[data-testid=approval-decision-dialog][data-decision=approve]')
    await dialog.locator('#decision-comment').fill('同意，注意回款')
    await dialog.locator('[data-testid=decision-confirm]').click()
    await row.waitFor({ state: 'detached' })
    await mp.locator('[data-testid=inbox-empty]').waitFor()
    await mp.context().close()

    const ap = (await api('GET', `/records/opportunity/${recordId}/approvals`)).data[0]
    assert.equal(ap.status, 'pending')
    assert.equal(ap.step, 1)
    assert.equal(ap.tasks.find((t) => t.step === 0).status, 'approved')
  })

  test('approvals: the general manager rejects with a reason (required)', async () => {
    await page().goto(url('/approvals'))
    const row = page().locator(`[data-inbox-actions="${recordId}"]`)
    await row.waitFor()
    await row.locator('[data-testid=inbox-reject]').click()
    const dialog = page().locator('[data-testid=approval-decision-dialog][data-decision=reject]')
    await dialog.locator('[data-testid=decision-confirm]').click()
    await dialog.locator('.el-form-item__error', { hasText: '请说明驳回原因' }).waitFor()
    await dialog.locator('#decision-comment').fill(REASON)
    await dialog.locator('[data-testid=decision-confirm]').click()
    await toast('已驳回')
    await row.waitFor({ state: 'detached' })
    const ap = (await api('GET', `/records/opportunity/${recordId}/approvals`)).data[0]
    assert.equal(ap.id, approvalId)
    assert.equal(ap.status, 'rejected')
    assert.equal(ap.tasks.find((t) => t.status === 'rejected').comment, REASON)
  })

  test('approvals: the rep sees the rejection and can edit again (phone width)', async () => {
    await repPage.setViewportSize({ width: 390, height: 844 })
    await repPage.reload()
    const area = repPage.locator('[data-testid=record-approval][data-status=rejected]')
    await area.waitFor()
    await area.locator('[data-testid=approval-task-comment]', { hasText: REASON }).waitFor()
    assert.equal(await repPage.locator('[data-testid=approval-locked]').count(), 0)
    assert.equal(await repPage.locator('[data-testid=record-edit]').isDisabled(), false)
    assert.equal(await area.locator('[data-testid=approval-submit]').count(), 1, 'it can be submitted again')
    const width = await repPage.evaluate(() => document.documentElement.scrollWidth)
    assert.ok(width <= 390, `the approval area fits the phone (${width}px wide)`)
    await area.scrollIntoViewIfNeeded()
    await shotOf(repPage, 'approval-record-rejected-phone')
    await repPage.context().close()
  })

  test('layout conditions: "show only when" hides a field as the amount changes; "required when" holds on save', async () => {
    // The opportunity's form layout: the designed default, else a new one (removed afterwards).
    const o = await api('GET', '/meta/objects/opportunity')
    let layout = (o.layouts ?? []).find((l) => l.default) ?? (o.layouts ?? [])[0]
    if (layout) {
      originalLayout = JSON.parse(JSON.stringify(layout))
    } else {
      const wanted = ['name', 'account_id', 'amount', 'stage', 'close_date', 'next_step']
      const required = o.fields.filter((f) => f.required && f.active !== false && !f.formula && f.type !== 'auto_number' && f.api_name !== 'owner_id').map((f) => f.api_name)
      const fields = [...new Set([...wanted, ...required])].filter((n) => o.fields.some((f) => f.api_name === n))
      layout = { api_name: LAYOUT, labels: { en: 'E2E deal form', 'zh-CN': 'E2E 商机表单' }, default: true, sections: [{ labels: { en: 'Main', 'zh-CN': '主要信息' }, columns: 2, fields: fields.map((field) => ({ field })) }], related_lists: [] }
      await api('POST', '/meta/objects/opportunity/layouts', layout)
    }
    assert.ok(layout.sections.some((s) => s.fields.some((f) => f.field === 'next_step')), 'next_step is on the layout')

    await page().goto(url(`/admin/objects/opportunity/layouts/${layout.api_name}`))
    const chip = page().locator('[data-chip=next_step]')
    await chip.waitFor()
    await chip.locator('[data-conditions-toggle=next_step]').click()
    const visible = chip.locator('[data-testid=layout-visible-if]')
    await visible.locator('textarea').fill('amount > 1000000')
    await visible.locator('[data-testid=expr-valid]').waitFor()
    const required = chip.locator('[data-testid=layout-required-if]')
    await required.locator('textarea').fill('amount > 5000000')
    await required.locator('[data-testid=expr-valid]').waitFor()
    await page().click('[data-testid=layout-save]')
    await toast('已保存页面布局')
    const saved = (await api('GET', '/meta/objects/opportunity')).layouts.find((l) => l.api_name === layout.api_name)
    const ref = saved.sections.flatMap((s) => s.fields).find((f) => f.field === 'next_step')
    assert.equal(ref.visible_if, 'amount > 1000000')
    assert.equal(ref.required_if, 'amount > 5000000')
    await chip.scrollIntoViewIfNeeded()
    await shot('layout-conditions')

    await page().goto(url('/o/opportunity/new'))
    await page().locator('[data-testid=record-form]').waitFor()
    const nextStep = page().locator('.el-form-item[data-field=next_step]')
    await nextStep.waitFor({ state: 'detached' }) // amount is empty: hidden
    await page().fill('#f-name', `E2E 条件布局 ${STAMP}`)
    await page().fill('#f-amount', '2000000')
    await nextStep.waitFor()
    assert.equal(await nextStep.evaluate((el) => el.classList.contains('is-required')), false)
    await page().fill('#f-amount', '500')
    await nextStep.waitFor({ state: 'detached' })
    await page().fill('#f-amount', '6000000')
    await nextStep.waitFor()
    await page().locator('.el-form-item.is-required[data-field=next_step]').waitFor()

    // The server holds a save through the layout to it, too.
    const account = (await api('GET', '/records/account?limit=1')).data[0]
    await assert.rejects(
      api('POST', `/records/opportunity?layout=${layout.api_name}`, { name: 'x', account_id: account.id, stage: 'proposal', close_date: '2099-01-01', amount: '6000000' }),
      /400.*next_step/,
    )

    await page().locator('.el-form-item[data-field=account_id] .el-select').click()
    await page().keyboard.type('Blue Harbor', { delay: 20 })
    await page().locator('.el-select-dropdown__item:visible', { hasText: 'Blue Harbor' }).first().click()
    await page().fill('#f-close_date', '2099-06-30')
    await page().keyboard.press('Enter')
    await page().click('[data-testid=form-save]')
    await page().locator('.el-form-item[data-field=next_step] .el-form-item__error').waitFor()
    assert.match(page().url(), /\/new$/, 'not saved without the required field')
    await page().fill('#f-next_step', '签约')
    await page().click('[data-testid=form-save]')
    await page().waitForURL(/\/o\/opportunity\/[0-9a-f-]{36}$/)
    const id = page().url().split('/').pop()
    assert.equal((await api('GET', `/records/opportunity/${id}`)).next_step, '签约')
  })
}
