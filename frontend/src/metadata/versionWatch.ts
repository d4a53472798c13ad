// Keeps the app's metadata in step with the server: every tenant response
// carries X-Metadata-Version; a version newer than the one the metadata
// store holds (an admin changed something in another tab or on another
// device) schedules one debounced reload, however many responses report it.

/** The header's version, or null when absent or not a non-negative integer. */
export function parseMetadataVersion(header: string | null | undefined): number | null {
  if (!header) return null
  const s = header.trim()
  if (!/^\d+$/.test(s)) return null
  const n = Number(s)
  return Number.isSafeInteger(n) ? n : null
}

/** Whether `reported` is newer than `held` (null: nothing loaded yet, so nothing to refresh). */
export function isNewerVersion(reported: number | null, held: number | null): boolean {
  return reported !== null && held !== null && reported > held
}

export interface VersionWatcherOptions {
  /** The version the app holds, or null before the metadata is loaded. */
  held: () => number | null
  reload: () => Promise<unknown>
  /** Milliseconds to wait for more responses before reloading. */
  delay?: number
}

export interface VersionWatcher {
  observe(header: string | null | undefined): void
  cancel(): void
}

export function createVersionWatcher(opts: VersionWatcherOptions): VersionWatcher {
  const delay = opts.delay ?? 400
  let timer: ReturnType<typeof setTimeout> | null = null
  // The highest version a scheduled or running reload is already fetching.
  let target = 0

  function observe(header: string | null | undefined): void {
    const reported = parseMetadataVersion(header)
    const held = opts.held()
    if (!isNewerVersion(reported, held) || reported! <= target) return
    target = reported!
    if (timer) clearTimeout(timer)
    timer = setTimeout(() => {
      timer = null
      opts
        .reload()
        .catch(() => undefined)
        .finally(() => {
          target = 0
        })
    }, delay)
  }

  function cancel(): void {
    if (timer) clearTimeout(timer)
    timer = null
    target = 0
  }

  return { observe, cancel }
}
