// One page of records at a time, keyset-paged: a stack of cursors makes
// "previous" possible with cursor-only pagination. Stale answers (a newer
// query started meanwhile) are dropped.
import { nextTick, ref, shallowRef } from 'vue'
import { api } from '@/api/client'
import type { ListParams, RecordData } from '@/api/types'

export interface ListQuery {
  filter: string
  sort: string
  q: string
  fields?: string[]
  expand?: string[]
}

declare global {
  interface Window {
    /** Timings the e2e run reads (list render after data arrived, in ms). */
    __tesseraMetrics?: { listRender?: number[] }
  }
}

/** Records how long the DOM took to show a page of rows after the data arrived. */
function recordRender(ms: number, rows: number): void {
  window.__tesseraMetrics ??= {}
  ;(window.__tesseraMetrics.listRender ??= []).push(ms)
  if (import.meta.env.DEV) console.debug(`[tessera] list of ${rows} rows rendered in ${ms.toFixed(1)} ms`)
}

export function useRecordList(object: () => string, pageSize = 50) {
  const rows = shallowRef<RecordData[]>([])
  const total = ref<number | null>(null)
  const loading = ref(false)
  const loaded = ref(false)
  const error = ref<unknown>(null)
  const cursors = ref<(string | null)[]>([null])
  const page = ref(0)
  const nextCursor = ref<string | null>(null)
  let seq = 0
  let controller: AbortController | null = null
  let lastQuery: ListQuery | null = null

  async function fetchPage(query: ListQuery, cursor: string | null): Promise<boolean> {
    const mine = ++seq
    controller?.abort()
    controller = new AbortController()
    loading.value = true
    error.value = null
    const params: ListParams = {
      filter: query.filter || undefined,
      sort: query.sort || undefined,
      q: query.q || undefined,
      fields: query.fields,
      expand: query.expand?.length ? query.expand : undefined,
      limit: pageSize,
      cursor,
      count: true,
    }
    try {
      const res = await api.records.list(object(), params, controller.signal)
      if (mine !== seq) return false
      const started = performance.now()
      rows.value = res.data
      total.value = res.total ?? null
      nextCursor.value = res.next_cursor
      loaded.value = true
      await nextTick()
      recordRender(performance.now() - started, res.data.length)
      return true
    } catch (err) {
      if (mine !== seq || (err instanceof DOMException && err.name === 'AbortError')) return false
      error.value = err
      return false
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  /** Loads the first page of a (new) query. */
  async function load(query: ListQuery): Promise<void> {
    lastQuery = query
    cursors.value = [null]
    page.value = 0
    await fetchPage(query, null)
  }

  /** Loads the current page again (after an edit, a delete...). */
  async function reload(): Promise<void> {
    if (lastQuery) await fetchPage(lastQuery, cursors.value[page.value] ?? null)
  }

  async function next(): Promise<void> {
    if (!lastQuery || !nextCursor.value) return
    const cursor = nextCursor.value
    if (await fetchPage(lastQuery, cursor)) {
      cursors.value = [...cursors.value.slice(0, page.value + 1), cursor]
      page.value += 1
    }
  }

  async function previous(): Promise<void> {
    if (!lastQuery || page.value === 0) return
    const cursor = cursors.value[page.value - 1] ?? null
    if (await fetchPage(lastQuery, cursor)) page.value -= 1
  }

  return { rows, total, loading, loaded, error, page, pageSize, nextCursor, load, reload, next, previous }
}
