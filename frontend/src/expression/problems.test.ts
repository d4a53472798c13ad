import { describe, expect, it } from 'vitest'
import { applySuggestion, problemOfFieldError, toEditorProblem, toEditorProblems } from './problems'

describe('editor problems from the server', () => {
  it('convert byte ranges after Chinese text to string ranges', () => {
    const src = 'name == "金额" && amout > 5'
    const position = new TextEncoder().encode(src.slice(0, src.indexOf('amout'))).length
    const p = toEditorProblem(src, { message: 'unknown field `amout`, did you mean `amount`?', position, end: position + 5, suggestion: 'amount' })
    expect(src.slice(p.from, p.to)).toBe('amout')
    expect(p).toMatchObject({ suggestion: 'amount', located: true })
  })

  it('mark the word at a position without an end', () => {
    const p = toEditorProblem('amount > prior.amout', { message: 'x', position: 9 })
    expect([p.from, p.to]).toEqual([9, 20])
    const q = toEditorProblem('amount >', { message: 'unexpected end', position: 8 })
    expect([q.from, q.to]).toEqual([8, 8]) // a point at the end: drawn by the editor
    const r = toEditorProblem('a + * b', { message: 'x', position: 4 })
    expect([r.from, r.to]).toEqual([4, 5])
  })

  it('keep problems without a position unlocated', () => {
    expect(toEditorProblems('a', [{ message: 'must give a boolean' }])).toEqual([{ message: 'must give a boolean', from: 0, to: 0, suggestion: undefined, located: false }])
    expect(toEditorProblems('a', null)).toEqual([])
  })
})

describe('the one-click fix', () => {
  it('replaces the range with the suggestion', () => {
    const src = 'discount > 20 && 金额 > amout'
    const p = toEditorProblem(src, { message: 'x', position: new TextEncoder().encode('discount > 20 && 金额 > ').length, end: new TextEncoder().encode(src).length, suggestion: 'amount' })
    expect(applySuggestion(src, p)).toEqual({ text: 'discount > 20 && 金额 > amount', cursor: src.length + 1 })
  })

  it('does nothing without a suggestion or a place', () => {
    expect(applySuggestion('a', toEditorProblem('a', { message: 'x', position: 0, end: 1 }))).toBeNull()
    expect(applySuggestion('a', toEditorProblem('a', { message: 'x', suggestion: 'b' }))).toBeNull()
  })

  it('reads the problem of a saved field error', () => {
    expect(problemOfFieldError({ field: 'formula', code: 'invalid_expression', message: 'm', position: 3, end: 5, suggestion: 's' })).toEqual({
      message: 'm',
      position: 3,
      end: 5,
      suggestion: 's',
    })
    expect(problemOfFieldError(undefined)).toBeNull()
  })
})
