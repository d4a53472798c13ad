import { afterEach, describe, expect, it, vi } from 'vitest'
import { createI18n } from 'vue-i18n'
import en from '@/i18n/en/admin'
import zh from '@/i18n/zh-CN/admin'

/** Every leaf key of a message tree, dotted. */
function keys(tree: object, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : keys(v as object, `${prefix}${k}.`)))
}

const PARAMS = { suggestion: 'amount', fields: 'a, b', error: 'e', n: 3, name: 'X', custom: 1, max: 48, char: '-', pos: 2, token: '{X}', type: 'T', code: 'CNY', first: 'A-1', second: 'A-2', from: 'a', to: 'b', object: 'O', field: 'f', id: 'id', role: 'r', detail: 'd' }

describe('admin messages', () => {
  afterEach(() => vi.restoreAllMocks())

  it('have the same keys in both languages', () => {
    expect(keys(zh).sort()).toEqual(keys(en).sort())
  })

  it.each(['en', 'zh-CN'] as const)('all compile and render in %s (braces and @ escaped)', (locale) => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    const i18n = createI18n({ legacy: false, locale, messages: { en: { admin: en }, 'zh-CN': { admin: zh } } })
    for (const key of keys(en)) {
      const text = i18n.global.t(`admin.${key}`, PARAMS)
      expect(text, key).not.toBe(`admin.${key}`)
      expect(text, key).not.toMatch(/\{[a-z]+\}/) // no unfilled parameter
    }
    expect(warn).not.toHaveBeenCalled()
    expect(error).not.toHaveBeenCalled()
  })

  it('render literal tokens where the text shows them', () => {
    const i18n = createI18n({ legacy: false, locale: 'en', messages: { en: { admin: en } } })
    expect(i18n.global.t('admin.check.patternCounter')).toContain('{00000}')
    expect(i18n.global.t('admin.users.emailPlaceholder')).toBe('name@company.com')
  })
})

describe('expression messages', () => {
  it('show the language literally ($today, quotes, parentheses)', () => {
    const i18n = createI18n({ legacy: false, locale: 'en', messages: { en: { admin: en }, 'zh-CN': { admin: zh } } })
    expect(i18n.global.t('admin.formula.defaultFormulaPlaceholder')).toBe('e.g. add_days($today, 30)')
    expect(i18n.global.t('admin.validationRules.conditionHint')).toContain('is_changed("stage")')
    i18n.global.locale.value = 'zh-CN'
    expect(i18n.global.t('admin.formula.defaultFormulaHint')).toContain('add_days($today, 30)')
  })
})
