import { afterEach, describe, expect, it, vi } from 'vitest'
import { createI18n } from 'vue-i18n'
import en from '@/i18n/en/access'
import zh from '@/i18n/zh-CN/access'

function keys(tree: object, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : keys(v as object, `${prefix}${k}.`)))
}

const PARAMS = { n: 3, name: 'X', classes: 3, label: 'Feishu', detail: 'd', action: 'Read', object: 'O', children: '2 contacts' }

describe('access messages', () => {
  afterEach(() => vi.restoreAllMocks())

  it('have the same keys in both languages', () => {
    expect(keys(zh).sort()).toEqual(keys(en).sort())
  })

  it.each(['en', 'zh-CN'] as const)('all compile and render in %s', (locale) => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    const i18n = createI18n({ legacy: false, locale, messages: { en: { access: en }, 'zh-CN': { access: zh } } })
    for (const key of keys(en)) {
      const text = i18n.global.t(`access.${key}`, PARAMS)
      expect(text, key).not.toBe(`access.${key}`)
      expect(text, key).not.toMatch(/\{[a-z]+\}/)
    }
    expect(warn).not.toHaveBeenCalled()
    expect(error).not.toHaveBeenCalled()
  })
})
