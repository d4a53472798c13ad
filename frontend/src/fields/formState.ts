// A layout's conditions in a record form: which fields are hidden and which
// required, asked of the server (POST /records/{o}/form-state) on open and,
// debounced, as values change. Only the latest answer counts: an older
// request still in flight when the user typed on is ignored.
import type { FieldMeta, FormState, LayoutFieldRef, LayoutMeta } from '@/api/types'

export const FORM_STATE_DELAY_MS = 300

/** Whether any field of the layout has a visible_if or required_if (else no need to ask). */
export function hasConditions(layout: LayoutMeta | null | undefined): boolean {
  return !!layout?.sections.some((s) => s.fields.some((f) => !!f.visible_if?.trim() || !!f.required_if?.trim()))
}

/** The layout's name to send with saves (`?layout=`); none for a layout derived in the browser. */
export function layoutParam(layout: LayoutMeta | null | undefined): string | undefined {
  return layout && layout.api_name && layout.api_name !== '__derived' ? layout.api_name : undefined
}

/** Whether a field is required in the form now: by the field, the layout, or its required_if. */
export function isRequiredNow(ref: LayoutFieldRef, field: FieldMeta, state: FormState | null): boolean {
  if (ref.required || field.required) return true
  return !!state?.required.includes(field.api_name)
}

export function isHiddenNow(field: string, state: FormState | null): boolean {
  return !!state?.hidden.includes(field)
}

export interface FormStateSync {
  /** Asks again after the delay (restarted by every call). */
  schedule(values: Record<string, unknown>): void
  /** Asks now (on open). */
  now(values: Record<string, unknown>): Promise<void>
  cancel(): void
}

export interface FormStateOptions {
  ask: (values: Record<string, unknown>, signal: AbortSignal) => Promise<FormState>
  apply: (state: FormState) => void
  /** A failed ask leaves the last state in place; told here. */
  failed?: (err: unknown) => void
  delay?: number
}

export function formStateSync(opts: FormStateOptions): FormStateSync {
  const delay = opts.delay ?? FORM_STATE_DELAY_MS
  let timer: ReturnType<typeof setTimeout> | null = null
  let seq = 0
  let inflight: AbortController | null = null

  function clear(): void {
    if (timer !== null) clearTimeout(timer)
    timer = null
  }

  async function now(values: Record<string, unknown>): Promise<void> {
    clear()
    const mine = ++seq
    inflight?.abort()
    const ctl = new AbortController()
    inflight = ctl
    try {
      const state = await opts.ask({ ...values }, ctl.signal)
      if (mine === seq) opts.apply({ hidden: state.hidden ?? [], required: state.required ?? [] })
    } catch (err) {
      if (mine === seq && !(err instanceof DOMException && err.name === 'AbortError')) opts.failed?.(err)
    } finally {
      if (inflight === ctl) inflight = null
    }
  }

  return {
    schedule(values) {
      clear()
      const snapshot = { ...values }
      timer = setTimeout(() => {
        timer = null
        void now(snapshot)
      }, delay)
    },
    now,
    cancel() {
      clear()
      seq++
      inflight?.abort()
      inflight = null
    },
  }
}

/**
 * Form-state values: the writable fields the form holds. The server checks
 * the draft like a write, so an empty required field (not filled in yet)
 * is left out rather than refused.
 */
export function draftValues(values: Record<string, unknown>, writable: (field: string) => boolean, required: (field: string) => boolean = () => false): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(values)) {
    if (!writable(k)) continue
    if (required(k) && (v === null || v === undefined || v === '' || (Array.isArray(v) && !v.length))) continue
    out[k] = v
  }
  return out
}

/**
 * The draft without the values the server refused (`values.<field>` errors:
 * a number still being typed), to ask again; null when none of them is in it.
 */
export function withoutRefused(draft: Record<string, unknown>, errors: { field: string }[]): Record<string, unknown> | null {
  const refused = new Set(errors.map((e) => e.field.replace(/^values\./, '')).filter((f) => f in draft))
  if (!refused.size) return null
  return Object.fromEntries(Object.entries(draft).filter(([k]) => !refused.has(k)))
}
