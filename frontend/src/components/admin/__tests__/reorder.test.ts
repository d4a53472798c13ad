import { describe, expect, it } from 'vitest'
import { moveItem, nudge } from '../reorder'

describe('moveItem', () => {
  const list = ['a', 'b', 'c', 'd']

  it('moves down to an insertion point counted before the move', () => {
    expect(moveItem(list, 0, 2)).toEqual(['b', 'a', 'c', 'd'])
    expect(moveItem(list, 0, 4)).toEqual(['b', 'c', 'd', 'a'])
  })

  it('moves up', () => {
    expect(moveItem(list, 3, 0)).toEqual(['d', 'a', 'b', 'c'])
    expect(moveItem(list, 2, 1)).toEqual(['a', 'c', 'b', 'd'])
  })

  it('leaves the list as it is for a drop on itself or out of range', () => {
    expect(moveItem(list, 1, 1)).toEqual(list)
    expect(moveItem(list, 1, 2)).toEqual(list)
    expect(moveItem(list, 9, 0)).toEqual(list)
    expect(moveItem(list, 0, 99)).toEqual(['b', 'c', 'd', 'a'])
  })

  it('does not change the input', () => {
    const copy = [...list]
    moveItem(list, 0, 3)
    expect(list).toEqual(copy)
  })
})

describe('nudge', () => {
  it('swaps with the neighbour and stops at the ends', () => {
    expect(nudge(['a', 'b', 'c'], 1, -1)).toEqual(['b', 'a', 'c'])
    expect(nudge(['a', 'b', 'c'], 1, 1)).toEqual(['a', 'c', 'b'])
    expect(nudge(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c'])
    expect(nudge(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c'])
  })
})
