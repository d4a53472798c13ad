import { describe, expect, it } from 'vitest'
import { hasUnclosedPart, templateParts } from './template'

describe('templates', () => {
  it('find the {{…}} parts, trimmed, with their place', () => {
    const t = 'Deal {{ name }} is {{format(amount, "#,##0.00")}}!'
    const parts = templateParts(t)
    expect(parts.map((p) => p.source)).toEqual(['name', 'format(amount, "#,##0.00")'])
    expect(t.slice(parts[0].from, parts[0].to)).toBe('{{ name }}')
    expect(templateParts('no parts')).toEqual([])
    expect(templateParts('{{a}} and {{b')).toHaveLength(1)
  })

  it('notice a part never closed', () => {
    expect(hasUnclosedPart('{{a}} and {{b')).toBe(true)
    expect(hasUnclosedPart('{{a}}')).toBe(false)
  })
})
