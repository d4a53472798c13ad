// Schedules of workflows: five-field cron (minute hour day month weekday,
// in the tenant's time zone, as metadata/workflow.go parses it with
// robfig/cron, descriptors such as @daily included). The form edits the
// common shapes with presets (every day, some weekdays, a day of the
// month, at a time) and keeps anything else as raw text; every schedule is
// described in words.
import type { Locale } from '@/api/types'
import type { Translate } from './translate'

export type CronMode = 'daily' | 'weekly' | 'monthly' | 'custom'

export interface CronDraft {
  mode: CronMode
  hour: number
  minute: number
  /** 0 (Sunday) to 6 (Saturday), for weekly. */
  weekdays: number[]
  /** 1 to 31, for monthly. */
  day: number
  /** The cron as typed, for custom. */
  raw: string
}

export const CRON_MODES: CronMode[] = ['daily', 'weekly', 'monthly', 'custom']

/** Monday first, as calendars here show the week. */
export const WEEK: number[] = [1, 2, 3, 4, 5, 6, 0]

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
}

const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']
const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']

export function defaultCron(): CronDraft {
  return { mode: 'weekly', hour: 9, minute: 0, weekdays: [1], day: 1, raw: '0 9 * * 1' }
}

/** The cron a draft stands for. */
export function cronFromDraft(d: CronDraft): string {
  const at = `${d.minute} ${d.hour}`
  switch (d.mode) {
    case 'daily':
      return `${at} * * *`
    case 'weekly':
      return `${at} * * ${compactList(d.weekdays.length ? d.weekdays : [1])}`
    case 'monthly':
      return `${at} ${d.day} * *`
    case 'custom':
      return d.raw.trim()
  }
}

/** The form for a cron: a preset when it is one of their shapes, else custom. */
export function draftFromCron(cron: string): CronDraft {
  const raw = cron.trim()
  const base: CronDraft = { ...defaultCron(), mode: 'custom', raw }
  const f = fields(raw)
  if (!f || raw.startsWith('@')) return base
  const [mi, ho, dom, mon, dow] = f
  const minute = single(mi, 0, 59)
  const hour = single(ho, 0, 23)
  if (minute === null || hour === null || mon !== '*') return base
  const at = { ...base, hour, minute }
  if (dom === '*' && dow === '*') return { ...at, mode: 'daily' }
  if (dom === '*') {
    const days = parseList(dow, 0, 7, DAY_NAMES)
    if (days) return { ...at, mode: 'weekly', weekdays: days }
  }
  if (dow === '*') {
    const day = single(dom, 1, 31)
    if (day !== null) return { ...at, mode: 'monthly', day }
  }
  return base
}

/** The five fields of a cron (descriptors expanded), or null when it does not have five. */
function fields(cron: string): string[] | null {
  const expanded = DESCRIPTORS[cron.trim().toLowerCase()] ?? cron
  const parts = expanded.trim().split(/\s+/)
  return parts.length === 5 ? parts : null
}

/** Whether the text has the shape the server reads (it checks the rest). */
export function cronLooksValid(cron: string): boolean {
  const c = cron.trim()
  if (!c) return false
  if (c.startsWith('@')) return c.toLowerCase() in DESCRIPTORS || /^@every\s+\S+$/i.test(c)
  return fields(c) !== null
}

function single(field: string, min: number, max: number): number | null {
  if (!/^\d+$/.test(field)) return null
  const n = Number(field)
  return n >= min && n <= max ? n : null
}

/**
 * The values of a cron field made of numbers, names, ranges and steps
 * ("1-5", "mon,wed", "*\/15"), sorted; null for "*" or what it cannot read.
 * Weekday 7 is Sunday (0).
 */
