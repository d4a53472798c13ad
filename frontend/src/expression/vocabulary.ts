// The vocabulary of an object's expressions (names, functions, keywords),
// fetched once per tenant, object, mode and metadata version: a new field
// shows up in completion as soon as the metadata says it exists.
import { api } from '@/api/client'
import type { ExprVocabulary } from '@/api/types'
import { DEFAULT_KEYWORDS, type HighlightVocabulary } from './tokens'

const cache = new Map<string, Promise<ExprVocabulary>>()

/** `scope` names the tenant and its metadata version ("<tenant id>:<version>"). */
export function loadVocabulary(object: string, prior: boolean, scope: string): Promise<ExprVocabulary> {
  const key = `${scope}|${object}|${prior}`
  let pending = cache.get(key)
  if (!pending) {
    pending = api.expressions.vocabulary(object, prior).then(normalize)
    pending.catch(() => cache.delete(key))
    cache.set(key, pending)
  }
  return pending
}

/** Drops what was fetched (tests, sign-out). */
export function forgetVocabularies(): void {
  cache.clear()
}

function normalize(v: ExprVocabulary): ExprVocabulary {
  return {
    names: Array.isArray(v?.names) ? v.names : [],
    functions: Array.isArray(v?.functions) ? v.functions : [],
    keywords: Array.isArray(v?.keywords) && v.keywords.length ? v.keywords : DEFAULT_KEYWORDS,
  }
}

/** The sets the highlighter asks; without a vocabulary only the language's own words are known. */
export function highlightSets(v: ExprVocabulary | null): HighlightVocabulary {
  return {
    names: new Set((v?.names ?? []).map((n) => n.name)),
    functions: new Set((v?.functions ?? []).map((f) => f.name)),
    keywords: new Set(v?.keywords ?? DEFAULT_KEYWORDS),
  }
}
