// Metadata written by setup (starting stages, section titles) is labelled
// in both languages at once: this reads one message in each locale.
import { i18n } from '@/i18n'
import type { BilingualText } from './fieldDraft'

type Translate = (key: string, params: Record<string, unknown>, options: { locale: string }) => string

export function bothLocales(key: string, params: Record<string, unknown> = {}): BilingualText {
  const t = i18n.global.t as unknown as Translate
  return { en: t(key, params, { locale: 'en' }), 'zh-CN': t(key, params, { locale: 'zh-CN' }) }
}