export function parseList(field: string, min: number, max: number, names: string[] = []): number[] | null {
  if (field === '*' || field === '?') return null
  const out = new Set<number>()
  const value = (s: string): number | null => {
    const named = names.indexOf(s.toLowerCase())
    if (named >= 0) return named + (min === 1 ? 1 : 0)
    return /^\d+$/.test(s) ? Number(s) : null
  }
  for (const part of field.split(',')) {
    const m = /^([^/-]+|\*)(?:-([^/]+))?(?:\/(\d+))?$/.exec(part)
    if (!m) return null
    const step = m[3] ? Number(m[3]) : 1
    let from: number | null
    let to: number | null
    if (m[1] === '*') {
      from = min
      to = max
    } else {
      from = value(m[1])
      to = m[2] !== undefined ? value(m[2]) : m[3] ? max : from
    }
    if (from === null || to === null || step < 1 || from < min || to > max || from > to) return null
    for (let n = from; n <= to; n += step) out.add(max === 7 && n === 7 ? 0 : n)
  }
  return [...out].sort((a, b) => a - b)
}

/** "1,2,3,4,5" as "1-5": the shortest form of a weekday list. */
function compactList(values: number[]): string {
  const sorted = [...new Set(values)].sort((a, b) => a - b)
  const runs: string[] = []
  for (let i = 0; i < sorted.length; ) {
    let j = i
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++
    runs.push(j - i >= 2 ? `${sorted[i]}-${sorted[j]}` : sorted.slice(i, j + 1).join(','))
    i = j + 1
  }
  return runs.join(',')
}

const pad = (n: number) => String(n).padStart(2, '0')

/** "09:00". */
export function clock(hour: number, minute = 0): string {
  return `${pad(hour)}:${pad(minute)}`
}

export function joinList(items: string[], locale: Locale): string {
  if (items.length < 2) return items.join('')
  try {
    return new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' }).format(items)
  } catch {
    return items.join(', ')
  }
}

/** Weekdays Monday first (Sunday last), as people list them. */
function byWeek(days: number[]): number[] {
  return WEEK.filter((d) => days.includes(d))
}

/** A schedule in words: "Every Monday at 09:00", "每月 1 日 09:00". Keys under automation.cron. */
export function describeCron(cron: string, t: Translate, locale: Locale): string {
  const raw = cron.trim()
  if (!raw) return t('automation.cron.none')
  const every = /^@every\s+(\S+)$/i.exec(raw)
  if (every) return t('automation.cron.everyInterval', { interval: every[1] })
  const f = fields(raw)
  if (!f) return t('automation.cron.custom', { cron: raw })
  const [mi, ho, dom, mon, dow] = f
  const custom = () => t('automation.cron.custom', { cron: raw })

  // Every n minutes, or hourly at a minute.
  if (ho === '*' && dom === '*' && mon === '*' && dow === '*') {
    const step = /^\*\/(\d+)$/.exec(mi)
    if (mi === '*') return t('automation.cron.everyMinute')
    if (step) return t('automation.cron.everyMinutes', { n: Number(step[1]) }, Number(step[1]))
    const m = single(mi, 0, 59)
    return m === null ? custom() : t('automation.cron.hourly', { minute: pad(m) })
  }

  const minute = single(mi, 0, 59)
  const hours = parseList(ho, 0, 23)
  if (minute === null || !hours) return custom()
  const time = joinList(
    hours.map((h) => clock(h, minute)),
    locale,
  )

  const months = parseList(mon, 1, 12, MONTH_NAMES)
  const dates = parseList(dom, 1, 31)
  const weekdays = parseList(dow, 0, 7, DAY_NAMES)
  if (mon !== '*' && !months) return custom()
  if (dom !== '*' && !dates) return custom()
  if (dow !== '*' && !weekdays) return custom()

  // Both a day of the month and a weekday: either matches. Rare; say it raw.
  if (dates && weekdays) return custom()
  const monthText = months ? joinList(months.map((m) => t(`automation.cron.months.${m}`)), locale) : ''
  if (dates) {
    const days = joinList(
      dates.map((d) => String(d)),
      locale,
    )
    return months ? t('automation.cron.yearly', { months: monthText, days, time }) : t('automation.cron.monthly', { days, time })
  }
  let text: string
  if (!weekdays || weekdays.length === 7) text = t('automation.cron.daily', { time })
  else if (weekdays.join(',') === '1,2,3,4,5') text = t('automation.cron.workdays', { time })
  else text = t('automation.cron.weekly', { days: joinList(byWeek(weekdays).map((d) => t(`automation.cron.weekdays.${d}`)), locale), time })
  return months ? t('automation.cron.inMonths', { schedule: text, months: monthText }) : text
}
