// Form ↔ request mapping of the account dialogs, the status marks a row shows, and which rows have usage windows.
import type { Account, AccountRequest, ErrorPassthroughRule, ErrorPassthroughRuleRequest } from '@/api/accounts'

export const PLATFORMS = ['anthropic', 'openai', 'gemini', 'antigravity'] as const
export const ACCOUNT_TYPES = ['oauth', 'setup-token', 'apikey'] as const
export const FILTER_STATUSES = ['active', 'disabled', 'error'] as const
export const EDITABLE_STATUSES = ['active', 'disabled'] as const
/** The platforms an API-key account can be created for here (Anthropic-compatible or OpenAI-compatible upstreams). */
export const API_KEY_PLATFORMS = ['anthropic', 'openai'] as const

export interface AccountForm {
  /** Chosen when creating an API-key account; fixed afterwards. */
  platform: string
  name: string
  notes: string
  group_ids: number[]
  proxy_id: number | null
  concurrency: number
  priority: number
  rate_multiplier: number
  status: string
  /** API-key accounts only. Write-only: empty keeps the stored key. */
  api_key: string
  base_url: string
}

export function emptyForm(): AccountForm {
  return { platform: 'anthropic', name: '', notes: '', group_ids: [], proxy_id: null, concurrency: 3, priority: 50, rate_multiplier: 1, status: 'active', api_key: '', base_url: '' }
}

export function formFrom(a: Account): AccountForm {
  return {
    platform: a.platform,
    name: a.name,
    notes: a.notes ?? '',
    group_ids: [...(a.group_ids ?? [])],
    proxy_id: a.proxy_id ?? null,
    concurrency: a.concurrency,
    priority: a.priority,
    rate_multiplier: Number(a.rate_multiplier),
    status: a.status === 'disabled' ? 'disabled' : 'active',
    api_key: '',
    base_url: typeof a.credentials?.base_url === 'string' ? a.credentials.base_url : '',
  }
}

export function createApiKeyRequest(f: AccountForm): AccountRequest {
  const credentials: Record<string, unknown> = { api_key: f.api_key.trim() }
  if (f.base_url.trim()) credentials.base_url = f.base_url.trim()
  return {
    name: f.name.trim(),
    notes: f.notes,
    platform: f.platform || 'anthropic',
    type: 'apikey',
    credentials,
    group_ids: f.group_ids,
    proxy_id: f.proxy_id,
    concurrency: f.concurrency,
    priority: f.priority,
  }
}

/**
 * The edit body. Credentials are only sent for API-key accounts, and then as the whole object (the server replaces
 * it): the other keys come back as the server showed them; the key itself is sent masked when left empty, which the
 * server reads as "keep the stored one". The status is only sent when the admin can set it (an error account keeps
 * its error until cleared).
 */
export function updateRequest(a: Account, f: AccountForm): AccountRequest {
  const body: AccountRequest = {
    name: f.name.trim(),
    notes: f.notes,
    group_ids: f.group_ids,
    proxy_id: f.proxy_id,
    concurrency: f.concurrency,
    priority: f.priority,
    rate_multiplier: f.rate_multiplier,
  }
  if (a.status !== 'error' || f.status === 'disabled') body.status = f.status
  if (a.type === 'apikey') {
    const credentials: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(a.credentials ?? {})) if (!k.startsWith('_')) credentials[k] = v
    if (f.api_key.trim()) credentials.api_key = f.api_key.trim()
    if (f.base_url.trim()) credentials.base_url = f.base_url.trim()
    else delete credentials.base_url
    body.credentials = credentials
  }
  return body
}

export type MarkKind = 'error' | 'rateLimited' | 'overloaded' | 'tempUnschedulable' | 'expired' | 'paused'

export interface StatusMark {
  kind: MarkKind
  /** When the mark ends (ISO), if it does by itself. */
  until?: string
  message?: string
}

function future(iso: string | null | undefined, now: number): iso is string {
  return !!iso && new Date(iso).getTime() > now
}

