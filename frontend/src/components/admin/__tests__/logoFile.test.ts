import { describe, expect, it } from 'vitest'
import { checkLogoDataUrl, checkLogoFile, dataUrlLength, LOGO_MAX_CHARS, maxLogoBytes, readAsDataUrl } from '../logoFile'

describe('logo file checks', () => {
  it('accepts PNG, JPEG, SVG and WebP only', () => {
    for (const type of ['image/png', 'image/jpeg', 'image/svg+xml', 'image/webp']) {
      expect(checkLogoFile({ type, size: 2000 })).toBeNull()
    }
    expect(checkLogoFile({ type: 'image/gif', size: 2000 })).toBe('type')
    expect(checkLogoFile({ type: 'application/pdf', size: 2000 })).toBe('type')
    expect(checkLogoFile({ type: '', size: 2000 })).toBe('type')
  })

  it('rejects files whose data URL would exceed 100,000 characters, and empty files', () => {
    const max = maxLogoBytes('image/png')
    expect(dataUrlLength('image/png', max)).toBeLessThanOrEqual(LOGO_MAX_CHARS)
    expect(dataUrlLength('image/png', max + 3)).toBeGreaterThan(LOGO_MAX_CHARS)
    expect(checkLogoFile({ type: 'image/png', size: max })).toBeNull()
    expect(checkLogoFile({ type: 'image/png', size: max + 3 })).toBe('size')
    expect(checkLogoFile({ type: 'image/png', size: 100 * 1024 })).toBe('size')
    expect(checkLogoFile({ type: 'image/png', size: 0 })).toBe('size')
  })

  it('checks a data URL as the server does', () => {
    expect(checkLogoDataUrl('data:image/png;base64,AAAA')).toBeNull()
    expect(checkLogoDataUrl('data:image/gif;base64,AAAA')).toBe('type')
    expect(checkLogoDataUrl('data:image/png,plain')).toBe('type')
    expect(checkLogoDataUrl('data:image/png;base64,' + 'A'.repeat(LOGO_MAX_CHARS))).toBe('size')
  })

  it('reads a file as a data URL', async () => {
    const url = await readAsDataUrl(new Blob([new Uint8Array([137, 80, 78, 71])], { type: 'image/png' }))
    expect(url).toBe('data:image/png;base64,iVBORw==')
  })
})
