// Text templates of notify and email actions: "{{name}} is now key". Each
// {{…}} part is an expression on the record, evaluated when the action runs
// (metadata.TemplateParts); the rest is text.

export interface TemplatePart {
  /** The expression, trimmed as the server trims it. */
  source: string
  /** String indices of the whole {{…}} in the template. */
  from: number
  to: number
}

export function templateParts(template: string): TemplatePart[] {
  const out: TemplatePart[] = []
  let offset = 0
  let rest = template
  for (;;) {
    const start = rest.indexOf('{{')
    if (start < 0) return out
    const end = rest.indexOf('}}', start)
    if (end < 0) return out
    out.push({ source: rest.slice(start + 2, end).trim(), from: offset + start, to: offset + end + 2 })
    offset += end + 2
    rest = rest.slice(end + 2)
  }
}

/** Whether a template opens a {{ it never closes (the server would print it as text). */
export function hasUnclosedPart(template: string): boolean {
  const last = template.lastIndexOf('{{')
  return last >= 0 && template.indexOf('}}', last) < 0
}
