// End-to-end test of the web app against the real Tessera server (no mocks):
// starts `tessera serve --demo` on a free port with a fresh SQLite database,
// drives Debian's Chromium through playwright-core, and checks results
// through the API. Screenshots of the main screens go to docs/screenshots.
//
//   TESSERA_BIN=/path/to/tessera node e2e/run.mjs   (the binary embeds frontend/dist)
//   node e2e/run.mjs                                 (go-builds the binary from the repo first)
//
// Environment: TESSERA_BIN, CHROMIUM (default /usr/bin/chromium),
// SCREENSHOTS_DIR (default <repo>/docs/screenshots), E2E_KEEP=1 keeps temp files.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, execFileSync } from 'node:child_process'
import { mkdtempSync, mkdirSync, rmSync, existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const here = dirname(fileURLToPath(import.meta.url))
const frontendDir = resolve(here, '..')
const repoRoot = resolve(frontendDir, '..')
const shotsDir = process.env.SCREENSHOTS_DIR ?? join(repoRoot, 'docs', 'screenshots')
const PASSWORD = 'e2e-demo-pass-123'
const TENANT = 'demo'
const ADMIN = 'admin@demo.local'

const tmp = mkdtempSync(join(tmpdir(), 'tessera-e2e-'))
let server
let serverLog = ''
let base
let context
let page
let apiToken
const timings = {}

// ------------------------------------------------------------ helpers

function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer()
    srv.unref()
    srv.on('error', fail)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => ok(port))
    })
  })
}

function tesseraBinary() {
  if (process.env.TESSERA_BIN) return resolve(process.env.TESSERA_BIN)
  if (!existsSync(join(frontendDir, 'dist', 'index.html'))) {
    throw new Error('frontend/dist/index.html is missing: run `npm run build` first (the binary embeds it)')
  }
  const bin = join(tmp, 'tessera')
  console.log('# building the server: go build -o', bin, './cmd/tessera')
  execFileSync('go', ['build', '-o', bin, './cmd/tessera'], { cwd: repoRoot, stdio: 'inherit' })
  return bin
}

