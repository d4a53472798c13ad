import { describe, expect, it } from 'vitest'
import { formatResult } from './result'

const words = { blank: '(blank)', yes: 'true', no: 'false' }

describe('dry-run results', () => {
  it('keep decimals and dates as the server sent them', () => {
    expect(formatResult('102000.00', 'number', words)).toBe('102000.00')
    expect(formatResult('2026-07-01', 'date', words)).toBe('2026-07-01')
  })

  it('quote text so spaces show, and name blanks and booleans', () => {
    expect(formatResult('客户 A', 'text', words)).toBe('"客户 A"')
    expect(formatResult('', 'text', words)).toBe('""')
    expect(formatResult(null, 'number', words)).toBe('(blank)')
    expect(formatResult(true, 'boolean', words)).toBe('true')
  })

  it('join lists', () => {
    expect(formatResult(['finance', 'retail'], 'list', words)).toBe('finance, retail')
    expect(formatResult([], 'list', words)).toBe('(blank)')
  })
})
