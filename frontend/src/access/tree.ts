// Roles and org units are trees by parent_id. These helpers build the
// nested rows el-table and el-tree-select show, and the parents a node may
// move under (never itself or one of its descendants: that would be a cycle).

export interface TreeItem {
  id: string
  parent_id: string | null
}

export type TreeNode<T extends TreeItem> = T & { children?: TreeNode<T>[]; depth: number }

/** Nested nodes, roots first; orphans (parent unknown) become roots. Siblings sorted by `sortKey`. */
export function buildTree<T extends TreeItem>(items: T[], sortKey: (t: T) => string = () => ''): TreeNode<T>[] {
  const byId = new Map(items.map((i) => [i.id, i]))
  const kids = new Map<string | null, T[]>()
  for (const i of items) {
    const p = i.parent_id && byId.has(i.parent_id) && i.parent_id !== i.id ? i.parent_id : null
    const list = kids.get(p) ?? []
    list.push(i)
    kids.set(p, list)
  }
  const seen = new Set<string>()
  function build(parent: string | null, depth: number): TreeNode<T>[] {
    const list = (kids.get(parent) ?? []).slice().sort((a, b) => sortKey(a).localeCompare(sortKey(b)))
    const out: TreeNode<T>[] = []
    for (const i of list) {
      if (seen.has(i.id)) continue
      seen.add(i.id)
      const children = build(i.id, depth + 1)
      out.push({ ...i, depth, ...(children.length ? { children } : {}) })
    }
    return out
  }
  return build(null, 0)
}

/** The ids of a node's descendants (not the node). */
export function descendants(items: TreeItem[], id: string): Set<string> {
  const out = new Set<string>()
  const queue = [id]
  while (queue.length) {
    const cur = queue.shift()!
    for (const i of items) {
      if (i.parent_id === cur && !out.has(i.id) && i.id !== id) {
        out.add(i.id)
        queue.push(i.id)
      }
    }
  }
  return out
}

/** Where a node may move: every other node except its descendants. */
export function allowedParents<T extends TreeItem>(items: T[], id: string | null): T[] {
  if (!id) return items
  const below = descendants(items, id)
  return items.filter((i) => i.id !== id && !below.has(i.id))
}

/** "CEO / Regional director / Team lead": the path of names from the root. */
export function pathOf<T extends TreeItem>(items: T[], id: string | null | undefined, name: (t: T) => string): string {
  const byId = new Map(items.map((i) => [i.id, i]))
  const parts: string[] = []
  const seen = new Set<string>()
  let cur = id ? byId.get(id) : undefined
  while (cur && !seen.has(cur.id)) {
    seen.add(cur.id)
    parts.unshift(name(cur))
    cur = cur.parent_id ? byId.get(cur.parent_id) : undefined
  }
  return parts.join(' / ')
}