async function waitReady(url, ms) {
  const deadline = Date.now() + ms
  for (;;) {
    try {
      const res = await fetch(url)
      if (res.ok) return
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server not ready after ${ms} ms:\n${serverLog.slice(-3000)}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

async function api(method, path, body) {
  const res = await fetch(`${base}api/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${apiToken}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  const data = text ? JSON.parse(text) : null
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`)
  return data
}

async function shot(name) {
  mkdirSync(shotsDir, { recursive: true })
  await page.waitForTimeout(300) // let transitions settle
  await page.screenshot({ path: join(shotsDir, `${name}.png`) })
}

/** Picks an option of an Element Plus select: open it, optionally type, click the option. */
async function chooseOption(select, optionText, typed) {
  await select.click()
  if (typed !== undefined) await page.keyboard.type(typed, { delay: 20 })
  const option = page.locator('.el-select-dropdown__item:visible', { hasText: optionText }).first()
  await option.waitFor({ state: 'visible', timeout: 10_000 })
  await option.click()
}

async function toast(text) {
  await page.locator('.el-message', { hasText: text }).first().waitFor({ state: 'visible', timeout: 10_000 })
}

// ------------------------------------------------------------ setup

before(async () => {
  const bin = tesseraBinary()
  const port = await freePort()
  base = `http://127.0.0.1:${port}/`
  server = spawn(bin, ['serve', '--demo'], {
    env: {
      ...process.env,
      ADDR: `127.0.0.1:${port}`,
      DATABASE_URL: join(tmp, 'e2e.db'),
      TESSERA_MASTER_KEY_FILE: join(tmp, 'master.key'), // not data/ in the working directory
      TESSERA_DEMO_PASSWORD: PASSWORD,
      TESSERA_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  server.stdout.on('data', (d) => (serverLog += d))
  server.stderr.on('data', (d) => (serverLog += d))
  await waitReady(`${base}readyz`, 120_000)

  const login = await fetch(`${base}api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ tenant: TENANT, email: ADMIN, password: PASSWORD, mode: 'token' }),
  })
  assert.equal(login.status, 200, 'API login works')
  // Token mode for the API checks (scripts); the browser signs in with the cookie.
  apiToken = (await login.json()).token
  assert.ok(apiToken, 'token mode answers a token')

  context = await chromium.launchPersistentContext(join(tmp, 'profile'), {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  })
  page = context.pages()[0] ?? (await context.newPage())
  page.setDefaultTimeout(15_000)
  page.on('pageerror', (e) => console.log('# page error:', e.message))
})

after(async () => {
  await context?.close().catch(() => {})
  if (server && server.exitCode === null) {
    server.kill('SIGTERM')
    await new Promise((r) => {
      const t = setTimeout(() => {
        server.kill('SIGKILL')
        r()
      }, 10_000)
      server.once('exit', () => {
        clearTimeout(t)
        r()
      })
    })
  }
  if (!process.env.E2E_KEEP) rmSync(tmp, { recursive: true, force: true })
  if (Object.keys(timings).length) console.log('# timings', JSON.stringify(timings))
})

// ------------------------------------------------------------ scenarios

test('the server serves the app at / and deep links fall back to it', async () => {
  const res = await fetch(`${base}o/opportunity`)
  assert.equal(res.status, 200)
  assert.match(await res.text(), /<div id="app">/)
})

test('login', async () => {
  await page.goto(base)
  await page.waitForURL(/\/login/)
  await page.locator('#login-tenant').waitFor()
  await shot('login')
  await page.fill('#login-tenant', TENANT)
  await page.fill('#login-email', ADMIN)
  await page.fill('#login-password', 'wrong-password')
  await page.click('[data-testid=login-submit]')
  await page.locator('[data-testid=login-error]').waitFor()
  await page.fill('#login-password', PASSWORD)
  await page.click('[data-testid=login-submit]')
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
  const tenant = await page.locator('[data-testid=tenant-name]').innerText()
  assert.match(tenant, /Demo Trading/)
})

test('opportunity list: 50 rows, then filtered with the builder', async () => {
  await page.click('.side-nav-item[data-object=opportunity]')
  await page.waitForURL(/\/o\/opportunity$/)
  const rows = page.locator('[data-testid=record-table] .el-table__body tbody tr')
  await rows.first().waitFor()
  assert.equal(await rows.count(), 50)
  const render = await page.evaluate(() => window.__tesseraMetrics?.listRender ?? [])
  assert.ok(render.length > 0, 'the list reports its render time')
  timings.listRender50Ms = Number(render[render.length - 1].toFixed(1))
  console.log(`# list of 50 rows rendered in ${timings.listRender50Ms} ms after the data arrived`)
  assert.ok(timings.listRender50Ms < 100, `50-row render took ${timings.listRender50Ms} ms`)
  await shot('list')

  // Builder: Amount > 1000000
  await page.click('[data-testid=filter-toggle]')
  await page.click('[data-testid=filter-add]')
  const row = page.locator('[data-testid=filter-row]').first()
  await chooseOption(row.locator('[data-testid=filter-field]'), '金额')
  await chooseOption(row.locator('[data-testid=filter-op]'), '大于')
  await row.locator('[data-testid=filter-value] input').fill('1000000')
  assert.equal(await page.locator('[data-testid=filter-preview]').innerText(), 'amount > 1000000')
  await page.click('[data-testid=filter-apply]')
  await page.waitForURL(/filter=amount/)
  const expected = await api('GET', `/records/opportunity?filter=${encodeURIComponent('amount > 1000000')}&limit=1&count=true`)
  await page.locator('[data-testid=list-total]', { hasText: String(expected.total) }).waitFor()
  assert.ok(expected.total > 0 && expected.total < 400)

  // The expression round-trips back into the builder after a reload.
  await page.reload()
  await page.locator('[data-testid=list-total]', { hasText: String(expected.total) }).waitFor()
  await page.click('[data-testid=filter-toggle]')
  assert.equal(await page.locator('[data-testid=filter-preview]').innerText(), 'amount > 1000000')

  // Save the filtered list as a private view.
  const viewName = `E2E 大额商机 ${Date.now()}`
  await page.click('[data-testid=view-menu]')
  await page.click('[data-testid=view-save-as]')
  await page.fill('[data-testid=view-name]', viewName)
  await page.click('[data-testid=view-save]')
  await toast('视图已保存')
  const views = await api('GET', '/views/opportunity')
  const saved = views.data.find((v) => v.name === viewName)
  assert.ok(saved, 'the view is saved on the server')
  assert.equal(saved.filter, 'amount > 1000000')
  await page.waitForURL(new RegExp(`view=sv%3A${saved.id}|view=sv:${saved.id}`))

  // Export the current view as CSV (fetched with the session cookie).
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export]')])
  assert.match(download.suggestedFilename(), /\.csv$/)

  // A bad expression is explained under the advanced box.
  await page.click('[data-testid=filter-mode-advanced]')
  await page.fill('#filter-expression', 'amount > 5 && nope == 1')
  await page.click('[data-testid=filter-apply]')
  await page.locator('[data-testid=filter-error]').waitFor()
})

test('record page: open from the list and edit a field in place', async () => {
  await page.goto(`${base}o/opportunity?filter=${encodeURIComponent('stage == "proposal"')}`)
  const link = page.locator('[data-testid=record-table] .record-table-name').first()
  await link.waitFor()
  const name = (await link.innerText()).trim()
  // Keyboard: focus the table, ↓ selects the first row, Enter opens it.
  await page.focus('[data-testid=record-table]')
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('Enter')
  await page.waitForURL(/\/o\/opportunity\/[0-9a-f-]{36}$/)
  assert.equal((await page.locator('[data-testid=record-name]').innerText()).trim(), name)
  await page.locator('.stage-path').first().waitFor()
  await shot('record')
  const id = page.url().split('/').pop()

  const nextStep = `E2E next step ${Date.now()}`
  await page.click('[data-testid=inline-next_step]')
  const input = page.locator('.inline-field[data-field=next_step] input')
  await input.fill(nextStep)
  await input.press('Enter')
  await page.locator('.inline-field[data-field=next_step] .inline-field-display', { hasText: nextStep }).waitFor()
  const saved = await api('GET', `/records/opportunity/${id}`)
  assert.equal(saved.next_step, nextStep)

  // Someone else changes the record: the next edit is refused (412),
  // explained, and "reload" shows their value.
  await api('PATCH', `/records/opportunity/${id}`, { next_step: 'Changed elsewhere' })
  await page.click('[data-testid=inline-next_step]')
  await page.locator('.inline-field[data-field=next_step] input').fill('My stale edit')
  await page.click('[data-testid=inline-save-next_step]')
  const box = page.locator('.el-message-box', { hasText: '记录已被他人修改' })
  await box.waitFor()
  await box.locator('button', { hasText: '加载最新内容' }).click()
  await page.locator('.inline-field[data-field=next_step] .inline-field-display', { hasText: 'Changed elsewhere' }).waitFor()
  assert.equal((await api('GET', `/records/opportunity/${id}`)).next_step, 'Changed elsewhere')
})

test('create through the form: a server error next to its field, then found by a filter', async () => {
  const name = `E2E 自动化测试商机 ${Date.now()}`
  await page.goto(`${base}o/opportunity/new`)
  await page.locator('[data-testid=record-form]').waitFor()
  await page.fill('#f-name', name)
  await chooseOption(page.locator('.el-form-item[data-field=account_id] .el-select'), 'Blue Harbor', 'Blue Harbor')
  await page.fill('#f-close_date', '2027-06-30')
  await page.keyboard.press('Enter')
  await page.fill('#f-amount', '12abc')
  await shot('form')

  // Leaving with unsaved changes asks first; "keep editing" stays.
  await page.click('[data-testid=form-cancel]')
  const box = page.locator('.el-message-box')
  await box.waitFor()
  await box.locator('button', { hasText: '继续编辑' }).click()
  await box.waitFor({ state: 'hidden' })
  assert.match(page.url(), /\/new$/)

  await page.click('[data-testid=form-save]')
  const amountError = page.locator('.el-form-item[data-field=amount] .el-form-item__error')
  await amountError.waitFor()
  assert.ok((await amountError.innerText()).length > 0, 'the server message shows under the amount field')
  assert.match(page.url(), /\/new$/, 'still on the form')

  await page.fill('#f-amount', '250000.50')
  await page.press('#f-amount', 'Enter') // Enter submits the form
  await page.waitForURL(/\/o\/opportunity\/[0-9a-f-]{36}$/)
  await page.locator('[data-testid=record-name]', { hasText: name }).waitFor()
  const id = page.url().split('/').pop()
  const created = await api('GET', `/records/opportunity/${id}`)
  assert.equal(created.amount, '250000.50')

  await page.goto(`${base}o/opportunity`)
  await page.locator('[data-testid=record-table]').waitFor()
  await page.click('[data-testid=filter-toggle]')
  await page.click('[data-testid=filter-mode-advanced]')
  await page.fill('#filter-expression', `name == ${JSON.stringify(name)}`)
  await page.click('[data-testid=filter-apply]')
  await page.locator('[data-testid=list-total]', { hasText: '1' }).waitFor()
  const rows = page.locator('[data-testid=record-table] .record-table-name')
  await rows.first().waitFor()
  assert.equal(await rows.count(), 1)
  assert.equal((await rows.first().innerText()).trim(), name)
})

test('bulk edit two selected rows', async () => {
  await page.goto(`${base}o/opportunity?filter=${encodeURIComponent('stage == "negotiation"')}`)
  const checks = page.locator('[data-testid=record-table] .el-table__body tbody tr .el-checkbox')
  await checks.first().waitFor()
  await checks.nth(0).click()
  await checks.nth(1).click()
  await page.locator('[data-testid=bulk-bar]').waitFor()
  const ids = await page.evaluate(() =>
    [...document.querySelectorAll('[data-testid=record-table] .el-table__body tbody tr')]
      .slice(0, 2)
      .map((tr) => [...tr.classList].find((c) => c.startsWith('row-'))?.slice(4)),
  )
  await page.click('[data-testid=bulk-edit]')
  await chooseOption(page.locator('[data-testid=bulk-field]'), '下一步计划')
  const text = `E2E bulk ${Date.now()}`
  await page.fill('#bulk-value', text)
  await page.click('[data-testid=bulk-apply]')
  await toast('已更新 2 条记录')
  for (const id of ids) {
    const r = await api('GET', `/records/opportunity/${id}`)
    assert.equal(r.next_step, text)
  }
})

test('kanban: drag a card to another stage', async () => {
  await page.goto(`${base}o/opportunity/kanban`)
  const from = page.locator('[data-testid=kanban-column][data-stage=qualification]')
  const to = page.locator('[data-testid=kanban-column][data-stage=needs_analysis]')
  const card = from.locator('[data-testid=kanban-card]').first()
  await card.waitFor()
  await to.locator('[data-testid=kanban-card]').first().waitFor()
  await shot('kanban')
  const id = await card.getAttribute('data-id')
  const before = await api('GET', `/records/opportunity/${id}`)
  assert.equal(before.stage, 'qualification')
  await card.dragTo(to.locator('.kanban-column-body'))
  await to.locator(`[data-testid=kanban-card][data-id="${id}"]`).waitFor()
  await toast('需求分析')
  const afterMove = await api('GET', `/records/opportunity/${id}`)
  assert.equal(afterMove.stage, 'needs_analysis')
  assert.equal(afterMove.version, before.version + 1)

  // A closing stage is asked first; cancelling leaves the card where it was.
  const lost = page.locator('[data-testid=kanban-column][data-stage=closed_lost]')
  await page.locator('.el-message').first().waitFor({ state: 'detached', timeout: 8000 }).catch(() => {})
  await to.locator(`[data-testid=kanban-card][data-id="${id}"]`).dragTo(lost.locator('.kanban-column-body'))
  const box = page.locator('.el-message-box:visible')
  await box.waitFor()
  await box.locator('.el-message-box__btns .el-button').first().click()
  await box.waitFor({ state: 'hidden' })
  await to.locator(`[data-testid=kanban-card][data-id="${id}"]`).waitFor()
  assert.equal((await api('GET', `/records/opportunity/${id}`)).stage, 'needs_analysis')

  // The record page lists the stage history under the stage path.
  await page.goto(`${base}o/opportunity/${id}`)
  const toggle = page.locator('[data-history=stage] [data-testid=stage-history-toggle]')
  await toggle.click()
  await page.locator('[data-history=stage] .stage-history-item.is-open', { hasText: '需求分析' }).waitFor()
  await page.locator('.el-message').first().waitFor({ state: 'detached', timeout: 8000 }).catch(() => {})
  await shot('record-stage-history')
})

test('switch language: English labels and the choice saved on the user', async () => {
  await page.goto(`${base}o/opportunity`)
  await page.locator('[data-testid=record-table]').waitFor()
  await page.click('[data-testid=language-switch]')
  await page.click('.el-dropdown-menu__item[data-locale=en]')
  await page.locator('.side-nav-item[data-object=opportunity]', { hasText: 'Opportunities' }).waitFor()
  await page.locator('.page-title', { hasText: 'Opportunities' }).waitFor()
  await page.locator('[data-testid=new-record]', { hasText: 'New' }).waitFor()
  const me = await api('GET', '/auth/me')
  assert.equal(me.user.locale, 'en')
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en')
  // back to Chinese for the remaining screenshots
  await page.click('[data-testid=language-switch]')
  await page.click('.el-dropdown-menu__item[data-locale=zh-CN]')
  await page.locator('.side-nav-item[data-object=opportunity]', { hasText: '商机' }).waitFor()
})

test('phone width: the list turns into cards', async () => {
  await page.setViewportSize({ width: 390, height: 844 })
  await page.goto(`${base}o/opportunity`)
  await page.locator('[data-testid=record-cards] .record-card').first().waitFor()
  const box = await page.locator('[data-testid=new-record]').boundingBox()
  assert.ok(box && box.height >= 44, `touch target is ${box?.height}px high`)
  await shot('list-phone')
  await page.setViewportSize({ width: 1440, height: 900 })
})

;(await import('./admin.mjs')).adminScenarios({ page: () => page, base: () => base, api, shot, toast })
;(await import('./access.mjs')).accessScenarios({ page: () => page, base: () => base, api, shot, toast, password: PASSWORD })
;(await import('./expressions.mjs')).expressionScenarios({ page: () => page, base: () => base, api, shot, toast })
;(await import('./workflows.mjs')).workflowScenarios({ page: () => page, base: () => base, api, shot, toast })
;(await import('./approvals.mjs')).approvalScenarios({ page: () => page, base: () => base, api, shot, toast, password: PASSWORD })

test('user menu: own API keys outside Setup', async () => {
  await page.goto(`${base}`)
  await page.click('[data-testid=user-menu]')
  await page.click('[data-testid=user-api-keys]')
  await page.waitForURL(/\/settings\/api-keys$/)
  await page.locator('[data-testid=new-api-key]').waitFor()
  assert.equal(await page.locator('[data-testid=admin-subnav]').count(), 0, 'not in the setup frame')
})

test('sign out', async () => {
  await page.goto(`${base}`)
  await page.click('[data-testid=user-menu]')
  await page.click('[data-testid=logout]')
  await page.waitForURL(/\/login/)
})
