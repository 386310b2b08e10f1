// The one way the app talks to the gateway: the public management API under /api/v1.
// Success bodies are the envelope {code: 0, message, data}; errors are {code, message, reason}.
// A 401 on a logged-in call tries one refresh-token rotation, then retries once; a second 401 logs out.

export class ApiError extends Error {
  constructor(
    public status: number,
    message: string,
    public reason = '',
  ) {
    super(message)
  }
}

export interface Paged<T> {
  items: T[]
  total: number
  page: number
  page_size: number
  pages: number
}

type Query = Record<string, string | number | boolean | null | undefined>

export interface TokenSource {
  accessToken(): string | null
  refresh(): Promise<boolean>
  expired(): void
}

let tokens: TokenSource | null = null

/** Called once by the auth store: where the bearer token comes from and how to renew it. */
export function useTokenSource(source: TokenSource) {
  tokens = source
}

export function buildUrl(path: string, query?: Query): string {
  const url = path.startsWith('/api/') || path.startsWith('/v1/') ? path : `/api/v1${path}`
  if (!query) return url
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== '') params.append(k, String(v))
  }
  const qs = params.toString()
  return qs ? `${url}?${qs}` : url
}

async function send(method: string, path: string, body?: unknown, query?: Query): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  const token = tokens?.accessToken()
  if (token) headers.Authorization = `Bearer ${token}`
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  return fetch(buildUrl(path, query), {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  })
}

async function errorFrom(res: Response): Promise<ApiError> {
  let message = res.statusText || `HTTP ${res.status}`
  let reason = ''
  try {
    const body = await res.json()
    message = body?.message ?? body?.error?.message ?? message
    reason = body?.reason ?? body?.error?.type ?? ''
  } catch {
    /* not JSON: keep the status text */
  }
  return new ApiError(res.status, message, reason)
}

/** A raw call with the auth and refresh rules applied (for streams and downloads). */
export async function rawRequest(method: string, path: string, body?: unknown, query?: Query): Promise<Response> {
  let res = await send(method, path, body, query)
  if (res.status === 401 && tokens?.accessToken() && !path.startsWith('/auth/')) {
    if (await tokens.refresh()) {
      res = await send(method, path, body, query)
    }
    if (res.status === 401) tokens.expired()
  }
  if (!res.ok) throw await errorFrom(res)
  return res
}

export async function request<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
  const res = await rawRequest(method, path, body, query)
  if (res.status === 204) return undefined as T
  const json = await res.json()
  return (json && typeof json === 'object' && 'data' in json ? json.data : json) as T
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, undefined, query),
  post: <T>(path: string, body?: unknown, query?: Query) => request<T>('POST', path, body ?? {}, query),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, body ?? {}),
  del: <T>(path: string) => request<T>('DELETE', path),
}
