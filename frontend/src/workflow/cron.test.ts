import { afterEach, describe, expect, it } from 'vitest'
import { i18n } from '@/i18n'
import type { Locale } from '@/api/types'
import { cronFromDraft, cronLooksValid, defaultCron, describeCron, draftFromCron, parseList } from './cron'
import { translator } from './translate'

function describe2(cron: string, locale: Locale): string {
  i18n.global.locale.value = locale
  return describeCron(cron, translator(i18n.global.t), locale)
}

afterEach(() => {
  i18n.global.locale.value = 'en'
})

describe('cron presets', () => {
  it('write the five fields of each preset', () => {
    const base = defaultCron()
    expect(cronFromDraft({ ...base, mode: 'daily', hour: 8, minute: 30 })).toBe('30 8 * * *')
    expect(cronFromDraft({ ...base, mode: 'weekly', hour: 9, minute: 0, weekdays: [1] })).toBe('0 9 * * 1')
    expect(cronFromDraft({ ...base, mode: 'weekly', weekdays: [5, 1, 2, 3, 4] })).toBe('0 9 * * 1-5')
    expect(cronFromDraft({ ...base, mode: 'weekly', weekdays: [1, 3, 5] })).toBe('0 9 * * 1,3,5')
    expect(cronFromDraft({ ...base, mode: 'weekly', weekdays: [] })).toBe('0 9 * * 1')
    expect(cronFromDraft({ ...base, mode: 'monthly', day: 15, hour: 18, minute: 5 })).toBe('5 18 15 * *')
    expect(cronFromDraft({ ...base, mode: 'custom', raw: '  */10 * * * * ' })).toBe('*/10 * * * *')
  })

  it('read a cron back into its preset, or keep it raw', () => {
    expect(draftFromCron('0 9 * * 1')).toMatchObject({ mode: 'weekly', hour: 9, minute: 0, weekdays: [1] })
    expect(draftFromCron('30 8 * * *')).toMatchObject({ mode: 'daily', hour: 8, minute: 30 })
    expect(draftFromCron('0 9 * * mon-fri')).toMatchObject({ mode: 'weekly', weekdays: [1, 2, 3, 4, 5] })
    expect(draftFromCron('0 7 1 * *')).toMatchObject({ mode: 'monthly', day: 1, hour: 7 })
    expect(draftFromCron('*/15 * * * *')).toMatchObject({ mode: 'custom', raw: '*/15 * * * *' })
    expect(draftFromCron('0 9 1 1 *')).toMatchObject({ mode: 'custom' })
    expect(draftFromCron('@daily')).toMatchObject({ mode: 'custom', raw: '@daily' })
    for (const cron of ['0 9 * * 1', '30 8 * * *', '0 7 1 * *', '0 9 * * 1-5']) expect(cronFromDraft(draftFromCron(cron))).toBe(cron)
  })

  it('reads lists, ranges, steps and names, Sunday as 0 or 7', () => {
    expect(parseList('1-5', 0, 7)).toEqual([1, 2, 3, 4, 5])
    expect(parseList('0,7', 0, 7)).toEqual([0])
    expect(parseList('sat,SUN', 0, 7, ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'])).toEqual([0, 6])
    expect(parseList('*/20', 0, 59)).toEqual([0, 20, 40])
    expect(parseList('*', 0, 59)).toBeNull()
    expect(parseList('8-2', 0, 23)).toBeNull()
    expect(parseList('x', 0, 23)).toBeNull()
  })

  it('knows the shapes the server reads', () => {
    expect(cronLooksValid('0 9 * * 1')).toBe(true)
    expect(cronLooksValid('@weekly')).toBe(true)
    expect(cronLooksValid('@every 1h')).toBe(true)
    expect(cronLooksValid('every day')).toBe(false)
    expect(cronLooksValid('0 9 * *')).toBe(false)
    expect(cronLooksValid('')).toBe(false)
  })
})

describe('schedules in words', () => {
  it('in English', () => {
    expect(describe2('0 9 * * 1', 'en')).toBe('Every Monday at 09:00')
    expect(describe2('30 8 * * *', 'en')).toBe('Every day at 08:30')
    expect(describe2('0 9 * * 1-5', 'en')).toBe('Every weekday at 09:00')
    expect(describe2('0 9 * * 1,3,5', 'en')).toBe('Every Monday, Wednesday, and Friday at 09:00')
    expect(describe2('0 9 * * 0,6', 'en')).toBe('Every Saturday and Sunday at 09:00')
    expect(describe2('0 7 1 * *', 'en')).toBe('On day 1 of every month at 07:00')
    expect(describe2('0 9,17 * * *', 'en')).toBe('Every day at 09:00 and 17:00')
    expect(describe2('*/15 * * * *', 'en')).toBe('Every 15 minutes')
    expect(describe2('5 * * * *', 'en')).toBe('Every hour at minute 05')
    expect(describe2('@daily', 'en')).toBe('Every day at 00:00')
    expect(describe2('@every 2h', 'en')).toBe('Every 2h')
    expect(describe2('0 9 1 1 *', 'en')).toBe('Every year on January 1 at 09:00')
    expect(describe2('0 9 1 * 1', 'en')).toBe('On the schedule 0 9 1 * 1')
  })

  it('in Chinese', () => {
    expect(describe2('0 9 * * 1', 'zh-CN')).toBe('每周一 09:00')
    expect(describe2('30 8 * * *', 'zh-CN')).toBe('每天 08:30')
    expect(describe2('0 9 * * 1-5', 'zh-CN')).toBe('每个工作日 09:00')
    expect(describe2('0 9 * * 1,3', 'zh-CN')).toBe('每周一和周三 09:00')
    expect(describe2('0 7 1 * *', 'zh-CN')).toBe('每月 1 日 07:00')
    expect(describe2('*/15 * * * *', 'zh-CN')).toBe('每 15 分钟')
    expect(describe2('x y', 'zh-CN')).toBe('按计划 x y')
  })
})
