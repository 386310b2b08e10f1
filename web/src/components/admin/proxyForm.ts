// The admin proxy dialog's form model and its mapping to POST/PUT /admin/proxies. The API never returns a
// password (only a mask), so the edit form starts with an empty password that means "keep the stored one".
import type { AdminProxy, ProxyRequest } from '@/api/adminProxies'

export interface ProxyFormModel {
  name: string
  protocol: string
  host: string
  port: number | null
  username: string
  /** Create: optional. Edit: empty keeps the stored password. */
  password: string
  /** Edit only: remove the stored password (an empty string to the API). */
  clear_password: boolean
  status: 'active' | 'disabled'
}

export function emptyProxyForm(): ProxyFormModel {
  return { name: '', protocol: 'http', host: '', port: null, username: '', password: '', clear_password: false, status: 'active' }
}

export function proxyToForm(p: AdminProxy): ProxyFormModel {
  return {
    name: p.name,
    protocol: p.protocol,
    host: p.host,
    port: p.port,
    username: p.username ?? '',
    password: '',
    clear_password: false,
    status: p.status === 'disabled' ? 'disabled' : 'active',
  }
}

/** POST /admin/proxies: credentials only when given. */
export function toCreateProxyRequest(form: ProxyFormModel): ProxyRequest {
  const body: ProxyRequest = { name: form.name.trim(), protocol: form.protocol, host: form.host.trim(), port: form.port ?? undefined, status: form.status }
  if (form.username.trim()) body.username = form.username.trim()
  if (form.password) body.password = form.password
  return body
}

/**
 * PUT /admin/proxies/:id. The username is always sent (emptied = removed); the password only when a new one was
 * typed, or as "" when the admin chose to remove it.
 */
export function toUpdateProxyRequest(form: ProxyFormModel): ProxyRequest {
  const body: ProxyRequest = {
    name: form.name.trim(), protocol: form.protocol, host: form.host.trim(), port: form.port ?? undefined,
    username: form.username.trim(), status: form.status,
  }
  if (form.clear_password) body.password = ''
  else if (form.password) body.password = form.password
  return body
}

export interface ParsedProxyUrl {
  protocol: string
  host: string
  port: number
  username: string
  password: string
}

/**
 * "socks5://user:pass@1.2.3.4:1080" → its parts, so an admin can paste a proxy URL into the host field.
 * Null when the text is not such a URL (then it is taken as a plain host).
 */
export function parseProxyUrl(text: string, protocols: readonly string[]): ParsedProxyUrl | null {
  const match = /^([a-z0-9]+):\/\/(?:([^:@/]*)(?::([^@/]*))?@)?(\[[^\]]+\]|[^:/?#]+):(\d{1,5})\/?$/i.exec(text.trim())
  if (!match) return null
  const protocol = match[1].toLowerCase()
  const port = Number(match[5])
  if (!protocols.includes(protocol) || port < 1 || port > 65535) return null
  const decode = (s: string | undefined) => {
    try {
      return decodeURIComponent(s ?? '')
    } catch {
      return s ?? ''
    }
  }
  return { protocol, host: match[4].replace(/^\[|\]$/g, ''), port, username: decode(match[2]), password: decode(match[3]) }
}
