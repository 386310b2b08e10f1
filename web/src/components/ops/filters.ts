// The error log's and the requests tab's filter forms, mapped to the routes' query strings. Empty fields are
// left out (the API then does not filter on them); status codes are typed as "500, 502" and sent as "500,502".
import type { ErrorQuery, RequestQuery, TimeRange } from '@/api/ops'

export const PHASES = ['request', 'auth', 'routing', 'upstream', 'network', 'internal'] as const
export const OWNERS = ['client', 'provider', 'platform'] as const
export const PLATFORMS = ['anthropic', 'openai', 'gemini', 'antigravity'] as const

export interface ErrorFilterForm {
  platform: string
  phase: string
  owner: string
  statusCodes: string
  /** '' = all, 'false' = open only, 'true' = resolved only. */
  resolved: '' | 'true' | 'false'
  model: string
  q: string
  accountId: number | undefined
}

export const blankErrorFilters = (): ErrorFilterForm => ({
  platform: '', phase: '', owner: '', statusCodes: '', resolved: '', model: '', q: '', accountId: undefined,
})

/** "500, 502 429" → "500,502,429"; null when any part is not an HTTP status (100–599). */
export function parseStatusCodes(text: string): string | null {
  const parts = text.split(/[\s,，]+/).map((p) => p.trim()).filter(Boolean)
  if (parts.some((p) => !/^\d{3}$/.test(p) || Number(p) < 100 || Number(p) > 599)) return null
  return [...new Set(parts)].join(',')
}

const text = (v: string) => v.trim() || undefined

export function errorQuery(form: ErrorFilterForm, timeRange: TimeRange, page: number, pageSize: number): ErrorQuery {
  return {
    page,
    page_size: pageSize,
    time_range: timeRange,
    platform: text(form.platform),
    phase: text(form.phase),
    error_owner: text(form.owner),
    status_codes: parseStatusCodes(form.statusCodes) || undefined,
    resolved: form.resolved || undefined,
    model: text(form.model),
    q: text(form.q),
    account_id: form.accountId || undefined,
  }
}

export interface RequestFilterForm {
  kind: '' | 'success' | 'error'
  platform: string
  model: string
  userId: number | undefined
  accountId: number | undefined
  q: string
}

export const blankRequestFilters = (): RequestFilterForm => ({
  kind: '', platform: '', model: '', userId: undefined, accountId: undefined, q: '',
})

export function requestQuery(form: RequestFilterForm, timeRange: TimeRange, page: number, pageSize: number): RequestQuery {
  return {
    page,
    page_size: pageSize,
    time_range: timeRange,
    kind: form.kind || undefined,
    platform: text(form.platform),
    model: text(form.model),
    user_id: form.userId || undefined,
    account_id: form.accountId || undefined,
    q: text(form.q),
  }
}

/** Element Plus tag colour for an HTTP status: 5xx red, 429 orange, other 4xx grey-orange. */
export function statusTagType(status: number | null | undefined): 'danger' | 'warning' | 'info' | 'success' {
  if (!status) return 'info'
  if (status >= 500) return 'danger'
  if (status >= 400) return 'warning'
  return 'success'
}

/** Element Plus tag colour for a severity (P0 worst). */
export function severityTagType(severity: string | null | undefined): 'danger' | 'warning' | 'info' | 'primary' {
  switch (severity) {
    case 'P0':
    case 'P1':
      return 'danger'
    case 'P2':
      return 'warning'
    case 'P3':
      return 'primary'
    default:
      return 'info'
  }
}
