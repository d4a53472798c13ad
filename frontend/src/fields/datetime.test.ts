import { describe, expect, it } from 'vitest'
import { formatDate, formatDateTime, utcToWall, wallToUtc } from './datetime'

describe('date-times between UTC and the user time zone', () => {
  it('shows a UTC instant as wall-clock time in the zone', () => {
    expect(utcToWall('2025-03-01T02:30:00Z', 'Asia/Shanghai')).toBe('2025-03-01 10:30:00')
    expect(utcToWall('2025-03-01T02:30:00Z', 'UTC')).toBe('2025-03-01 02:30:00')
    expect(utcToWall('2025-01-01T03:00:00Z', 'America/New_York')).toBe('2024-12-31 22:00:00')
  })

  it('turns a wall-clock time in the zone back into the UTC instant', () => {
    expect(wallToUtc('2025-03-01 10:30:00', 'Asia/Shanghai')).toBe('2025-03-01T02:30:00Z')
    expect(wallToUtc('2024-12-31 22:00:00', 'America/New_York')).toBe('2025-01-01T03:00:00Z')
    // summer time in New York is UTC-4
    expect(wallToUtc('2025-07-04 09:00:00', 'America/New_York')).toBe('2025-07-04T13:00:00Z')
  })

  it('round-trips across a daylight-saving change', () => {
    for (const iso of ['2025-03-09T06:59:00Z', '2025-03-09T07:00:00Z', '2025-11-02T04:30:00Z', '2025-11-02T07:30:00Z']) {
      expect(wallToUtc(utcToWall(iso, 'America/New_York'), 'America/New_York')).toBe(iso)
    }
    // 01:30 on 2 November happens twice in New York; the first one is chosen.
    expect(utcToWall('2025-11-02T06:30:00Z', 'America/New_York')).toBe('2025-11-02 01:30:00')
    expect(wallToUtc('2025-11-02 01:30:00', 'America/New_York')).toBe('2025-11-02T05:30:00Z')
  })

  it('formats dates without shifting the day, whatever the zone', () => {
    expect(formatDate('2025-01-31', 'en-US')).toBe('01/31/2025')
    expect(formatDate('2025-01-31', 'zh-CN')).toBe('2025/01/31')
  })

  it('formats date-times in the zone given', () => {
    expect(formatDateTime('2025-03-01T02:30:00Z', 'zh-CN', 'Asia/Shanghai')).toBe('2025/03/01 10:30')
  })
})
