// The bell against a fake server: the unread count on mount, again every
// minute and when the window regains focus; the panel lists notifications,
// and choosing one marks it read and opens its record.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { mountApp } from '@/test/mountApp'
import { useMetadataStore } from '@/stores/metadata'
import NotificationBell from './NotificationBell.vue'

const calls: string[] = []
let unread = 2

function json(body: unknown): Response {
  return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } })
}

function fakeServer(url: string, init?: RequestInit): Response {
  calls.push(`${init?.method ?? 'GET'} ${url}${init?.body ? ` ${init.body}` : ''}`)
  if (url.startsWith('/api/v1/notifications/read')) return json({ marked: 1 })
  if (url.startsWith('/api/v1/notifications')) {
    return json({
      unread,
      data: [
        { id: 'n1', title: 'Big is now key', body: 'Amount 1,200.00', object: 'deal', record_id: 'r1', source: 'workflow:key', created_at: '2026-11-25T01:00:00Z', read_at: null },
        { id: 'n2', title: 'Old news', body: '', object: 'deal', record_id: 'r2', source: 'workflow:key', created_at: '2026-11-20T01:00:00Z', read_at: '2026-11-21T01:00:00Z' },
      ],
    })
  }
  return new Response('{}', { status: 404, headers: { 'Content-Type': 'application/json' } })
}

const counts = () => calls.filter((c) => c === 'GET /api/v1/notifications?unread=true').length

describe('NotificationBell', () => {
  beforeEach(() => {
    calls.length = 0
    unread = 2
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
    vi.stubGlobal('fetch', vi.fn(async (url: string, init?: RequestInit) => fakeServer(url, init)))
  })
  afterEach(() => {
    vi.useRealTimers()
    vi.unstubAllGlobals()
    document.body.innerHTML = ''
  })

  it('asks for the count on mount, every minute and when the window regains focus', async () => {
    const w = mountApp(NotificationBell, { attachTo: document.body })
    await flushPromises()
    expect(counts()).toBe(1)
    expect(w.find('[data-testid=notifications-count]').text()).toBe('2')
    expect(w.find('[data-testid=notifications-bell]').attributes('aria-label')).toBe('Notifications, 2 unread')
    unread = 3
    vi.advanceTimersByTime(60_000)
    await flushPromises()
    expect(counts()).toBe(2)
    expect(w.find('[data-testid=notifications-count]').text()).toBe('3')
    window.dispatchEvent(new Event('focus'))
    await flushPromises()
    expect(counts()).toBe(3)
    w.unmount()
    vi.advanceTimersByTime(120_000)
    expect(counts()).toBe(3) // stopped with the shell
  })

  it('lists the notifications; choosing one marks it read and opens its record', async () => {
    const w = mountApp(NotificationBell, { attachTo: document.body })
    useMetadataStore().objects = [{ api_name: 'deal', labels: { en: 'Deal' }, name_field: 'name', fields: [] }]
    await flushPromises()
    await w.find('[data-testid=notifications-bell]').trigger('click')
    await vi.dynamicImportSettled()
    await flushPromises()
    const items = w.findAll('[data-testid=notification]')
    expect(items.map((i) => i.attributes('data-unread'))).toEqual(['true', 'false'])
    expect(items[0].text()).toContain('Big is now key')
    const router = w.vm.$router
    await items[0].trigger('click')
    await flushPromises()
    expect(calls).toContain('POST /api/v1/notifications/read {"ids":["n1"]}')
    expect(router.currentRoute.value.fullPath).toBe('/o/deal/r1')
    expect(w.find('[data-testid=notifications-count]').text()).toBe('1')
    expect(w.find('[data-testid=notifications-panel]').exists()).toBe(false)
  })
})
