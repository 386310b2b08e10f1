import { api, type Paged } from './client'

export const PROXY_PROTOCOLS = ['http', 'https', 'socks5', 'socks5h'] as const

/** A proxy as the admin API shows it: the password only ever masked. */
export interface AdminProxy {
  id: number
  name: string
  protocol: string
  host: string
  port: number
  username: string | null
  /** Masked ("ab****yz") or null when there is none; never the real one. */
  password: string | null
  status: 'active' | 'inactive' | string
  account_count: number
  created_at: string
  updated_at: string
}

/**
 * Body of POST/PUT /admin/proxies. On update a missing field keeps its value; an empty username or password
 * clears it.
 */
export interface ProxyRequest {
  name?: string
  protocol?: string
  host?: string
  port?: number
  username?: string
  password?: string
  status?: string
}

export interface ProxyListQuery {
  page: number
  page_size: number
  protocol?: string
  status?: string
  search?: string
}

export const adminProxiesApi = {
  list: (query: ProxyListQuery) => api.get<Paged<AdminProxy>>('/admin/proxies', { ...query }),
  create: (body: ProxyRequest) => api.post<AdminProxy>('/admin/proxies', body),
  update: (id: number, body: ProxyRequest) => api.put<AdminProxy>(`/admin/proxies/${id}`, body),
  remove: (id: number) => api.del<{ message: string }>(`/admin/proxies/${id}`),
}
