// The client's handling of problem+json, headers and 401s, against a
// stubbed fetch (the e2e run covers the real server).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  api,
  ApiError,
  buildQuery,
  csrfToken,
  isSessionActive,
  parseRetryAfter,
  setCsrfToken,
  setMetadataVersionHandler,
  setSessionActive,
  setUnauthorizedHandler,
} from './client'

function respond(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  const text = typeof body === 'string' ? body : JSON.stringify(body)
  return new Response(status === 204 ? null : text, { status, headers })
}

const fetchMock = vi.fn<typeof fetch>()

beforeEach(() => {
  fetchMock.mockReset()
  vi.stubGlobal('fetch', fetchMock)
  sessionStorage.clear()
  setSessionActive(false)
  setCsrfToken(null)
  document.cookie = 'tessera_csrf=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/'
})

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('api client', () => {
  it('turns problem+json into an ApiError with field errors', async () => {
    fetchMock.mockResolvedValueOnce(
      respond(
        400,
        {
          type: 'https://tessera.dev/problems/invalid-type',
          title: 'Bad Request',
          status: 400,
          code: 'invalid_type',
          detail: 'the record is not valid',
          errors: [
            { field: 'amount', code: 'invalid_type', message: 'amount must be a decimal number such as 1234.50' },
            { field: 'amount', code: 'out_of_range', message: 'second message for the same field' },
            { field: 'name', code: 'required', message: 'name is required' },
          ],
        },
        { 'Content-Type': 'application/problem+json', 'X-Request-ID': 'req-1' },
      ),
    )
    const err = await api.records.create('opportunity', { amount: 'x' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    const e = err as ApiError
    expect(e.status).toBe(400)
    expect(e.code).toBe('invalid_type')
    expect(e.detail).toBe('the record is not valid')
    expect(e.requestId).toBe('req-1')
    expect(e.fieldErrors()).toEqual({
      amount: 'amount must be a decimal number such as 1234.50',
      name: 'name is required',
    })
  })

  it('reads the position of an invalid filter', async () => {
    fetchMock.mockResolvedValueOnce(
      respond(
        400,
        { status: 400, code: 'invalid_filter', detail: 'unknown field nope', errors: [{ field: 'filter', code: 'invalid_filter', message: 'unknown field nope', position: 7 }] },
        { 'Content-Type': 'application/problem+json' },
      ),
    )
    const err = (await api.records.list('opportunity', { filter: 'a > 1 && nope' }).catch((e: unknown) => e)) as ApiError
    expect(err.code).toBe('invalid_filter')
    expect(err.position).toBe(7)
  })

  it('marks a 412 as a version conflict and sends If-Match', async () => {
    fetchMock.mockResolvedValueOnce(
      respond(412, { status: 412, code: 'version_conflict', detail: 'changed' }, { 'Content-Type': 'application/problem+json' }),
    )
    const err = (await api.records.update('opportunity', 'id1', { stage: 'proposal' }, 3).catch((e: unknown) => e)) as ApiError
    expect(err.isVersionConflict).toBe(true)
    const init = fetchMock.mock.calls[0][1] as RequestInit
    expect((init.headers as Record<string, string>)['If-Match']).toBe('"3"')
    expect(init.method).toBe('PATCH')
    expect(init.body).toBe('{"stage":"proposal"}')
  })

  it('copes with an error that is not JSON', async () => {
    fetchMock.mockResolvedValueOnce(respond(502, '<html>bad gateway</html>', { 'Content-Type': 'text/html' }))
    const err = (await api.meta.objects().catch((e: unknown) => e)) as ApiError
    expect(err.status).toBe(502)
    expect(err.code).toBe('server_error')
    expect(err.errors).toEqual([])
  })

  it('reports a network failure as status 0', async () => {
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'))
    const err = (await api.meta.objects().catch((e: unknown) => e)) as ApiError
    expect(err.status).toBe(0)
    expect(err.code).toBe('network')
  })

  it('sends the session cookie (same origin), no bearer header and no token storage', async () => {
    fetchMock.mockResolvedValueOnce(respond(200, { user: {}, tenant: {} }, { 'Content-Type': 'application/json' }))
    await api.auth.me()
    const init = fetchMock.mock.calls[0][1] as RequestInit
    expect(init.credentials).toBe('same-origin')
    expect((init.headers as Record<string, string>).Authorization).toBeUndefined()
    expect((init.headers as Record<string, string>)['X-CSRF-Token']).toBeUndefined() // GET: no CSRF header
    expect(sessionStorage.length).toBe(0)
  })

  it('sends X-CSRF-Token from the readable cookie on writes', async () => {
    document.cookie = 'tessera_csrf=cookie-value; path=/'
    setCsrfToken('memory-value')
    expect(csrfToken()).toBe('cookie-value')
    for (const m of ['POST', 'PATCH', 'DELETE', 'PUT']) {
      fetchMock.mockResolvedValueOnce(respond(204, null))
      if (m === 'POST') await api.auth.logout()
      if (m === 'PATCH') await api.records.update('account', '1', { name: 'x' })
      if (m === 'DELETE') await api.records.remove('account', '1')
      if (m === 'PUT') await api.views.update('account', 'v', { name: 'v', shared: false, columns: [], filter: '', sort: '' })
    }
    for (const call of fetchMock.mock.calls) {
      expect((call[1] as RequestInit).headers).toMatchObject({ 'X-CSRF-Token': 'cookie-value' })
    }
  })

  it('falls back to the csrf_token the login answered when the cookie cannot be read', async () => {
    setCsrfToken('memory-value')
    fetchMock.mockResolvedValueOnce(respond(204, null))
    await api.auth.logout()
    expect(((fetchMock.mock.calls[0][1] as RequestInit).headers as Record<string, string>)['X-CSRF-Token']).toBe('memory-value')
  })

  it('on a 401 of an active session ends it and calls the handler once', async () => {
    setSessionActive(true)
    const handler = vi.fn()
    setUnauthorizedHandler(handler)
    fetchMock.mockResolvedValue(respond(401, { status: 401, code: 'unauthorized' }, { 'Content-Type': 'application/problem+json' }))
    await api.records.list('account').catch(() => undefined)
    await api.records.list('account').catch(() => undefined)
    expect(isSessionActive()).toBe(false)
    expect(handler).toHaveBeenCalledOnce()
  })

  it('a 401 of GET /auth/me at startup only means "not signed in"', async () => {
    const handler = vi.fn()
    setUnauthorizedHandler(handler)
    fetchMock.mockResolvedValueOnce(respond(401, { status: 401, code: 'unauthorized' }, { 'Content-Type': 'application/problem+json' }))
    await expect(api.auth.me()).rejects.toMatchObject({ status: 401 })
    expect(handler).not.toHaveBeenCalled()
  })

  it('reports csrf_failed and lockouts with Retry-After', async () => {
    fetchMock.mockResolvedValueOnce(respond(403, { status: 403, code: 'csrf_failed', detail: 'missing' }, { 'Content-Type': 'application/problem+json' }))
    const csrf = (await api.auth.logout().catch((e: unknown) => e)) as ApiError
    expect(csrf.isCsrfFailure).toBe(true)
    fetchMock.mockResolvedValueOnce(
      respond(429, { status: 429, code: 'too_many_attempts' }, { 'Content-Type': 'application/problem+json', 'Retry-After': '840' }),
    )
    const locked = (await api.auth.login('demo', 'a@b.c', 'x').catch((e: unknown) => e)) as ApiError
    expect(locked.isLockedOut).toBe(true)
    expect(locked.retryAfter).toBe(840)
    expect(parseRetryAfter(null)).toBeUndefined()
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:10:00 GMT', Date.parse('Thu, 01 Jan 2026 00:00:00 GMT'))).toBe(600)
  })

  it('posts the login body without a mode (cookie is the default)', async () => {
    fetchMock.mockResolvedValueOnce(respond(200, { user: {}, tenant: {}, csrf_token: 'c', expires_in: 1 }, { 'Content-Type': 'application/json' }))
    await api.auth.login('demo', 'a@b.c', 'pw')
    expect(JSON.parse(String((fetchMock.mock.calls[0][1] as RequestInit).body))).toEqual({ tenant: 'demo', email: 'a@b.c', password: 'pw' })
  })

  it('calls the access endpoints by the documented routes', async () => {
    const json = { 'Content-Type': 'application/json' }
    fetchMock.mockResolvedValueOnce(respond(200, { read: true, edit: false, delete: false, share: false, transfer: false }, json))
    fetchMock.mockResolvedValueOnce(respond(200, { transferred: 2, children: { contact: 3 } }, json))
    fetchMock.mockResolvedValueOnce(respond(200, { data: [] }, json))
    fetchMock.mockResolvedValueOnce(respond(200, { enabled: true, label: 'Feishu' }, json))
    expect((await api.records.access('account', 'a1')).edit).toBe(false)
    expect((await api.records.transfer('account', ['a1', 'a2'], 'u2', true)).transferred).toBe(2)
    await api.security.audit({ action: 'update', limit: 50 })
    expect((await api.auth.sso('demo')).label).toBe('Feishu')
    const urls = fetchMock.mock.calls.map((c) => String(c[0]))
    expect(urls).toEqual([
      '/api/v1/records/account/a1/access',
      '/api/v1/records/account/transfer',
      '/api/v1/audit?action=update&limit=50',
      '/api/v1/auth/sso?tenant=demo',
    ])
    expect(JSON.parse(String((fetchMock.mock.calls[1][1] as RequestInit).body))).toEqual({ ids: ['a1', 'a2'], owner_id: 'u2', children: true })
  })

  it('reports X-Metadata-Version of successful and failed responses', async () => {
    const seen: (string | null)[] = []
    setMetadataVersionHandler((v) => seen.push(v))
    fetchMock.mockResolvedValueOnce(respond(200, { data: [] }, { 'Content-Type': 'application/json', 'X-Metadata-Version': '42' }))
    fetchMock.mockResolvedValueOnce(respond(404, { status: 404, code: 'not_found' }, { 'Content-Type': 'application/problem+json', 'X-Metadata-Version': '43' }))
    fetchMock.mockResolvedValueOnce(respond(200, { data: [] }, { 'Content-Type': 'application/json' }))
    await api.users.list()
    await api.records.get('x', '1').catch(() => undefined)
    await api.users.list()
    setMetadataVersionHandler(null)
    expect(seen).toEqual(['42', '43'])
  })

  it('does not treat a failed login as an expired session', async () => {
    const handler = vi.fn()
    setUnauthorizedHandler(handler)
    fetchMock.mockResolvedValueOnce(respond(401, { status: 401, code: 'unauthorized' }, { 'Content-Type': 'application/problem+json' }))
    await expect(api.auth.login('demo', 'a@b.c', 'x')).rejects.toBeInstanceOf(ApiError)
    expect(handler).not.toHaveBeenCalled()
  })

  it('builds list queries, joining arrays and dropping empty values', async () => {
    fetchMock.mockResolvedValueOnce(respond(200, { data: [], next_cursor: null }, { 'Content-Type': 'application/json' }))
    await api.records.list('opportunity', { filter: 'amount > 1', fields: ['name', 'amount'], expand: [], q: '  ', count: true, limit: 50 })
    const url = String(fetchMock.mock.calls[0][0])
    expect(url).toBe('/api/v1/records/opportunity?filter=amount+%3E+1&limit=50&fields=name%2Camount&count=true')
    expect(buildQuery({ a: undefined, b: null, c: '' })).toBe('')
  })

  it('downloads an export with the server file name', async () => {
    fetchMock.mockResolvedValueOnce(
      respond(200, 'name,amount\n', {
        'Content-Type': 'text/csv',
        'Content-Disposition': `attachment; filename="opportunity.csv"; filename*=UTF-8''opportunity-20250101.csv`,
      }),
    )
    const { blob, filename } = await api.records.exportCsv('opportunity', { sort: '-amount' })
    expect(filename).toBe('opportunity-20250101.csv')
    expect(await blob.text()).toBe('name,amount\n')
  })
})
