import { describe, expect, it } from 'vitest'
import { addDecimal, compactDecimal, formatDecimal, isDecimal, normalizeDecimal, roundDecimal, subtractDecimal } from './decimal'

describe('decimal strings', () => {
  it('normalises what people type without going through a float', () => {
    expect(normalizeDecimal('1,234.50')).toBe('1234.50')
    expect(normalizeDecimal(' +0012.3 ')).toBe('12.3')
    expect(normalizeDecimal('12345678901234567.89')).toBe('12345678901234567.89')
    expect(normalizeDecimal('-0.10')).toBe('-0.10')
    expect(normalizeDecimal('')).toBeNull()
    expect(normalizeDecimal('12abc')).toBeUndefined()
    expect(normalizeDecimal('1.2.3')).toBeUndefined()
  })

  it('recognises decimals', () => {
    expect(isDecimal('-3.25')).toBe(true)
    expect(isDecimal('.5')).toBe(true)
    expect(isDecimal('1e5')).toBe(false)
  })

  it('formats with grouping and a fixed scale, exactly', () => {
    expect(formatDecimal('1234567.5', 'en', 2)).toBe('1,234,567.50')
    expect(formatDecimal('12345678901234567.89', 'en', 2)).toBe('12,345,678,901,234,567.89')
    expect(formatDecimal('0.005', 'en', 2)).toBe('0.01')
    expect(formatDecimal('-1234', 'zh-CN')).toBe('-1,234')
    expect(formatDecimal('1234.5', 'de', 2)).toBe('1.234,50')
  })

  it('rounds half away from zero on the string', () => {
    expect(roundDecimal('2.345', 2)).toBe('2.35')
    expect(roundDecimal('-2.345', 2)).toBe('-2.35')
    expect(roundDecimal('9.995', 2)).toBe('10.00')
  })

  it('adds and subtracts exactly (0.1 + 0.2 is 0.3)', () => {
    expect(addDecimal('0.1', '0.2')).toBe('0.3')
    expect(addDecimal('101877000.00', '1752000.00')).toBe('103629000.00')
    expect(subtractDecimal('100.00', '100.01')).toBe('-0.01')
    expect(addDecimal(null, '5')).toBe('5')
  })

  it('compacts large amounts for board totals', () => {
    expect(compactDecimal('101877000.00', 'zh-CN')).toBe('1.01亿')
    expect(compactDecimal('35593700.00', 'zh-CN')).toBe('3,559.37万')
    expect(compactDecimal('35593700.00', 'en')).toBe('35.59M')
    expect(compactDecimal('999', 'en')).toBe('999')
  })
})
