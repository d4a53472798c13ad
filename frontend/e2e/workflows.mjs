// End-to-end scenario of workflows against the real Tessera server: an
// admin builds a "stage changes to negotiation" workflow on opportunities
// through the form (trigger, a condition with a typo flagged live and fixed
// in one click, a create-record action and a notify action), moves an
// opportunity to that stage so it fires on the server's queue, sees the
// notification arrive in the bell and opens the record from it, reads the
// succeeded run with its actions in the automation log, and starts a manual
// workflow from the record page and finds its run in the log. Phone width
// for the bell and the log. Every step is checked through the API.
// Screenshots: docs/screenshots/workflow-*.png.
//
// Registered by e2e/run.mjs (one server, the admin's signed-in page):
//   ;(await import('./workflows.mjs')).workflowScenarios({ page: () => page, base: () => base, api, shot, toast })
import { test, after } from 'node:test'
import assert from 'node:assert/strict'

const STAMP = Date.now().toString(36)

export function workflowScenarios(ctx) {
  const page = () => ctx.page()
  const url = (path) => `${ctx.base()}${path.replace(/^\//, '')}`
  const { api, shot, toast } = ctx
  const FLOW = 'follow_up_key_deals'
  const MANUAL = 'e2e_manual_next_step'
  const MANUAL_STEP = `E2E 手动运行 ${STAMP}`
  const RECORD = `E2E 工作流商机 ${STAMP}`
  /** The queue runs inside the server: runs and notifications arrive within seconds. */
  const DEADLINE_MS = 45_000
  let recordId

  /** Workflows on opportunities would act on the saves of later scenarios. */
  async function dropWorkflows() {
    for (const name of [FLOW, MANUAL]) await api('DELETE', `/meta/objects/opportunity/workflows/${name}`).catch(() => {})
  }
  after(dropWorkflows)

  /** Picks an option of an Element Plus select; `typed` filters a long list first. */
  async function chooseIn(select, selector, typed) {
    await select.click()
    if (typed) await page().keyboard.type(typed, { delay: 20 })
    const o = page().locator(`.el-select-dropdown__item${selector}:visible`).first()
    await o.waitFor({ state: 'visible' })
    await o.click()
  }

  async function settle() {
    await page().locator('.el-message').first().waitFor({ state: 'detached', timeout: 8000 }).catch(() => {})
  }

  /** Repeats `probe` (true when done) until it holds or the deadline passes. */
  async function eventually(what, probe) {
    const deadline = Date.now() + DEADLINE_MS
    for (;;) {
      if (await probe()) return
      if (Date.now() > deadline) throw new Error(`${what}: not within ${DEADLINE_MS / 1000} s`)
      await page().waitForTimeout(1000)
    }
  }

  test('workflows: an admin builds a field-changed workflow with a create-record and a notify action', async () => {
    await page().goto(url('/admin/objects/opportunity'))
    await page().click('[data-tab=workflows]')
    await page().waitForURL(/\/admin\/objects\/opportunity\/workflows$/)
    await page().click('[data-testid=new-workflow]')
    const dialog = page().locator('[data-testid=workflow-dialog]')
    await dialog.waitFor()
    await dialog.locator('#wf-label').fill('重点商机跟进')
    await dialog.locator('#wf-label-en').fill('Follow up key deals')
    assert.equal(await dialog.locator('[data-testid=workflow-api-name]').inputValue(), FLOW)

    // When: Stage changes to Negotiation.
    await chooseIn(dialog.locator('[data-testid=trigger-type]'), '[data-trigger=field_changed]')
    await chooseIn(dialog.locator('[data-testid=trigger-field]'), '[data-field=stage]')
    await chooseIn(dialog.locator('[data-testid=trigger-to]'), '[data-option=negotiation]')
    assert.match(await dialog.locator('[data-testid=trigger-summary]').innerText(), /阶段.*商务谈判|Stage.*Negotiation/)

    // If: typed with a typo; the live check squiggles it and offers the fix.
    const condition = dialog.locator('[data-testid=workflow-condition]')
    await condition.locator('textarea').click()
    await page().keyboard.type('amout > 0 && prior.stage != "negotiation"', { delay: 15 })
    const problem = condition.locator('[data-testid=expr-problem]')
    await problem.waitFor()
    assert.match(await problem.innerText(), /amout/)
    assert.equal((await condition.locator('.expr-highlight .is-problem').allInnerTexts()).join(''), 'amout')
    await condition.locator('[data-testid=expr-fix]').click()
    assert.equal(await condition.locator('textarea').inputValue(), 'amount > 0 && prior.stage != "negotiation"')
    await condition.locator('[data-testid=expr-valid]').waitFor()

    // Then 1: create a follow-up activity (the first action starts as a notification).
    const first = dialog.locator('[data-testid=workflow-action]').nth(0)
    await chooseIn(first.locator('[data-testid=action-type]'), '[data-action-type=create_record]')
    await chooseIn(first.locator('[data-testid=action-object]'), '[data-object=activity]')
    await first.locator('[data-testid=action-missing-required]').waitFor()
    const rows = first.locator('[data-testid=action-values] .value-row')
    await chooseIn(rows.nth(0).locator('[data-testid=value-field]'), '[data-field=name]')
    await rows.nth(0).locator('[data-testid=value-expression] textarea').fill('concat("跟进：", name)')
    await first.locator('[data-testid=value-add]').click()
    await rows.nth(1).locator('[data-testid=value-expression]').waitFor()
    await chooseIn(rows.nth(1).locator('[data-testid=value-field]'), '[data-field=opportunity_id]', 'opportunity_id')
    await rows.nth(1).locator('[data-testid=value-expression] textarea').fill('id')
    await rows.nth(1).locator('[data-testid=expr-valid]').waitFor()
    assert.equal(await first.locator('[data-testid=action-missing-required]').count(), 0)

    // Then 2: tell the owner in the app, with the record's name in the subject.
    await dialog.locator('[data-testid=action-add]').click()
    await page().locator('.el-dropdown-menu__item[data-add-action=notify]:visible').click()
    const second = dialog.locator('[data-testid=workflow-action]').nth(1)
    await second.waitFor()
    assert.match(await second.locator('[data-testid=action-recipients]').innerText(), /记录负责人|Record owner/)
    await chooseIn(second.locator('[data-testid=action-recipients]'), '[data-recipient=manager]')
    await dialog.locator('.el-dialog__title').click() // closes the recipients list
    await second.locator('[data-testid=action-subject] input[data-lang=zh-CN]').fill('重点跟进：{{name}}')
    await second.locator('[data-testid=action-subject] input[data-lang=en]').fill('Key follow-up: {{name}}')
    await second.locator('textarea[data-testid=action-body][data-lang=en]').fill('Amount {{format(amount, "#,##0.00")}}, stage {{label(stage)}}')
    await second.locator('[data-testid=template-status]', { hasText: /✓/ }).waitFor()
    // The whole flow in one picture: a viewport as tall as the dialog.
    const viewport = page().viewportSize()
    const height = await dialog.evaluate((el) => (el.closest('.el-dialog') ?? el.querySelector('.el-dialog') ?? el).getBoundingClientRect().height)
    await page().setViewportSize({ width: viewport.width, height: Math.min(Math.ceil(height) + 120, 3000) })
    await shot('workflow-dialog')
    await page().setViewportSize(viewport)

    await dialog.locator('[data-testid=workflow-save]').click()
    await toast('已创建工作流')
    await dialog.waitFor({ state: 'hidden' })
    const trigger = page().locator(`[data-workflow-trigger=${FLOW}]`)
    await trigger.waitFor()
    assert.match(await trigger.innerText(), /当「.*阶段」变为「商务谈判」时|When .*Stage changes to Negotiation/)
    await settle()
    await shot('workflow-list')

    const opportunity = await api('GET', '/meta/objects/opportunity')
    const w = opportunity.workflows.find((x) => x.api_name === FLOW)
    assert.ok(w, 'the workflow is saved')
    assert.deepEqual(w.trigger, { type: 'field_changed', field: 'stage', to: 'negotiation' })
    assert.equal(w.condition, 'amount > 0 && prior.stage != "negotiation"')
    assert.equal(w.active, true)
    assert.deepEqual(
      w.actions.map((a) => a.type),
      ['create_record', 'notify'],
    )
    assert.deepEqual(w.actions[0], { type: 'create_record', object: 'activity', values: { name: 'concat("跟进：", name)', opportunity_id: 'id' } })
    assert.deepEqual(w.actions[1].to, ['owner', 'manager'])
    assert.deepEqual(w.actions[1].subject, { en: 'Key follow-up: {{name}}', 'zh-CN': '重点跟进：{{name}}' })
  })

  test('workflows: a stage change fires it, and the notification arrives in the bell', async () => {
    const account = (await api('GET', '/records/account?limit=1')).data[0]
    const created = await api('POST', '/records/opportunity', { name: RECORD, account_id: account.id, stage: 'proposal', close_date: '2099-06-30', amount: '250000' })
    recordId = created.id
    await page().goto(url(`/o/opportunity/${recordId}`))
    await page().locator('[data-testid=record-name]', { hasText: RECORD }).waitFor()
    await page().locator('.stage-path [data-stage=negotiation]').first().click()
    await toast('商务谈判')
    assert.equal((await api('GET', `/records/opportunity/${recordId}`)).stage, 'negotiation')

    // The bell asks every minute and when the window comes back; opening it asks now.
    const bell = page().locator('[data-testid=notifications-bell]')
    const item = page().locator('[data-testid=notifications-panel] [data-testid=notification]', { hasText: RECORD })
    await eventually('the notification in the bell', async () => {
      await bell.click()
      await page().locator('[data-testid=notifications-panel][data-loading=false]').waitFor()
      if ((await item.count()) > 0) return true
      await page().keyboard.press('Escape')
      await page().locator('[data-testid=notifications-panel]').waitFor({ state: 'detached' })
      return false
    })
    assert.equal(await item.first().getAttribute('data-unread'), 'true')
    assert.match(await item.first().innerText(), /重点跟进/)
    assert.ok(Number(await page().locator('[data-testid=notifications-count]').innerText()) >= 1, 'the bell counts it')
    await settle()
    await shot('workflow-bell')

    // The activity the workflow created points back to the opportunity.
    const activities = await api('GET', `/records/activity?filter=${encodeURIComponent(`opportunity_id == "${recordId}"`)}`)
    assert.equal(activities.data.length, 1)
    assert.equal(activities.data[0].name, `跟进：${RECORD}`)

    // Opening it marks it read and goes to the record.
    const id = await item.first().getAttribute('data-notification')
    await page().goto(url('/'))
    await bell.click()
    await page().locator(`[data-notification="${id}"]`).click()
    await page().waitForURL(new RegExp(`/o/opportunity/${recordId}$`))
    const notes = await api('GET', '/notifications')
    assert.ok(notes.data.find((n) => n.id === id).read_at, 'marked read')
  })

  test('workflows: the automation log shows the succeeded run and each action', async () => {
    await page().goto(url('/admin/objects/opportunity/workflows'))
    await page().click(`[data-workflow-runs=${FLOW}]`)
    await page().waitForURL(/\/admin\/workflow-runs\?/)
    const run = page().locator(`[data-testid=run][data-run-workflow=${FLOW}]`).first()
    await eventually('the run in the log', async () => {
      if ((await run.count()) > 0) return true
      await page().click('[data-testid=runs-refresh]')
      return false
    })
    assert.equal(await run.getAttribute('data-run-status'), 'succeeded')
    await run.locator('[data-testid=run-toggle]').click()
    const actions = run.locator('[data-testid=run-action]')
    await actions.first().waitFor()
    assert.equal(await actions.count(), 2)
    assert.equal(await actions.nth(0).getAttribute('data-action-type'), 'create_record')
    assert.equal(await actions.nth(0).getAttribute('data-action-status'), 'succeeded')
    assert.equal(await actions.nth(1).getAttribute('data-action-type'), 'notify')
    assert.match(await actions.nth(1).innerText(), new RegExp(RECORD))
    await shot('workflow-log')

    const logged = await api('GET', `/workflow-runs?workflow=${FLOW}&record_id=${recordId}`)
    assert.equal(logged.data.length, 1)
    assert.equal(logged.data[0].status, 'succeeded')
  })

  test('workflows: a manual workflow started from the record page shows in the log', async () => {
    await api('POST', '/meta/objects/opportunity/workflows', {
      api_name: MANUAL,
      labels: { en: 'E2E set the next step', 'zh-CN': '设置下一步' },
      active: true,
      order: 100,
      trigger: { type: 'manual' },
      actions: [{ type: 'update_fields', values: { next_step: JSON.stringify(MANUAL_STEP) } }],
    })
    await page().goto(url(`/o/opportunity/${recordId}`))
    await page().click('[data-testid=record-run-workflow]')
    await page().locator(`.el-dropdown-menu__item[data-manual-workflow=${MANUAL}]:visible`).click()
    await page().locator('[data-testid=manual-run-started]').waitFor()
    await page().click('[data-testid=manual-run-log]')
    await page().waitForURL(/\/admin\/workflow-runs\?.*record_id=/)
    const run = page().locator(`[data-testid=run][data-run-workflow=${MANUAL}]`).first()
    await eventually('the manual run in the log', async () => {
      if ((await run.count()) > 0 && (await run.getAttribute('data-run-status')) === 'succeeded') return true
      await page().click('[data-testid=runs-refresh]')
      return false
    })
    assert.match(await run.innerText(), /手动|by hand/)
    assert.equal((await api('GET', `/records/opportunity/${recordId}`)).next_step, MANUAL_STEP)

    // The record page's Automation tab lists both runs of this record.
    await page().goto(url(`/o/opportunity/${recordId}`))
    await page().click('[data-testid=record-side-tabs] #tab-automation')
    const runs = page().locator('[data-testid=record-automation] [data-testid=run]')
    await runs.nth(1).waitFor()
    assert.equal(await runs.count(), 2)
  })

  test('workflows: the bell and the log at phone width', async () => {
    await page().setViewportSize({ width: 390, height: 844 })
    try {
      await page().goto(url(`/admin/workflow-runs?workflow=${FLOW}`))
      const run = page().locator(`[data-testid=run][data-run-workflow=${FLOW}]`).first()
      await run.waitFor()
      await run.locator('[data-testid=run-toggle]').click()
      await run.locator('[data-testid=run-action]').first().waitFor()
      const width = await page().evaluate(() => document.documentElement.scrollWidth)
      assert.ok(width <= 390, `the log fits the phone (${width}px wide)`)
      await shot('workflow-log-phone')

      // Moving the stage away and back fires the workflow again: a new unread notification.
      await api('PATCH', `/records/opportunity/${recordId}`, { stage: 'proposal' })
      await api('PATCH', `/records/opportunity/${recordId}`, { stage: 'negotiation' })
      const panel = page().locator('[data-testid=notifications-panel]')
      await eventually('a new unread notification', async () => {
        await page().click('[data-testid=notifications-bell]')
        await page().locator('[data-testid=notifications-panel][data-loading=false]').waitFor()
        if ((await panel.locator('[data-testid=notification][data-unread=true]').count()) > 0) return true
        await page().keyboard.press('Escape')
        await panel.waitFor({ state: 'detached' })
        return false
      })
      const box = await panel.boundingBox()
      assert.ok(box && box.x >= 0 && box.x + box.width <= 390, 'the panel spans the phone')
      await page().locator('[data-testid=notifications-mark-all]').click()
      await toast('已将全部通知标为已读')
      assert.equal(await page().locator('[data-testid=notifications-count]').count(), 0)
      await shot('workflow-bell-phone')
      assert.equal((await api('GET', '/notifications?unread=true')).unread, 0)
    } finally {
      await page().setViewportSize({ width: 1440, height: 900 })
      await dropWorkflows()
    }
  })
}
