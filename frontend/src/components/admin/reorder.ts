// Reordering lists by drag and drop or by keyboard (move up / down).

/**
 * Moves the item at `from` so that it lands at `to`, where `to` is an
 * insertion point counted in the list before the move (0..length), the way a
 * drop between two rows reads. Returns a new array.
 */
export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
  if (from < 0 || from >= list.length) return [...list]
  const target = Math.max(0, Math.min(to, list.length))
  const out = [...list]
  const [item] = out.splice(from, 1)
  out.splice(target > from ? target - 1 : target, 0, item)
  return out
}

/** Moves an item one place up (-1) or down (+1); unchanged at the ends. */
export function nudge<T>(list: readonly T[], index: number, delta: -1 | 1): T[] {
  const to = index + delta
  if (to < 0 || to >= list.length) return [...list]
  const out = [...list]
  ;[out[index], out[to]] = [out[to], out[index]]
  return out
}

let seq = 0
/** A key for v-for that stays with an item while it moves. */
export function localKey(prefix = 'k'): string {
  seq += 1
  return `${prefix}${seq}`
}
