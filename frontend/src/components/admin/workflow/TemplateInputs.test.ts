// The {{…}} parts of a subject and message are checked on the server as
// they are typed; a misspelt name is fixed in place in one click.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import type { ExprCheckInput } from '@/api/types'
import { mountApp } from '@/test/mountApp'
import TemplateInputs from './TemplateInputs.vue'

const checked: ExprCheckInput[] = []

function json(body: unknown): Response {
  return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } })
}

function fakeServer(_url: string, init?: RequestInit): Response {
  const body = JSON.parse(String(init?.body)) as ExprCheckInput
  checked.push(body)
  if (body.expression === 'nam') return json({ valid: false, errors: [{ message: 'unknown field `nam`, did you mean `name`?', position: 0, end: 3, suggestion: 'name' }] })
  return json({ valid: true, result_type: 'text' })
}

function mountInputs(subject: string): VueWrapper {
  const w: VueWrapper = mountApp(TemplateInputs, {
    props: {
      subject: { en: subject, 'zh-CN': '' },
      body: { en: '', 'zh-CN': '金额 {{ amount }}' },
      object: 'deal',
      prior: true,
      idBase: 't',
      'onUpdate:subject': (v: unknown) => void w.setProps({ subject: v }),
    },
  }) as VueWrapper
  return w
}

async function settle(): Promise<void> {
  await flushPromises()
  await new Promise((r) => setTimeout(r, 450))
  await flushPromises()
}

describe('TemplateInputs', () => {
  beforeEach(() => {
    checked.length = 0
    vi.stubGlobal('fetch', vi.fn(async (url: string, init?: RequestInit) => fakeServer(url, init)))
  })
  afterEach(() => vi.unstubAllGlobals())

  it('checks each part once, with the trigger’s prior mode, and fixes a typo in place', async () => {
    const w = mountInputs('Deal {{nam}} is key, {{ amount }}')
    await settle()
    expect(checked.map((c) => `${c.expression}:${c.prior}:${c.result_type}`).sort()).toEqual(['amount:true:any', 'nam:true:any'])
    const problem = w.find('[data-testid=template-problems]')
    expect(problem.text()).toContain('{{ nam }}')
    expect(problem.text()).toContain('did you mean `name`?')
    await w.find('[data-testid=template-fix]').trigger('click')
    await settle()
    expect((w.props() as { subject: { en: string } }).subject.en).toBe('Deal {{name}} is key, {{ amount }}')
    expect(w.find('[data-testid=template-problems]').exists()).toBe(false)
    expect(w.find('[data-testid=template-status]').text()).toContain('Every {{…}} part is valid')
  })
})
