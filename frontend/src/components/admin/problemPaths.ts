// The server names what it refuses by path: `options[2].color`,
// `sections[0].fields[1].field`, `fields[3].api_name`. Forms show each error
// next to the widget for that path and list the rest at the top.
import { ApiError } from '@/api/client'
import type { ProblemFieldError } from '@/api/types'

export type PathPart = string | number

/** "sections[0].fields[2].field" -> ["sections", 0, "fields", 2, "field"]. */
export function splitPath(path: string): PathPart[] {
  const out: PathPart[] = []
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (m[2] !== undefined) out.push(Number(m[2]))
    else if (/^\d+$/.test(m[1])) out.push(Number(m[1]))
    else out.push(m[1])
  }
  return out
}

export function joinPath(parts: PathPart[]): string {
  let s = ''
  for (const p of parts) {
    if (typeof p === 'number') s += `[${p}]`
    else s += s ? `.${p}` : p
  }
  return s
}

/** The errors of an API answer (or none for other failures). */
export function problemErrors(err: unknown): ProblemFieldError[] {
  return err instanceof ApiError ? err.errors : []
}

/**
 * The errors of a form, by normalized path. `at` answers the message for a
 * path and remembers it was shown; `rest` lists what no widget claimed.
 */
export class PathErrors {
  private readonly byPath = new Map<string, ProblemFieldError>()

  constructor(readonly all: ProblemFieldError[] = []) {
    for (const e of all) {
      const key = joinPath(splitPath(e.field ?? ''))
      if (!this.byPath.has(key)) this.byPath.set(key, e)
    }
  }

  get empty(): boolean {
    return this.all.length === 0
  }

  /** The message at exactly this path (or any of several, e.g. labels and labels.en). */
  at(...paths: (string | PathPart[])[]): string | undefined {
    for (const p of paths) {
      const key = typeof p === 'string' ? joinPath(splitPath(p)) : joinPath(p)
      const e = this.byPath.get(key)
      if (e) return e.message
    }
    return undefined
  }

  /** Errors at or below a path ("options" covers "options[2].color"). */
  within(prefix: string): ProblemFieldError[] {
    const key = joinPath(splitPath(prefix))
    return this.all.filter((e) => {
      const p = joinPath(splitPath(e.field ?? ''))
      return p === key || p.startsWith(key + '.') || p.startsWith(key + '[')
    })
  }

  /** The errors below a prefix, with the prefix removed ("fields[0].type" -> "type"). */
  rebase(prefix: string): PathErrors {
    const key = joinPath(splitPath(prefix))
    const inner = this.within(prefix)
      .filter((e) => joinPath(splitPath(e.field)) !== key)
      .map((e) => ({ ...e, field: joinPath(splitPath(e.field).slice(splitPath(key).length)) }))
    return new PathErrors(inner)
  }

  /** The errors no widget shows: those whose path `shown` does not accept. */
  rest(shown: (parts: PathPart[]) => boolean): ProblemFieldError[] {
    return this.all.filter((e) => !e.field || !shown(splitPath(e.field)))
  }
}

/** An ApiError's field errors as PathErrors (empty for anything else). */
export function pathErrors(err: unknown): PathErrors {
  return new PathErrors(problemErrors(err))
}
