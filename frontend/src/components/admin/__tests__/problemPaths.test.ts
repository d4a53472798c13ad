import { describe, expect, it } from 'vitest'
import { ApiError } from '@/api/client'
import { joinPath, PathErrors, pathErrors, splitPath } from '../problemPaths'

describe('paths', () => {
  it('splits and joins bracket paths', () => {
    expect(splitPath('sections[0].fields[2].field')).toEqual(['sections', 0, 'fields', 2, 'field'])
    expect(splitPath('options[2].color')).toEqual(['options', 2, 'color'])
    expect(splitPath('labels.zh-CN')).toEqual(['labels', 'zh-CN'])
    expect(joinPath(['sections', 0, 'fields', 2, 'field'])).toBe('sections[0].fields[2].field')
  })

  it('reads dotted indexes the same way', () => {
    expect(joinPath(splitPath('options.2.color'))).toBe('options[2].color')
  })
})

describe('PathErrors', () => {
  const errors = new PathErrors([
    { field: 'options[2].color', code: 'invalid_value', message: 'color must look like #1f77b4' },
    { field: 'options[2].color', code: 'invalid_value', message: 'second message is ignored' },
    { field: 'labels.en', code: 'too_long', message: 'labels are at most 120 characters' },
    { field: 'fields[1].type', code: 'invalid_value', message: 'bad type' },
    { field: 'fields[1]', code: 'conflict', message: 'whole field' },
    { field: 'mystery', code: 'invalid_value', message: 'unknown place' },
  ])

  it('answers the first message at a path, trying several', () => {
    expect(errors.at('options[2].color')).toBe('color must look like #1f77b4')
    expect(errors.at(['options', 2, 'color'])).toBe('color must look like #1f77b4')
    expect(errors.at('labels', 'labels.en')).toBe('labels are at most 120 characters')
    expect(errors.at('options[1].color')).toBeUndefined()
  })

  it('finds errors within a prefix and rebases them', () => {
    expect(errors.within('options').map((e) => e.field)).toEqual(['options[2].color', 'options[2].color'])
    const field = errors.rebase('fields[1]')
    expect(field.at('type')).toBe('bad type')
    expect(field.all).toHaveLength(1)
  })

  it('lists what no widget claims', () => {
    const rest = errors.rest((p) => p[0] === 'options' || p[0] === 'labels')
    expect(rest.map((e) => e.field)).toEqual(['fields[1].type', 'fields[1]', 'mystery'])
  })

  it('reads the errors of an ApiError, and none of anything else', () => {
    const err = new ApiError({ status: 400, code: 'invalid_value', errors: [{ field: 'api_name', code: 'invalid_value', message: 'x' }] })
    expect(pathErrors(err).at('api_name')).toBe('x')
    expect(pathErrors(new Error('boom')).empty).toBe(true)
  })
})
