// Decimal values travel as strings ("1234.50") and stay strings here: money
// is never turned into a JS float. Arithmetic (kanban column totals after a
// move) is done on scaled BigInts.

const DECIMAL_RE = /^[+-]?(\d+)(?:\.(\d*))?$|^[+-]?\.(\d+)$/

/** True for a plain decimal such as "12", "-3.5", "0.25", ".5". */
export function isDecimal(text: string): boolean {
  return DECIMAL_RE.test(text.trim())
}

/**
 * Cleans what a person typed into the canonical text the API accepts:
 * grouping separators and spaces removed, a leading "+" dropped, leading
 * zeros trimmed. Returns null when the text is empty and undefined when it
 * is not a decimal. The scale is not padded here (the server does that).
 */
export function normalizeDecimal(input: string): string | null | undefined {
  const text = input.replace(/[,\s_\u00a0]/g, '').replace(/，/g, '')
  if (text === '') return null
  if (!isDecimal(text)) return undefined
  let sign = ''
  let body = text
  if (body[0] === '+' || body[0] === '-') {
    sign = body[0] === '-' ? '-' : ''
    body = body.slice(1)
  }
  let [int, frac = ''] = body.split('.')
  int = int.replace(/^0+(?=\d)/, '')
  if (int === '') int = '0'
  const hasPoint = body.includes('.')
  const out = hasPoint && frac !== '' ? `${int}.${frac}` : int
  return /^0(\.0*)?$/.test(out) ? out : sign + out
}

/** Counts digits before and after the point, for precision/scale checks. */
export function decimalDigits(text: string): { integer: number; fraction: number } {
  const body = text.replace(/^[+-]/, '')
  const [int, frac = ''] = body.split('.')
  return { integer: int.replace(/^0+/, '').length, fraction: frac.length }
}

/** Rounds half away from zero to `scale` fraction digits, on the string. */
export function roundDecimal(text: string, scale: number): string {
  const neg = text.startsWith('-')
  const body = text.replace(/^[+-]/, '')
  const [int, frac = ''] = body.split('.')
  if (frac.length <= scale) return text
  const digits = BigInt((int || '0') + frac.slice(0, scale))
  const roundUp = Number(frac[scale]) >= 5
  const scaled = digits + (roundUp ? 1n : 0n)
  return (neg && scaled !== 0n ? '-' : '') + fromScaled(scaled, scale)
}

function toScaled(text: string, scale: number): bigint {
  const neg = text.startsWith('-')
  const body = text.replace(/^[+-]/, '')
  const [int, frac = ''] = body.split('.')
  const f = (frac + '0'.repeat(scale)).slice(0, scale)
  const v = BigInt((int || '0') + f)
  return neg ? -v : v
}

function fromScaled(v: bigint, scale: number): string {
  const neg = v < 0n
  const s = (neg ? -v : v).toString().padStart(scale + 1, '0')
  const int = s.slice(0, s.length - scale)
  const frac = scale ? s.slice(s.length - scale) : ''
  return (neg ? '-' : '') + int + (frac ? `.${frac}` : '')
}

/** a + b on decimal strings, exact; the result keeps the larger scale. */
export function addDecimal(a: string | null | undefined, b: string | null | undefined): string {
  const x = a ?? '0'
  const y = b ?? '0'
  const scale = Math.max(decimalDigits(x).fraction, decimalDigits(y).fraction)
  return fromScaled(toScaled(x, scale) + toScaled(y, scale), scale)
}

/** a - b on decimal strings, exact. */
export function subtractDecimal(a: string | null | undefined, b: string | null | undefined): string {
  const y = b ?? '0'
  return addDecimal(a, y.startsWith('-') ? y.slice(1) : `-${y}`)
}

/**
 * Formats a decimal string with the locale's grouping and point, without
 * going through a float: "1234567.5" -> "1,234,567.50" (scale 2).
 */
export function formatDecimal(text: string, locale: string, scale?: number): string {
  if (!isDecimal(text)) return text
  let value = text.trim()
  if (scale !== undefined) value = roundDecimal(value, scale)
  const neg = value.startsWith('-')
  const body = value.replace(/^[+-]/, '')
  let [int, frac = ''] = body.split('.')
  if (scale !== undefined) frac = frac.padEnd(scale, '0').slice(0, scale)
  int = int.replace(/^0+(?=\d)/, '') || '0'
  const parts = new Intl.NumberFormat(locale).formatToParts(1234567.5)
  const group = parts.find((p) => p.type === 'group')?.value ?? ','
  const point = parts.find((p) => p.type === 'decimal')?.value ?? '.'
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, group)
  const isZero = /^0*$/.test(int + frac)
  return (neg && !isZero ? '-' : '') + grouped + (frac ? point + frac : '')
}

/** Drops trailing fraction zeros: "10.5000" -> "10.5", "10.0000" -> "10". */
export function trimDecimal(text: string): string {
  if (!text.includes('.')) return text
  return text.replace(/0+$/, '').replace(/\.$/, '')
}

/** A compact amount for tight places (kanban totals): 1234567 -> "1.23M" / "123.5万". */
export function compactDecimal(text: string, locale: string): string {
  const neg = text.startsWith('-')
  const int = text.replace(/^[+-]/, '').split('.')[0].replace(/^0+(?=\d)/, '')
  const zh = locale.startsWith('zh')
  const steps: [number, string][] = zh
    ? [
        [8, '亿'],
        [4, '万'],
      ]
    : [
        [9, 'B'],
        [6, 'M'],
        [3, 'K'],
      ]
  for (const [digits, suffix] of steps) {
    if (int.length > digits) {
      const head = int.slice(0, int.length - digits)
      const tail = int.slice(int.length - digits, int.length - digits + 2)
      const shown = trimDecimal(`${head}.${tail}`)
      return `${neg ? '-' : ''}${formatDecimal(shown, locale)}${suffix}`
    }
  }
  return formatDecimal(neg ? `-${int}` : int, locale)
}
