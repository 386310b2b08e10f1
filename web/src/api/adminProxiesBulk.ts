import { api } from './client'

/** The answer of POST /admin/proxies/:id/test: a failure is success:false with a message, never an error. */
export interface ProxyTestResult {
  success: boolean
  message: string
  latency_ms?: number | null
  ip_address?: string | null
  city?: string | null
  region?: string | null
  country?: string | null
  country_code?: string | null
}

export interface BatchProxyItem {
  protocol: string
  host: string
  port: number
  username?: string
  password?: string
}

/** The original's migration file ("sub2api-data", version 1). */
export interface AdminDataPayload {
  type?: string
  version?: number
  exported_at?: string
  proxies: unknown[]
  accounts: unknown[]
}

export interface AdminDataImportResult {
  proxy_created: number
  proxy_reused: number
  proxy_failed: number
  account_created: number
  account_failed: number
  errors: { kind: string; name?: string | null; proxy_key?: string | null; message: string }[]
}

export const adminProxiesBulkApi = {
  test: (id: number) => api.post<ProxyTestResult>(`/admin/proxies/${id}/test`),
  batchCreate: (proxies: BatchProxyItem[]) => api.post<{ created: number; skipped: number }>('/admin/proxies/batch', { proxies }),
  batchDelete: (ids: number[]) =>
    api.post<{ deleted_ids: number[]; skipped: { id: number; reason: string }[] }>('/admin/proxies/batch-delete', { ids }),
  exportData: (includePasswords: boolean) =>
    api.get<AdminDataPayload>('/admin/proxies/data', includePasswords ? { include_passwords: 'true' } : {}),
  importData: (data: AdminDataPayload) => api.post<AdminDataImportResult>('/admin/proxies/data', { data }),
}

/**
 * Parses pasted proxy lines: `protocol://user:pass@host:port`, `protocol://host:port`, or `host:port` (http).
 * Returns the items and the lines that could not be read.
 */
export function parseProxyLines(text: string): { items: BatchProxyItem[]; invalid: string[] } {
  const items: BatchProxyItem[] = []
  const invalid: string[] = []
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (!line) continue
    const withScheme = /^[a-z0-9]+:\/\//i.test(line) ? line : `http://${line}`
    try {
      const url = new URL(withScheme)
      const protocol = url.protocol.replace(':', '').toLowerCase()
      const port = Number(url.port)
      if (!['http', 'https', 'socks5', 'socks5h'].includes(protocol) || !url.hostname || !port) throw new Error('bad')
      items.push({
        protocol,
        host: url.hostname.replace(/^\[|\]$/g, ''),
        port,
        username: url.username ? decodeURIComponent(url.username) : undefined,
        password: url.password ? decodeURIComponent(url.password) : undefined,
      })
    } catch {
      invalid.push(line)
    }
  }
  return { items, invalid }
}
