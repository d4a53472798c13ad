import { afterEach, describe, expect, it } from 'vitest'
import { i18n } from '@/i18n'
import type { Locale, ObjectMeta, WorkflowTrigger } from '@/api/types'
import { describeTrigger, minutesOf, offsetMinutes, relativeOffset, splitOffset, triggerSeesPrior } from './trigger'
import { translator } from './translate'

const opportunity: ObjectMeta = {
  api_name: 'opportunity',
  labels: { en: 'Opportunity', 'zh-CN': '商机' },
  name_field: 'name',
  fields: [
    { api_name: 'name', type: 'text', labels: { en: 'Name', 'zh-CN': '名称' } },
    {
      api_name: 'stage',
      type: 'picklist',
      labels: { en: 'Stage', 'zh-CN': '阶段' },
      options: [{ api_name: 'closed_won', labels: { en: 'Closed Won', 'zh-CN': '赢单' } }],
    },
    { api_name: 'is_key', type: 'boolean', labels: { en: 'Key deal', 'zh-CN': '重点商机' } },
    { api_name: 'close_date', type: 'date', labels: { en: 'Close date', 'zh-CN': '预计成交日期' } },
    { api_name: 'due_at', type: 'datetime', labels: { en: 'Due', 'zh-CN': '到期时间' } },
  ],
}

function say(trigger: WorkflowTrigger, locale: Locale = 'en'): string {
  i18n.global.locale.value = locale
  return describeTrigger(trigger, { t: translator(i18n.global.t), locale, object: opportunity })
}

afterEach(() => {
  i18n.global.locale.value = 'en'
})

describe('triggers in words', () => {
  it('name the field and the value a field changes to', () => {
    expect(say({ type: 'field_changed', field: 'stage', to: 'closed_won' })).toBe('When Stage changes to Closed Won')
    expect(say({ type: 'field_changed', field: 'stage' })).toBe('When Stage changes')
    expect(say({ type: 'field_changed', field: 'is_key', to: 'true' })).toBe('When Key deal changes to Yes')
    expect(say({ type: 'field_changed', field: 'stage', to: 'closed_won' }, 'zh-CN')).toBe('当「阶段」变为「赢单」时')
    expect(say({ type: 'field_changed', field: 'gone', to: 'x' })).toBe('When gone changes to x')
  })

  it('count days from a date at an hour', () => {
    expect(say({ type: 'date_relative', field: 'close_date', offset_days: 1, hour: 9 })).toBe('1 day after Close date at 09:00')
    expect(say({ type: 'date_relative', field: 'close_date', offset_days: -3, hour: 18 })).toBe('3 days before Close date at 18:00')
    expect(say({ type: 'date_relative', field: 'close_date' })).toBe('On Close date at 00:00')
    expect(say({ type: 'date_relative', field: 'close_date', offset_days: 1, hour: 9 }, 'zh-CN')).toBe('「预计成交日期」后 1 天 09:00')
  })

  it('count minutes, hours and days from a date-time', () => {
    expect(say({ type: 'date_relative', field: 'due_at', offset_minutes: -30 })).toBe('30 minutes before Due')
    expect(say({ type: 'date_relative', field: 'due_at', offset_days: -1, offset_minutes: -90 })).toBe('1 day 1 hour 30 minutes before Due')
    expect(say({ type: 'date_relative', field: 'due_at', offset_minutes: 120 })).toBe('2 hours after Due')
    expect(say({ type: 'date_relative', field: 'due_at' })).toBe('At Due')
    expect(say({ type: 'date_relative', field: 'due_at', offset_minutes: -30 }, 'zh-CN')).toBe('「到期时间」前 30 分钟')
  })

  it('describe schedules, saves and buttons', () => {
    expect(say({ type: 'schedule', cron: '0 9 * * 1', filter: 'amount > 5' })).toBe('Every Monday at 09:00')
    expect(say({ type: 'schedule', cron: '0 9 * * 1' }, 'zh-CN')).toBe('每周一 09:00')
    expect(say({ type: 'after_save' })).toBe('When a record is created or updated')
    expect(say({ type: 'before_save' }, 'zh-CN')).toBe('记录保存前')
    expect(say({ type: 'manual' })).toBe('When run from the record page')
  })
})

describe('trigger rules', () => {
  it('give prior values only to triggers that fire from a save', () => {
    expect(['before_save', 'after_create', 'after_update', 'after_save', 'after_delete', 'field_changed'].every((t) => triggerSeesPrior(t as never))).toBe(true)
    expect(['schedule', 'date_relative', 'manual'].some((t) => triggerSeesPrior(t as never))).toBe(false)
  })

  it('convert offsets between the form and the server', () => {
    expect(relativeOffset(-30)).toEqual({ amount: 30, unit: 'minutes', direction: 'before' })
    expect(relativeOffset(120)).toEqual({ amount: 2, unit: 'hours', direction: 'after' })
    expect(relativeOffset(-2880)).toEqual({ amount: 2, unit: 'days', direction: 'before' })
    expect(relativeOffset(0)).toEqual({ amount: 0, unit: 'days', direction: 'after' })
    expect(minutesOf({ amount: 2, unit: 'hours', direction: 'before' })).toBe(-120)
    expect(splitOffset(-1530)).toEqual({ offset_days: -1, offset_minutes: -90 })
    expect(splitOffset(30)).toEqual({ offset_days: 0, offset_minutes: 30 })
    expect(offsetMinutes({ offset_days: -1, offset_minutes: -90 })).toBe(-1530)
  })
})
