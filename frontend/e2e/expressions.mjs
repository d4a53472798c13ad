// End-to-end scenario of the expression language against the real Tessera
// server: an admin writes a validation rule on opportunities with a typo,
// sees the live error and its suggestion, applies the one-click fix, tries
// the condition on a record and saves the rule; saving an opportunity that
// breaks it shows the rule's message under the attached field (and an
// unattached rule's message at the top of the form); a formula field,
// written with completion, shows its computed value on a record. Every
// step is checked through the API. Screenshots: docs/screenshots/expr-*.png.
//
// Registered by e2e/run.mjs (one server, the admin's signed-in page):
//   ;(await import('./expressions.mjs')).expressionScenarios({ page: () => page, base: () => base, api, shot, toast })
import { test } from 'node:test'
import assert from 'node:assert/strict'

export function expressionScenarios(ctx) {
  const page = () => ctx.page()
  const url = (path) => `${ctx.base()}${path.replace(/^\//, '')}`
  const { api, shot, toast } = ctx
  const RULE = 'probability_cap'
  const UNATTACHED = 'e2e_next_step_block'
  const BLOCKED_STEP = 'E2E 不允许的下一步'
  const MESSAGE = { 'zh-CN': '未赢单的商机，赢单概率不能超过 90%', en: 'Only won deals may exceed a 90% probability' }
  let recordId

  /** Rules on opportunities would refuse the saves of later scenarios. */
  async function dropRules() {
    for (const name of [RULE, UNATTACHED]) {
      await api('DELETE', `/meta/objects/opportunity/validation-rules/${name}`).catch(() => {})
    }
  }

  async function settle() {
    await page().locator('.el-message').first().waitFor({ state: 'detached', timeout: 8000 }).catch(() => {})
  }

  async function chooseIn(select, selector) {
    await select.click()
    const o = page().locator(`.el-select-dropdown__item${selector}:visible`).first()
    await o.waitFor({ state: 'visible' })
    await o.click()
  }

  /** Digits only: "¥102,000.00" and "102000.00" compare equal. */
  const digits = (s) => String(s).replace(/\D/g, '')

  test('expressions: a validation rule with a typo, fixed in one click, then saved', async () => {
    await page().goto(url('/admin/objects/opportunity'))
    await page().click('[data-tab=validation-rules]')
    await page().waitForURL(/\/admin\/objects\/opportunity\/validation-rules$/)
    await page().click('[data-testid=new-validation-rule]')
    const dialog = page().locator('[data-testid=validation-rule-dialog]')
    await dialog.waitFor()
    await dialog.locator('#rule-label').fill('赢单概率上限')
    await dialog.locator('#rule-label-en').fill('Probability cap')
    assert.equal(await dialog.locator('[data-testid=rule-api-name]').inputValue(), RULE)

    // The condition, typed with a typo: the check answers ~300 ms later.
    const editor = dialog.locator('[data-testid=rule-condition]')
    const input = editor.locator('textarea')
    await input.click()
    await page().keyboard.type('probablity > 90 && stage != "closed_won"', { delay: 15 })
    const problem = editor.locator('[data-testid=expr-problem]')
    await problem.waitFor()
    assert.match(await problem.innerText(), /probablity/)
    const squiggle = editor.locator('.expr-highlight .is-problem')
    assert.equal((await squiggle.allInnerTexts()).join(''), 'probablity', 'the typo is squiggled')
    const fix = editor.locator('[data-testid=expr-fix]')
    assert.match(await fix.innerText(), /probability/)
    await shot('expr-rule-typo')

    await fix.click()
    assert.equal(await input.inputValue(), 'probability > 90 && stage != "closed_won"')
    await editor.locator('[data-testid=expr-valid]').waitFor()
    assert.equal(await editor.locator('[data-testid=expr-problem]').count(), 0)

    // Try it on a record before saving.
    await editor.locator('[data-testid=expr-dry-run-toggle]').click()
    await chooseIn(editor.locator('[data-testid=expr-dry-run-record]'), '')
    await editor.locator('[data-testid=expr-dry-run-run]').click()
    const result = editor.locator('[data-testid=expr-dry-run-result]')
    await result.waitFor()
    assert.match(await result.innerText(), /false|否/)

    await dialog.locator('#rule-message').fill(MESSAGE['zh-CN'])
    await dialog.locator('#rule-message-en').fill(MESSAGE.en)
    await chooseIn(dialog.locator('[data-testid=rule-field]'), '[data-field=probability]')
    await shot('expr-rule-dialog')
    await dialog.locator('[data-testid=rule-save]').click()
    await toast('已创建验证规则')
    await dialog.waitFor({ state: 'hidden' })
    await page().locator(`[data-testid=validation-rules-table] [data-rule=${RULE}]`).waitFor()

    const opportunity = await api('GET', '/meta/objects/opportunity')
    const rule = opportunity.validation_rules.find((r) => r.api_name === RULE)
    assert.ok(rule, 'the rule is saved')
    assert.equal(rule.condition, 'probability > 90 && stage != "closed_won"')
    assert.equal(rule.field, 'probability')
    assert.equal(rule.active, true)
    assert.deepEqual(rule.message, MESSAGE)
    await settle()
    await shot('expr-rules')
  })

  test('expressions: a save that breaks a rule shows its message under the field, or at the top', async () => {
    try {
      const open = await api('GET', `/records/opportunity?filter=${encodeURIComponent('stage == "proposal"')}&limit=1`)
      recordId = open.data[0].id
      const before = await api('GET', `/records/opportunity/${recordId}`)
      await page().goto(url(`/o/opportunity/${recordId}/edit`))
      await page().locator('[data-testid=record-form]').waitFor()
      await page().fill('#f-probability', '95')
      await page().click('[data-testid=form-save]')
      const error = page().locator('.el-form-item[data-field=probability] .el-form-item__error')
      await error.waitFor()
      const text = (await error.innerText()).trim()
      assert.ok(text === MESSAGE['zh-CN'] || text === MESSAGE.en, `the rule's message shows under the field: ${text}`)
      assert.match(page().url(), /\/edit$/, 'still on the form')
      await shot('expr-rule-refused')
      assert.equal((await api('GET', `/records/opportunity/${recordId}`)).version, before.version, 'nothing was saved')

      // A rule attached to no field speaks at the top of the form.
      await api('POST', '/meta/objects/opportunity/validation-rules', {
        api_name: UNATTACHED,
        labels: { en: 'No blocked next step', 'zh-CN': '禁止的下一步' },
        condition: `next_step == ${JSON.stringify(BLOCKED_STEP)}`,
        message: { en: 'This next step is not allowed', 'zh-CN': '不允许这个下一步计划' },
        active: true,
      })
      await page().fill('#f-probability', '60')
      await error.waitFor({ state: 'detached' }) // a changed value clears its error
      await page().fill('#f-next_step', BLOCKED_STEP)
      await page().click('[data-testid=form-save]')
      const top = page().locator('[data-testid=form-error-message]')
      await top.waitFor()
      assert.match(await top.innerText(), /不允许这个下一步计划|This next step is not allowed/)
      assert.equal(await page().locator('.el-form-item[data-field=probability] .el-form-item__error').count(), 0)

      await page().fill('#f-next_step', 'E2E 下一步')
      await page().click('[data-testid=form-save]')
      await page().waitForURL(new RegExp(`/o/opportunity/${recordId}$`))
      const saved = await api('GET', `/records/opportunity/${recordId}`)
      assert.equal(Number(saved.probability), 60)
      assert.equal(saved.next_step, 'E2E 下一步')
    } finally {
      await dropRules()
    }
  })

  test('expressions: a formula field written with completion shows its value on a record', async () => {
    await page().goto(url('/admin/objects/opportunity'))
    await page().click('[data-testid=new-field]')
    const drawer = page().locator('[data-testid=field-drawer]')
    await drawer.waitFor()
    await chooseIn(drawer.locator('[data-testid=field-type]'), '[data-type=currency]')
    await drawer.locator('#field-label').fill('加权金额')
    await drawer.locator('#field-label-en').fill('Weighted amount')
    assert.equal(await drawer.locator('[data-testid=field-api-name]').inputValue(), 'weighted_amount')
    await drawer.locator('[data-testid=field-formula-on]').click()

    const editor = drawer.locator('[data-testid=field-formula]')
    const input = editor.locator('textarea')
    await input.click()
    // "rou" + Enter: the function with the cursor inside its parentheses, and its signature.
    await page().keyboard.type('rou', { delay: 20 })
    const first = editor.locator('[data-testid=expr-completions] [role=option]').first()
    await first.waitFor()
    assert.equal(await first.getAttribute('data-label'), 'round')
    await page().keyboard.press('Enter')
    assert.equal(await input.inputValue(), 'round()')
    await editor.locator('[data-testid=expr-signature]', { hasText: 'round(' }).waitFor()
    // "amo" + Enter: the field.
    await page().keyboard.type('amo', { delay: 20 })
    await editor.locator('[data-testid=expr-completions] [role=option][data-label=amount]').waitFor()
    await page().keyboard.press('Enter')
    await page().keyboard.type(' * probability / 100, 2', { delay: 15 })
    assert.equal(await input.inputValue(), 'round(amount * probability / 100, 2)')
    const valid = editor.locator('[data-testid=expr-valid]')
    await valid.waitFor()
    assert.match(await valid.innerText(), /数字|Number/)
    await editor.scrollIntoViewIfNeeded()
    await shot('expr-formula')
    await drawer.locator('[data-testid=field-save]').click()
    await toast('已创建字段')
    await drawer.waitFor({ state: 'hidden' })

    const opportunity = await api('GET', '/meta/objects/opportunity')
    const field = opportunity.fields.find((f) => f.api_name === 'weighted_amount')
    assert.equal(field.formula, 'round(amount * probability / 100, 2)')
    assert.ok(!field.formula_stored, 'computed on read by default')

    // A record with an amount shows the computed value, read-only.
    const list = await api('GET', `/records/opportunity?filter=${encodeURIComponent('amount > 0 && stage == "negotiation"')}&limit=1`)
    const id = list.data[0].id
    const record = await api('GET', `/records/opportunity/${id}`)
    assert.ok(record.weighted_amount, 'the server computes the formula')
    await page().goto(url(`/o/opportunity/${id}`))
    const shown = page().locator('.inline-field[data-field=weighted_amount] .inline-field-display.is-static')
    await shown.waitFor()
    assert.equal(digits(await shown.innerText()), digits(record.weighted_amount))
    assert.equal(await page().locator('[data-testid=inline-weighted_amount]').count(), 0, 'not editable in place')
    await settle()
    await shot('expr-formula-record')

    // The form shows it as a value, not an input.
    await page().goto(url(`/o/opportunity/${id}/edit`))
    const value = page().locator('.el-form-item[data-field=weighted_amount] [data-testid=form-computed]')
    await value.waitFor()
    assert.equal(digits(await value.innerText()), digits(record.weighted_amount))
    assert.equal(await page().locator('.el-form-item[data-field=weighted_amount] input').count(), 0)
  })
}