/** Why an account is not taking traffic right now (several may hold at once). */
export function statusMarks(a: Account, now = Date.now()): StatusMark[] {
  const marks: StatusMark[] = []
  if (a.status === 'error') marks.push({ kind: 'error', message: a.error_message || undefined })
  if (future(a.rate_limit_reset_at, now)) marks.push({ kind: 'rateLimited', until: a.rate_limit_reset_at })
  if (future(a.overload_until, now)) marks.push({ kind: 'overloaded', until: a.overload_until })
  if (future(a.temp_unschedulable_until, now)) {
    marks.push({ kind: 'tempUnschedulable', until: a.temp_unschedulable_until, message: tempReasonText(a.temp_unschedulable_reason) })
  }
  if (a.expires_at && a.expires_at * 1000 <= now) marks.push({ kind: 'expired', until: new Date(a.expires_at * 1000).toISOString() })
  if (!a.schedulable) marks.push({ kind: 'paused' })
  return marks
}

/** The stored reason is JSON from a rule ({error_message, status_code, …}) or plain text. */
export function tempReasonText(reason: string | null | undefined): string | undefined {
  if (!reason) return undefined
  try {
    const json = JSON.parse(reason)
    if (json && typeof json === 'object') {
      const parts = [json.status_code ? `HTTP ${json.status_code}` : '', json.matched_keyword ? `"${json.matched_keyword}"` : '', json.error_message ?? '']
      const text = parts.filter(Boolean).join(' · ')
      return text || undefined
    }
  } catch {
    /* plain text */
  }
  return reason
}

/** Only Claude subscription accounts have 5-hour / 7-day windows (API-key accounts answer 400). */
export function hasUsageWindows(a: Pick<Account, 'platform' | 'type'>): boolean {
  return a.platform === 'anthropic' && (a.type === 'oauth' || a.type === 'setup-token')
}

export function isOAuth(a: Pick<Account, 'type'>): boolean {
  return a.type === 'oauth' || a.type === 'setup-token'
}

export interface RuleForm {
  name: string
  enabled: boolean
  priority: number
  error_codes: string
  keywords: string
  match_mode: string
  platforms: string[]
  passthrough_code: boolean
  response_code: number | null
  passthrough_body: boolean
  custom_message: string
  skip_monitoring: boolean
  description: string
}

export function emptyRuleForm(): RuleForm {
  return {
    name: '', enabled: true, priority: 0, error_codes: '', keywords: '', match_mode: 'any', platforms: [],
    passthrough_code: true, response_code: null, passthrough_body: true, custom_message: '', skip_monitoring: false, description: '',
  }
}

export function ruleFormFrom(r: ErrorPassthroughRule): RuleForm {
  return {
    name: r.name, enabled: r.enabled, priority: r.priority, error_codes: r.error_codes.join(', '), keywords: r.keywords.join('\n'),
    match_mode: r.match_mode, platforms: [...r.platforms], passthrough_code: r.passthrough_code, response_code: r.response_code,
    passthrough_body: r.passthrough_body, custom_message: r.custom_message ?? '', skip_monitoring: r.skip_monitoring,
    description: r.description ?? '',
  }
}

/** "429, 529 503" → [429, 529, 503]; null when something is not a status code. */
export function parseCodes(text: string): number[] | null {
  const parts = text.split(/[\s,，]+/).filter(Boolean)
  const codes = parts.map((p) => (/^\d{3}$/.test(p) ? Number(p) : NaN))
  if (codes.some((c) => !(c >= 100 && c <= 599))) return null
  return [...new Set(codes)]
}

export function ruleRequest(f: RuleForm): ErrorPassthroughRuleRequest {
  return {
    name: f.name.trim(),
    enabled: f.enabled,
    priority: f.priority,
    error_codes: parseCodes(f.error_codes) ?? [],
    keywords: f.keywords.split('\n').map((k) => k.trim()).filter(Boolean),
    match_mode: f.match_mode,
    platforms: f.platforms,
    passthrough_code: f.passthrough_code,
    response_code: f.passthrough_code ? null : f.response_code,
    passthrough_body: f.passthrough_body,
    custom_message: f.passthrough_body ? null : f.custom_message,
    skip_monitoring: f.skip_monitoring,
    description: f.description || null,
  }
}

export function proxyLabel(p: { name: string; protocol: string; host: string; port: number }): string {
  return `${p.name} (${p.protocol}://${p.host}:${p.port})`
}
