// The workflow dialog against a fake server: what it sends on save, the
// local checks before sending, and the server's errors on their inputs.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import type { ObjectMeta, ProblemFieldError, Workflow } from '@/api/types'
import { mountApp } from '@/test/mountApp'
import { useMetadataStore } from '@/stores/metadata'
import { forgetVocabularies } from '@/expression/vocabulary'
import WorkflowDialog from './WorkflowDialog.vue'

const deal: ObjectMeta = {
  api_name: 'deal',
  labels: { en: 'Deal' },
  name_field: 'name',
  fields: [
    { api_name: 'name', type: 'text', labels: { en: 'Name' } },
    { api_name: 'amount', type: 'currency', labels: { en: 'Amount' } },
  ],
}

const existing: Workflow = {
  api_name: 'weekly',
  labels: { en: 'Weekly review' },
  active: true,
  order: 10,
  trigger: { type: 'schedule', cron: '0 9 * * 1', filter: 'amount > 100' },
  actions: [
    { type: 'notify', to: ['owner'], subject: { en: 'Review {{name}}' } },
    { type: 'webhook', url: 'https://example.com/hook' },
  ],
}

const sent: { method: string; url: string; body: unknown }[] = []
let answer: { status: number; errors?: ProblemFieldError[] } = { status: 200 }

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' } })
}

function fakeServer(url: string, init?: RequestInit): Response {
  if (url.includes('/expressions/vocabulary')) return json({ names: [{ name: 'name', type: 'text' }, { name: 'amount', type: 'number' }], functions: [], keywords: [] })
  if (url.includes('/expressions/check')) return json({ valid: true, result_type: 'any' })
  if (url.includes('/workflows')) {
    sent.push({ method: init?.method ?? 'GET', url, body: JSON.parse(String(init?.body)) })
    if (answer.status >= 400) return json({ status: answer.status, code: 'invalid_value', detail: 'the workflow is not valid', errors: answer.errors }, answer.status)
    return json(deal, answer.status)
  }
  if (url.startsWith('/api/v1/users')) return json({ data: [] })
  if (url.startsWith('/api/v1/org/roles')) return json({ data: [] })
  return json({}, 404)
}

function mountDialog(workflow: Workflow | null): VueWrapper {
  const w = mountApp(WorkflowDialog, {
    props: { modelValue: true, object: deal, workflow, taken: ['weekly'], nextOrder: 20 },
    attachTo: document.body,
  }) as VueWrapper
  useMetadataStore().objects = [deal]
  return w
}

async function settle(): Promise<void> {
  await flushPromises()
  await vi.dynamicImportSettled()
  await flushPromises()
}

function click(testid: string): void {
  ;(document.querySelector(`[data-testid=${testid}]`) as HTMLElement).click()
}

describe('WorkflowDialog', () => {
  beforeEach(() => {
    sent.length = 0
    answer = { status: 200 }
    forgetVocabularies()
    vi.stubGlobal('fetch', vi.fn(async (url: string, init?: RequestInit) => fakeServer(url, init)))
  })
  afterEach(() => {
    vi.unstubAllGlobals()
    document.body.innerHTML = ''
  })

  it('sends the workflow as loaded, with PUT on its name', async () => {
    const w = mountDialog(existing)
    await settle()
    expect(document.querySelector('[data-testid=trigger-summary]')?.textContent).toContain('Every Monday at 09:00')
    click('workflow-save')
    await settle()
    expect(sent).toEqual([{ method: 'PUT', url: '/api/v1/meta/objects/deal/workflows/weekly', body: existing }])
    expect(w.emitted('saved')).toHaveLength(1)
  })

  it('shows the server’s errors on their inputs and the rest at the top', async () => {
    answer = {
      status: 400,
      errors: [
        { field: 'actions[1].url', code: 'invalid_value', message: 'url must be an absolute http(s) address' },
        { field: 'trigger.cron', code: 'invalid_value', message: 'cron must be five fields' },
        { field: 'mystery', code: 'invalid_value', message: 'something else' },
      ],
    }
    mountDialog(existing)
    await settle()
    click('workflow-save')
    await settle()
    const action = document.querySelectorAll('[data-testid=workflow-action]')[1]
    expect(action.querySelector('.admin-field-error')?.textContent).toContain('url must be an absolute http(s) address')
    expect(document.querySelector('[data-testid=cron-input] .admin-field-error')?.textContent).toContain('cron must be five fields')
    expect(document.querySelector('[data-testid=form-errors]')?.textContent).toContain('something else')
  })

  it('checks a new workflow before sending it', async () => {
    mountDialog(null)
    await settle()
    click('workflow-save')
    await settle()
    expect(sent).toEqual([])
    const errors = [...document.querySelectorAll('.admin-field-error')].map((e) => e.textContent?.trim())
    expect(errors).toContain('Please enter an API name.')
    expect(errors).toContain('Please enter a label in at least one language.')
    expect(errors).toContain('Write the subject in at least one language.')
  })
})
