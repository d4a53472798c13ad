// The execution log (GET /workflow-runs): filters to a query, pages by the
// last run's started_at, and a run's parts (inputs, action outputs,
// duration) as the log shows them.
import type { ObjectMeta, WorkflowRun, WorkflowRunQuery } from '@/api/types'

export const RUN_STATUSES = ['succeeded', 'failed', 'skipped'] as const
export const RUN_TRIGGERS = ['create', 'update', 'delete', 'date', 'schedule', 'manual'] as const
export const RUN_PAGE = 25

export interface RunFilters {
  object: string
  workflow: string
  status: string
  record_id: string
}

export function emptyRunFilters(): RunFilters {
  return { object: '', workflow: '', status: '', record_id: '' }
}

/** The query for a page: the filters that are set, and `before` for the pages after the first. */
export function runQuery(f: RunFilters, before?: string | null, limit = RUN_PAGE): WorkflowRunQuery {
  const q: WorkflowRunQuery = { limit }
  if (f.object) q.object = f.object
  if (f.workflow) q.workflow = f.workflow
  if (f.status) q.status = f.status
  if (f.record_id.trim()) q.record_id = f.record_id.trim()
  if (before) q.before = before
  return q
}

/** Where the next page starts: the oldest run's start, or null when this page was the last. */
export function nextBefore(page: WorkflowRun[], limit = RUN_PAGE): string | null {
  if (page.length < limit) return null
  return page[page.length - 1]?.started_at || null
}

/** Adds a page to what is shown, once per run (a run at the page boundary may come twice). */
export function appendRuns(shown: WorkflowRun[], page: WorkflowRun[]): WorkflowRun[] {
  const seen = new Set(shown.map((r) => r.id))
  return [...shown, ...page.filter((r) => !seen.has(r.id))]
}

/** How long a run took, in milliseconds (null when it has no end). */
export function runDuration(run: Pick<WorkflowRun, 'started_at' | 'finished_at'>): number | null {
  if (!run.finished_at) return null
  const ms = Date.parse(run.finished_at) - Date.parse(run.started_at)
  return Number.isNaN(ms) ? null : Math.max(0, ms)
}

/** "850 ms", "2.4 s", "3 min 5 s". */
export function durationLabel(ms: number | null): string {
  if (ms === null) return ''
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`
  const s = Math.round(ms / 1000)
  return `${Math.floor(s / 60)} min ${s % 60} s`
}

/** The record's name from the run's inputs (the record as the run read it), if it has one. */
export function runRecordName(run: WorkflowRun, obj: ObjectMeta | undefined): string {
  const v = obj && run.inputs ? run.inputs[obj.name_field] : undefined
  return v === null || v === undefined || v === '' ? '' : String(v)
}

/** A value of the log as text: strings as they are, the rest as JSON. */
export function logValue(v: unknown): string {
  if (v === null || v === undefined) return '—'
  if (typeof v === 'string') return v === '' ? '""' : v
  return JSON.stringify(v)
}

/** An action's output as rows (key, text), nested values as JSON. */
export function outputRows(output: Record<string, unknown> | undefined | null): { key: string; value: string }[] {
  if (!output) return []
  return Object.entries(output).map(([key, value]) => ({ key, value: logValue(value) }))
}

/** The inputs as rows in the object's field order (system fields last), values as text. */
export function inputRows(run: WorkflowRun, obj: ObjectMeta | undefined): { key: string; value: string }[] {
  const inputs = run.inputs ?? {}
  const order = new Map((obj?.fields ?? []).map((f, i) => [f.api_name, i]))
  return Object.keys(inputs)
    .filter((k) => k !== 'expand')
    .sort((a, b) => (order.get(a) ?? 1e6) - (order.get(b) ?? 1e6) || a.localeCompare(b))
    .map((key) => ({ key, value: logValue(inputs[key]) }))
}
