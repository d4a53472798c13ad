// The stage history of one pipeline field, newest first, with how long the
// record stayed in each stage.
import type { StageHistoryEntry } from '@/api/types'

export interface StagePeriod extends StageHistoryEntry {
  /** Milliseconds in the stage (up to `now` for the open one), or null when unknown. */
  durationMs: number | null
}

export function stagePeriods(entries: StageHistoryEntry[], field: string, now = Date.now()): StagePeriod[] {
  return entries
    .filter((e) => e.field === field)
    .map((e) => {
      const from = Date.parse(e.entered_at)
      const to = e.left_at ? Date.parse(e.left_at) : now
      const durationMs = Number.isNaN(from) || Number.isNaN(to) ? null : Math.max(0, to - from)
      return { ...e, durationMs }
    })
    .sort((a, b) => Date.parse(b.entered_at) - Date.parse(a.entered_at))
}

/** Days, hours and minutes of a duration: the two largest non-zero units (at least minutes). */
export function durationParts(ms: number): { d: number; h: number; m: number } {
  const minutes = Math.floor(ms / 60_000)
  const d = Math.floor(minutes / 1440)
  const h = Math.floor((minutes % 1440) / 60)
  const m = minutes % 60
  if (d > 0) return { d, h, m: 0 }
  return { d: 0, h, m }
}
