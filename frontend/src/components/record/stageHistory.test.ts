import { describe, expect, it } from 'vitest'
import { durationParts, stagePeriods } from './stageHistory'

const entries = [
  { field: 'stage', stage: 'a', from_stage: null, entered_at: '2025-01-01T00:00:00Z', left_at: '2025-01-03T05:00:00Z', entered_by: 'u1', left_by: 'u2' },
  { field: 'stage', stage: 'b', from_stage: 'a', entered_at: '2025-01-03T05:00:00Z', left_at: null, entered_by: 'u2', left_by: null },
  { field: 'other', stage: 'x', from_stage: null, entered_at: '2025-01-01T00:00:00Z', left_at: null, entered_by: null, left_by: null },
]

describe('stagePeriods', () => {
  it('keeps one field, newest first, with durations up to now for the open stage', () => {
    const now = Date.parse('2025-01-03T06:30:00Z')
    const p = stagePeriods(entries, 'stage', now)
    expect(p.map((e) => e.stage)).toEqual(['b', 'a'])
    expect(p[0].durationMs).toBe(90 * 60_000)
    expect(p[1].durationMs).toBe((2 * 24 + 5) * 3600_000)
  })
})

describe('durationParts', () => {
  it('shows days and hours, or hours and minutes', () => {
    expect(durationParts((2 * 24 + 5) * 3600_000 + 7 * 60_000)).toEqual({ d: 2, h: 5, m: 0 })
    expect(durationParts(90 * 60_000)).toEqual({ d: 0, h: 1, m: 30 })
    expect(durationParts(20_000)).toEqual({ d: 0, h: 0, m: 0 })
  })
})
