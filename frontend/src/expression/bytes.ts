// The server reports positions in an expression as UTF-8 byte offsets (Go
// strings); the editor works in JavaScript string indices (UTF-16 code
// units). 金 is 3 bytes and 1 index, 😀 is 4 bytes and 2 indices.

/** UTF-8 length of one code point. Lone surrogates travel as U+FFFD (3 bytes). */
function utf8Length(codePoint: number): number {
  if (codePoint < 0x80) return 1
  if (codePoint < 0x800) return 2
  if (codePoint < 0x10000) return 3
  return 4
}

/**
 * The string index where the character holding byte `byte` starts (a byte
 * inside a character counts as that character's start). Offsets past the
 * end give the length; negative ones 0.
 */
export function byteToIndex(text: string, byte: number): number {
  if (byte <= 0) return 0
  let bytes = 0
  let index = 0
  while (index < text.length) {
    const cp = text.codePointAt(index)!
    const next = bytes + utf8Length(cp)
    if (next > byte) return index
    bytes = next
    index += cp > 0xffff ? 2 : 1
  }
  return text.length
}

/** The string index just after the character holding byte `byte - 1`: for range ends. */
export function byteToIndexEnd(text: string, byte: number): number {
  if (byte <= 0) return 0
  let bytes = 0
  let index = 0
  while (index < text.length && bytes < byte) {
    const cp = text.codePointAt(index)!
    bytes += utf8Length(cp)
    index += cp > 0xffff ? 2 : 1
  }
  return index
}

/** The UTF-8 byte offset of a string index (an index inside a surrogate pair counts from the pair's start). */
export function indexToByte(text: string, index: number): number {
  let bytes = 0
  let i = 0
  const stop = Math.min(Math.max(index, 0), text.length)
  while (i < stop) {
    const cp = text.codePointAt(i)!
    const width = cp > 0xffff ? 2 : 1
    if (i + width > stop) break
    bytes += utf8Length(cp)
    i += width
  }
  return bytes
}

/** A byte range [position, end) as string indices; `end` missing or not after `position` gives an empty range. */
export function byteRange(text: string, position: number, end?: number): { from: number; to: number } {
  const from = byteToIndex(text, position)
  const to = end !== undefined && end > position ? byteToIndexEnd(text, end) : from
  return { from, to: Math.max(from, to) }
}
