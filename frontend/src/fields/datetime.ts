// Dates and times. The API sends date-times in UTC (RFC 3339) and dates as
// YYYY-MM-DD. People see and type wall-clock times in their own time zone
// (the user's, else the tenant's); these helpers convert between the two with
// Intl only, so no time-zone database is bundled.

export const WALL_FORMAT = 'YYYY-MM-DD HH:mm:ss'

interface WallParts {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
}

const partsFormatters = new Map<string, Intl.DateTimeFormat>()

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = partsFormatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
    partsFormatters.set(timeZone, f)
  }
  return f
}

function wallPartsAt(epochMs: number, timeZone: string): WallParts {
  const out: Record<string, number> = {}
  for (const p of partsFormatter(timeZone).formatToParts(new Date(epochMs))) {
    if (p.type !== 'literal') out[p.type] = Number(p.value)
  }
  return {
    year: out.year,
    month: out.month,
    day: out.day,
    hour: out.hour === 24 ? 0 : out.hour,
    minute: out.minute,
    second: out.second,
  }
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0')

function wallText(p: WallParts): string {
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`
}

/** True when the runtime knows the IANA time zone. */
export function isValidTimeZone(timeZone: string | null | undefined): timeZone is string {
  if (!timeZone) return false
  try {
    new Intl.DateTimeFormat('en-US', { timeZone })
    return true
  } catch {
    return false
  }
}

/** "2025-03-01T02:30:00Z" in Asia/Shanghai -> "2025-03-01 10:30:00". */
export function utcToWall(iso: string, timeZone: string): string {
  const ms = Date.parse(iso)
  if (Number.isNaN(ms)) return ''
  return wallText(wallPartsAt(ms, timeZone))
}

/**
 * "2025-03-01 10:30:00" as a wall-clock time in `timeZone` -> the UTC
 * instant as RFC 3339 ("2025-03-01T02:30:00Z"). For a time skipped by a
 * daylight-saving jump the later offset wins; for a repeated hour, the first.
 */
export function wallToUtc(wall: string, timeZone: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(wall.trim())
  if (!m) return ''
  const [year, month, day, hour, minute, second] = m.slice(1).map((v) => Number(v ?? 0))
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second || 0)
  // Two passes settle the offset at that wall time, including across DST changes.
  let guess = asUtc
  for (let i = 0; i < 2; i++) {
    const p = wallPartsAt(guess, timeZone)
    const shown = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second)
    guess = guess - (shown - asUtc)
  }
  return new Date(guess).toISOString().replace('.000Z', 'Z')
}

/** A date-time for people, in their locale and time zone. */
export function formatDateTime(iso: string, locale: string, timeZone: string): string {
  const ms = Date.parse(iso)
  if (Number.isNaN(ms)) return iso
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(ms))
}

/** A calendar date (no time zone applies): "2025-01-31" -> "2025/01/31" or "01/31/2025". */
export function formatDate(date: string, locale: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  if (!m) return date
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
  return new Intl.DateTimeFormat(locale, { timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(ms),
  )
}

/** Today's date in a time zone, as YYYY-MM-DD. */
export function todayIn(timeZone: string): string {
  return utcToWall(new Date().toISOString(), timeZone).slice(0, 10)
}

/** "3 days ago" style text for timelines. */
export function relativeTime(iso: string, locale: string, now = Date.now()): string {
  const ms = Date.parse(iso)
  if (Number.isNaN(ms)) return ''
  const diff = ms - now
  const abs = Math.abs(diff)
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' })
  const minute = 60_000
  const hour = 60 * minute
  const day = 24 * hour
  if (abs < hour) return rtf.format(Math.round(diff / minute), 'minute')
  if (abs < day) return rtf.format(Math.round(diff / hour), 'hour')
  if (abs < 30 * day) return rtf.format(Math.round(diff / day), 'day')
  if (abs < 365 * day) return rtf.format(Math.round(diff / (30 * day)), 'month')
  return rtf.format(Math.round(diff / (365 * day)), 'year')
}
