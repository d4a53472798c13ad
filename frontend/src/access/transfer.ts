// Wording of a transfer's answer.

/** "2 contacts, 1 opportunity" from the children counts of POST /records/{object}/transfer. */
export function childSummary(counts: Record<string, number> | undefined, label: (object: string) => string): string {
  return Object.entries(counts ?? {})
    .filter(([, n]) => n > 0)
    .map(([o, n]) => `${n} ${label(o)}`)
    .join(', ')
}
