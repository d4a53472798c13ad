// vue-i18n setup. Messages are split per area (common, workspace, admin) and
// per locale; zh-CN is typed against en so a missing key fails the build.
import { createI18n } from 'vue-i18n'
import dayjs from 'dayjs'
import 'dayjs/locale/zh-cn'
import type { Locale } from '@/api/types'
import en from './en'
import zhCN from './zh-CN'

export type MessageSchema = typeof en

export const LOCALES: Locale[] = ['zh-CN', 'en']
const STORAGE_KEY = 'tessera.locale'

export function isLocale(value: unknown): value is Locale {
  return value === 'zh-CN' || value === 'en'
}

/** Maps what a browser or server says ("zh", "zh-Hans-CN", "en-GB") to ours. */
export function toLocale(value: string | null | undefined): Locale | null {
  if (!value) return null
  const v = value.toLowerCase()
  if (v.startsWith('zh')) return 'zh-CN'
  if (v.startsWith('en')) return 'en'
  return null
}

export function storedLocale(): Locale | null {
  try {
    return toLocale(localStorage.getItem(STORAGE_KEY))
  } catch {
    return null
  }
}

export function browserLocale(): Locale {
  for (const l of navigator.languages ?? [navigator.language]) {
    const m = toLocale(l)
    if (m) return m
  }
  return 'en'
}

export const i18n = createI18n<[MessageSchema], Locale, false>({
  legacy: false,
  locale: storedLocale() ?? browserLocale(),
  fallbackLocale: 'en',
  messages: { en, 'zh-CN': zhCN },
  missingWarn: import.meta.env.DEV,
  fallbackWarn: false,
})

export function currentLocale(): Locale {
  return i18n.global.locale.value
}

/** Switches the UI language (messages, dayjs, <html lang>) and remembers it here. */
export function applyLocale(locale: Locale): void {
  i18n.global.locale.value = locale
  dayjs.locale(locale === 'zh-CN' ? 'zh-cn' : 'en')
  document.documentElement.lang = locale
  try {
    localStorage.setItem(STORAGE_KEY, locale)
  } catch {
    // private mode: the choice lasts for this page
  }
}
