// The expression editor against a fake server: highlighting, completion
// after a lookup's dot, the debounced check with its squiggle and the
// one-click fix, and positions after Chinese text.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import type { ExprCheckInput, ExprVocabulary } from '@/api/types'
import { forgetVocabularies } from '@/expression/vocabulary'
import { mountApp } from '@/test/mountApp'
import ExpressionEditor from './ExpressionEditor.vue'

const vocab: ExprVocabulary = {
  names: [
    { name: 'amount', type: 'number', labels: { en: 'Amount', 'zh-CN': '金额' } },
    { name: 'name', type: 'text', labels: { en: 'Name' } },
    { name: 'account_id', type: 'text', labels: { en: 'Account' } },
    { name: 'account_id.tier', type: 'text', labels: { en: 'Account › Tier' } },
    { name: 'account_id.name', type: 'text', labels: { en: 'Account › Name' } },
  ],
  functions: [{ name: 'round', category: 'number', signature: 'round(number, places) number', doc: { en: 'Rounds.' } }],
  keywords: ['and', 'or', 'not', 'in', 'true', 'false', 'nil'],
}

const checks: ExprCheckInput[] = []
const encoder = new TextEncoder()

function json(body: unknown): Response {
  return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } })
}

/** A server that knows `amount` and reports `amout` with a suggestion, at its byte offset. */
function fakeServer(url: string, init?: RequestInit): Response {
  if (url.includes('/expressions/vocabulary')) return json(vocab)
  if (url.includes('/expressions/check')) {
    const body = JSON.parse(String(init?.body)) as ExprCheckInput
    checks.push(body)
    const at = body.expression.indexOf('amout')
    if (at < 0) return json({ valid: true, result_type: 'boolean', fields: ['amount'] })
    const position = encoder.encode(body.expression.slice(0, at)).length
    return json({ valid: false, errors: [{ message: 'unknown field `amout`, did you mean `amount`?', position, end: position + 5, suggestion: 'amount' }] })
  }
  return new Response('{}', { status: 404, headers: { 'Content-Type': 'application/json' } })
}

function mountEditor(modelValue: string): VueWrapper {
  const w: VueWrapper = mountApp(ExpressionEditor, {
    props: {
      modelValue,
      object: 'opportunity',
      resultType: 'boolean',
      prior: true,
      'onUpdate:modelValue': (v: string) => void w.setProps({ modelValue: v }),
    },
    attachTo: document.body,
  }) as VueWrapper
  return w
}

async function settle(): Promise<void> {
  await flushPromises()
  await new Promise((r) => setTimeout(r, 350))
  await flushPromises()
}

describe('ExpressionEditor', () => {
  beforeEach(() => {
    checks.length = 0
    forgetVocabularies()
    vi.stubGlobal('fetch', vi.fn(async (url: string, init?: RequestInit) => fakeServer(url, init)))
  })
  afterEach(() => {
    vi.unstubAllGlobals()
    document.body.innerHTML = ''
  })

  it('colours names, functions and literals', async () => {
    const w = mountEditor('round(amount, 2) > 5 && name == "客户"')
    await settle()
    const cls = (text: string) => w.findAll('.expr-highlight span').find((s) => s.text() === text)?.classes()
    expect(cls('round')).toContain('tok-function')
    expect(cls('amount')).toContain('tok-field')
    expect(cls('"客户"')).toContain('tok-string')
    expect(cls('5')).toContain('tok-number')
    expect(cls('&&')).toContain('tok-operator')
  })

  it('checks after typing stops, squiggles the problem after Chinese text and fixes it in one click', async () => {
    const w = mountEditor('name == "金额" && amout > 5')
    await settle()
    expect(checks.at(-1)).toEqual({ expression: 'name == "金额" && amout > 5', prior: true, result_type: 'boolean' })
    expect(w.find('[data-testid=expr-problem]').text()).toContain('did you mean `amount`?')
    const squiggle = w.findAll('.expr-highlight .is-problem')
    expect(squiggle.map((s) => s.text()).join('')).toBe('amout')
    await w.find('[data-testid=expr-fix]').trigger('click')
    await settle()
    expect((w.props() as { modelValue: string }).modelValue).toBe('name == "金额" && amount > 5')
    expect(w.find('[data-testid=expr-problem]').exists()).toBe(false)
    expect(w.find('[data-testid=expr-valid]').text()).toContain('True/false')
    w.unmount()
  })

  it('debounces: one check for a burst of typing', async () => {
    const w = mountEditor('')
    await settle()
    for (const v of ['a', 'am', 'amo', 'amou', 'amount']) await w.setProps({ modelValue: v })
    await settle()
    expect(checks.map((c) => c.expression)).toEqual(['amount'])
  })

  it("offers a lookup's fields after its dot and inserts the one chosen", async () => {
    const w = mountEditor('')
    await settle()
    const area = w.find('textarea')
    const el = area.element as HTMLTextAreaElement
    el.value = 'account_id.'
    el.setSelectionRange(11, 11)
    await area.trigger('input', { data: '.', inputType: 'insertText' })
    await flushPromises()
    const items = w.findAll('[data-testid=expr-completions] [role=option]')
    expect(items.map((i) => i.attributes('data-label'))).toEqual(['tier', 'name'])
    await area.trigger('keydown', { key: 'Enter' })
    await flushPromises()
    expect((w.props() as { modelValue: string }).modelValue).toBe('account_id.tier')
    expect(w.find('[data-testid=expr-completions]').exists()).toBe(false)
  })

  it('shows the problem the server answered on save until the text changes', async () => {
    const w = mountEditor('amount >')
    await w.setProps({ serverProblem: { message: 'unexpected end of expression', position: 8 } })
    await flushPromises()
    expect(w.find('[data-testid=expr-problem]').text()).toContain('unexpected end')
    expect(w.find('.expr-missing').exists()).toBe(true)
    await w.setProps({ modelValue: 'amount > 1' })
    await settle()
    expect(w.find('[data-testid=expr-problem]').exists()).toBe(false)
  })
})
