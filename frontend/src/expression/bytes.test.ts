import { describe, expect, it } from 'vitest'
import { byteRange, byteToIndex, byteToIndexEnd, indexToByte } from './bytes'

const encoder = new TextEncoder()
const bytesOf = (s: string) => encoder.encode(s).length

describe('byte offsets and string indices', () => {
  it('are the same for ASCII', () => {
    const s = 'amount * 2'
    for (let i = 0; i <= s.length; i++) {
      expect(indexToByte(s, i)).toBe(i)
      expect(byteToIndex(s, i)).toBe(i)
    }
  })

  it('count three bytes per Chinese character', () => {
    const s = 'name == "金额" && amout > 5'
    const at = s.indexOf('amout')
    expect(indexToByte(s, at)).toBe(bytesOf(s.slice(0, at)))
    expect(indexToByte(s, at)).toBe(at + 4) // two characters, 2 extra bytes each
    expect(byteToIndex(s, at + 4)).toBe(at)
    expect(byteRange(s, at + 4, at + 4 + 5)).toEqual({ from: at, to: at + 5 })
  })

  it('count four bytes and two indices for characters outside the BMP', () => {
    const s = '"😀" + amout'
    const at = s.indexOf('amout')
    expect(at).toBe(7)
    expect(indexToByte(s, at)).toBe(9)
    expect(byteToIndex(s, 9)).toBe(at)
    expect(indexToByte(s, 2)).toBe(1) // the middle of the pair counts from its start
  })

  it('round-trips every character boundary of mixed text', () => {
    const s = 'concat("客户：", account_id.name, "😀", \'é\') // 备注'
    let i = 0
    while (i <= s.length) {
      expect(byteToIndex(s, indexToByte(s, i))).toBe(i)
      if (i === s.length) break
      i += (s.codePointAt(i) ?? 0) > 0xffff ? 2 : 1
    }
    expect(indexToByte(s, s.length)).toBe(bytesOf(s))
  })

  it('moves a byte inside a character to its start, and range ends to its end', () => {
    const s = 'a金b'
    expect(byteToIndex(s, 2)).toBe(1) // second byte of 金
    expect(byteToIndexEnd(s, 2)).toBe(2) // a range ending inside 金 covers it
    expect(byteRange(s, 2, 3)).toEqual({ from: 1, to: 2 })
  })

  it('clamps offsets outside the text', () => {
    expect(byteToIndex('金额', 100)).toBe(2)
    expect(byteToIndex('金额', -3)).toBe(0)
    expect(indexToByte('金额', 9)).toBe(6)
    expect(byteRange('金额', 6)).toEqual({ from: 2, to: 2 })
  })

  it('gives an empty range when the end is missing or not after the start', () => {
    expect(byteRange('amount', 2)).toEqual({ from: 2, to: 2 })
    expect(byteRange('amount', 4, 1)).toEqual({ from: 4, to: 4 })
  })
})
