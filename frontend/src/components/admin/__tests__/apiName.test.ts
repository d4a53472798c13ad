import { describe, expect, it } from 'vitest'
import { apiNameProblem, hasNonLatinLetters, nextOptionName, suggestApiName, suggestOptionName } from '../apiName'

describe('suggestApiName', () => {
  it('turns an English label into snake_case', () => {
    expect(suggestApiName('Project')).toBe('project')
    expect(suggestApiName('Contract Value (CNY)')).toBe('contract_value_cny')
    expect(suggestApiName('  Go-Live  Date ')).toBe('go_live_date')
    expect(suggestApiName('ProjectManager')).toBe('project_manager')
    expect(suggestApiName('Café Müller')).toBe('cafe_muller')
  })

  it('drops leading digits and keeps the 48-character limit without a trailing underscore', () => {
    expect(suggestApiName('2024 Budget')).toBe('budget')
    const long = suggestApiName('a'.repeat(47) + ' b')
    expect(long.length).toBeLessThanOrEqual(48)
    expect(long.endsWith('_')).toBe(false)
  })

  it('suffixes reserved words and SQL keywords so the suggestion is valid', () => {
    expect(suggestApiName('Order')).toBe('order_c')
    expect(suggestApiName('Owner Id')).toBe('owner_id_c')
    expect(apiNameProblem(suggestApiName('Select'))).toBeNull()
  })

  it('avoids names already taken', () => {
    expect(suggestApiName('Budget', ['budget'])).toBe('budget_2')
    expect(suggestApiName('Budget', ['budget', 'budget_2'])).toBe('budget_3')
  })

  it('suggests nothing for Chinese labels: the admin types the api name', () => {
    expect(hasNonLatinLetters('项目')).toBe(true)
    expect(hasNonLatinLetters('Project 2 (A)')).toBe(false)
    expect(suggestApiName('项目')).toBe('')
    expect(suggestApiName('项目 Project')).toBe('')
    expect(suggestApiName('')).toBe('')
  })
})

describe('apiNameProblem', () => {
  it('accepts lower snake_case', () => {
    expect(apiNameProblem('project')).toBeNull()
    expect(apiNameProblem('budget_2025')).toBeNull()
  })

  it.each([
    ['', 'empty'],
    ['a'.repeat(49), 'tooLong'],
    ['1abc', 'start'],
    ['_abc', 'start'],
    ['Project', 'start'],
    ['abc_', 'trailingUnderscore'],
    ['a__b', 'doubleUnderscore'],
    ['proJect', 'badChar'],
    ['pro-ject', 'badChar'],
    ['owner_id', 'reserved'],
    ['filter', 'reserved'],
    ['select', 'keyword'],
    ['order', 'keyword'],
  ])('refuses %j (%s)', (name, key) => {
    expect(apiNameProblem(name)?.key).toBe(key)
  })

  it('names the bad character and its position', () => {
    expect(apiNameProblem('ab-c')).toEqual({ key: 'badChar', params: { char: '-', pos: 3 } })
  })

  it('refuses a name already taken', () => {
    expect(apiNameProblem('budget', ['name', 'budget'])?.key).toBe('taken')
  })
})

describe('option names', () => {
  it('suggests from English labels and stays unique', () => {
    expect(suggestOptionName('Closed Won')).toBe('closed_won')
    expect(suggestOptionName('High', ['high'])).toBe('high_2')
    expect(suggestOptionName('高')).toBe('')
  })

  it('numbers fresh names for labels without a Latin spelling', () => {
    expect(nextOptionName([])).toBe('option_1')
    expect(nextOptionName(['option_1', 'option_2'])).toBe('option_3')
    expect(nextOptionName(['stage_1'], 'stage')).toBe('stage_2')
  })
})
