import { afterEach, describe, expect, it, vi } from 'vitest'
import { createI18n } from 'vue-i18n'
import en from '@/i18n/en/automation'
import zh from '@/i18n/zh-CN/automation'

function keys(tree: object, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : keys(v as object, `${prefix}${k}.`)))
}

const PARAMS = {
  n: 3, max: 50, name: 'X', field: 'F', value: 'V', amount: '1 day', time: '09:00', type: 'T', zone: 'Asia/Shanghai', cron: '0 9 * * 1',
  interval: '1h', minute: '05', days: 'Monday', months: 'May', schedule: 'S', object: 'O', fields: 'a, b', id: 'id', role: 'r', duration: '2 s',
}

describe('automation messages', () => {
  afterEach(() => vi.restoreAllMocks())

  it('have the same keys in both languages', () => {
    expect(keys(zh).sort()).toEqual(keys(en).sort())
  })

  it.each(['en', 'zh-CN'] as const)('all compile and render in %s (braces escaped)', (locale) => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    const i18n = createI18n({ legacy: false, locale, messages: { en: { automation: en }, 'zh-CN': { automation: zh } } })
    for (const key of keys(en)) {
      const text = i18n.global.t(`automation.${key}`, PARAMS)
      expect(text, key).not.toBe(`automation.${key}`)
      // an unfilled parameter (template examples show {{name}} on purpose)
      expect(text.replace(/\{\{[^}]*\}\}/g, ''), key).not.toMatch(/\{[a-z]+\}/)
    }
    expect(warn).not.toHaveBeenCalled()
    expect(error).not.toHaveBeenCalled()
  })

  it('show template braces literally', () => {
    const i18n = createI18n({ legacy: false, locale: 'en', messages: { en: { automation: en } } })
    expect(i18n.global.t('automation.actions.templateHint')).toContain('{{name}}')
    expect(i18n.global.t('automation.actions.subjectEnPlaceholder')).toBe('e.g. {{name}} is now a key deal')
    expect(i18n.global.t('automation.units.days', 1)).toBe('1 day')
    expect(i18n.global.t('automation.units.days', 3)).toBe('3 days')
  })
})
