// Audit log helpers: the query the filters make, and the before/after
// JSON shown side by side with the changed top-level keys marked.
import type { AuditQuery } from '@/api/types'

export interface AuditFilters {
  action: string
  actor_id: string
  object: string
  record_id: string
  /** [from, to] as YYYY-MM-DD, inclusive. */
  range: [string, string] | null
  q: string
}

export function emptyAuditFilters(): AuditFilters {
  return { action: '', actor_id: '', object: '', record_id: '', range: null, q: '' }
}

/** The query string of GET /audit: dates as RFC 3339 (the whole `to` day included). */
export function auditQuery(f: AuditFilters, toIso: (day: string, endOfDay: boolean) => string): AuditQuery {
  const out: AuditQuery = {}
  if (f.action.trim()) out.action = f.action.trim()
  if (f.actor_id) out.actor_id = f.actor_id
  if (f.object) out.object = f.object
  if (f.record_id.trim()) out.record_id = f.record_id.trim()
  if (f.q.trim()) out.q = f.q.trim()
  if (f.range?.[0]) out.from = toIso(f.range[0], false)
  if (f.range?.[1]) out.to = toIso(f.range[1], true)
  return out
}

/** Pretty JSON of a before/after value ("" for none). */
export function prettyJson(v: unknown): string {
  if (v === undefined || v === null || v === '') return ''
  if (typeof v === 'string') {
    try {
      return JSON.stringify(JSON.parse(v), null, 2)
    } catch {
      return v
    }
  }
  return JSON.stringify(v, null, 2)
}

/** The top-level keys whose values differ between before and after. */
export function changedKeys(before: unknown, after: unknown): string[] {
  const obj = (v: unknown): Record<string, unknown> => {
    if (typeof v === 'string') {
      try {
        v = JSON.parse(v)
      } catch {
        return {}
      }
    }
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {}
  }
  const a = obj(before)
  const b = obj(after)
  const keys = new Set([...Object.keys(a), ...Object.keys(b)])
  return [...keys].filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k])).sort()
}
