// The translate function the workflow helpers take (vue-i18n's `t`, or the
// global one in tests): they describe things in words but stay plain
// functions, testable in both languages.
export type Translate = (key: string, named?: Record<string, unknown>, plural?: number) => string

/** vue-i18n's `t` (from useI18n or the global instance) as a Translate. */
export interface I18nTranslate {
  (key: string, named: Record<string, unknown>): string
  (key: string, named: Record<string, unknown>, plural: number): string
}

export function translator(t: I18nTranslate): Translate {
  return (key, named = {}, plural) => (plural === undefined ? t(key, named) : t(key, named, plural))
}
