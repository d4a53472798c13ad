// The tenant logo: checks an image file before it is read into a data URL
// (the server keeps logos of at most 100,000 characters as data URLs).

export const LOGO_TYPES = ['image/png', 'image/jpeg', 'image/svg+xml', 'image/webp'] as const
/** The server's limit on logo_url, in characters of the data URL. */
export const LOGO_MAX_CHARS = 100_000

export type LogoProblem = 'type' | 'size' | null

/** The length of `data:<type>;base64,<...>` for a file of `size` bytes. */
export function dataUrlLength(type: string, size: number): number {
  return `data:${type};base64,`.length + 4 * Math.ceil(size / 3)
}

/** The largest file of this type that still fits, in bytes. */
export function maxLogoBytes(type = 'image/png'): number {
  return Math.floor((LOGO_MAX_CHARS - `data:${type};base64,`.length) / 4) * 3
}

/** Why this file cannot be the logo, or null when it can. */
export function checkLogoFile(file: { type: string; size: number }): LogoProblem {
  if (!(LOGO_TYPES as readonly string[]).includes(file.type)) return 'type'
  if (file.size <= 0 || dataUrlLength(file.type, file.size) > LOGO_MAX_CHARS) return 'size'
  return null
}

/** Whether a data URL read from a file is one the server accepts. */
export function checkLogoDataUrl(url: string): LogoProblem {
  if (!LOGO_TYPES.some((t) => url.startsWith(`data:${t};base64,`))) return 'type'
  if (url.length > LOGO_MAX_CHARS) return 'size'
  return null
}

export function readAsDataUrl(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(String(reader.result))
    reader.onerror = () => reject(reader.error ?? new Error('read failed'))
    reader.readAsDataURL(file)
  })
}
