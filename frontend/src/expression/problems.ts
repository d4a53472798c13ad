// Problems of an expression as the editor shows them: the server's byte
// ranges turned into string ranges, a range for problems that name only a
// position, and the one-click fix that puts the suggestion in place.
import type { ExprProblem, ProblemFieldError } from '@/api/types'
import { byteRange } from './bytes'

export interface EditorProblem {
  message: string
  /** String indices; from === to marks a point (e.g. "expected an operand" at the end). */
  from: number
  to: number
  /** The replacement the server proposes for [from, to). */
  suggestion?: string
  /** Whether the server gave a position at all. */
  located: boolean
}

const WORD = /[\p{L}\p{N}_$.]/u

/**
 * The string range of one server problem. A position without an end marks
 * the word starting there (or the one character there), so a squiggle shows.
 */
export function toEditorProblem(src: string, p: ExprProblem): EditorProblem {
  if (p.position === undefined || p.position === null || p.position < 0) {
    return { message: p.message, from: 0, to: 0, suggestion: p.suggestion || undefined, located: false }
  }
  let { from, to } = byteRange(src, p.position, p.end ?? undefined)
  if (to === from && from < src.length) {
    to = from + 1
    while (to < src.length && WORD.test(src[from]) && WORD.test(src[to])) to++
  }
  return { message: p.message, from, to, suggestion: p.suggestion || undefined, located: true }
}

export function toEditorProblems(src: string, problems: ExprProblem[] | undefined | null): EditorProblem[] {
  return (problems ?? []).map((p) => toEditorProblem(src, p))
}

/**
 * Applies a problem's suggestion: the range is replaced with it. Without a
 * located range the suggestion cannot be placed and nothing changes.
 */
export function applySuggestion(src: string, problem: EditorProblem): { text: string; cursor: number } | null {
  if (problem.suggestion === undefined || !problem.located) return null
  const text = src.slice(0, problem.from) + problem.suggestion + src.slice(problem.to)
  return { text, cursor: problem.from + problem.suggestion.length }
}

/** A field error of a problem+json answer (invalid_expression on formula, condition…) as an expression problem. */
export function problemOfFieldError(e: ProblemFieldError | undefined | null): ExprProblem | null {
  if (!e) return null
  return { message: e.message, position: e.position, end: e.end, suggestion: e.suggestion }
}
