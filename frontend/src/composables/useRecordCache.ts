// A small cache of records fetched by id (lookup names, hover cards), so a
// page that shows the same account ten times asks for it once.
import { api } from '@/api/client'
import type { RecordData } from '@/api/types'

const cache = new Map<string, Promise<RecordData | null>>()

export function fetchRecordCached(object: string, id: string): Promise<RecordData | null> {
  const key = `${object}/${id}`
  let hit = cache.get(key)
  if (!hit) {
    hit = api.records.get(object, id).catch(() => {
      cache.delete(key)
      return null
    })
    cache.set(key, hit)
  }
  return hit
}

/** Seeds the cache with a record the page already has (from expand). */
export function rememberRecord(object: string, record: RecordData): void {
  cache.set(`${object}/${record.id}`, Promise.resolve(record))
}

export function forgetRecord(object: string, id: string): void {
  cache.delete(`${object}/${id}`)
}

export function clearRecordCache(): void {
  cache.clear()
}
