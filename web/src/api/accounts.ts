// The admin accounts API (/admin/accounts, the Claude OAuth onboarding routes, /admin/error-passthrough-rules),
// plus the two look-ups the account forms need (groups and proxies to choose from).
import { api, rawRequest, type Paged } from './client'

export interface AccountGroupRef {
  id: number
  name: string
  platform: string
}

export interface AccountProxyRef {
  id: number
  name: string
  protocol: string
  host: string
  port: number
}

export interface Account {
  id: number
  name: string
  notes: string
  platform: string
  type: string
  /** Always masked by the server: secrets come back as "sk-an…a1". */
  credentials: Record<string, unknown>
  extra: Record<string, unknown>
  proxy_id: number | null
  concurrency: number
  current_concurrency: number
  priority: number
  rate_multiplier: number
  status: string
  error_message: string
  last_used_at: string | null
  expires_at: number | null
  auto_pause_on_expired: boolean
  schedulable: boolean
  rate_limited_at: string | null
  rate_limit_reset_at: string | null
  overload_until: string | null
  temp_unschedulable_until: string | null
  temp_unschedulable_reason: string | null
  session_window_start: string | null
  session_window_end: string | null
  session_window_status: string | null
  group_ids: number[]
  groups: AccountGroupRef[]
  proxy: AccountProxyRef | null
  created_at: string
  updated_at: string
}

export interface AccountFilters {
  page: number
  page_size: number
  platform?: string
  type?: string
  status?: string
  search?: string
}

/** Body of POST /admin/accounts and PUT /admin/accounts/:id (on update a missing field keeps its value). */
export interface AccountRequest {
  name?: string
  notes?: string
  platform?: string
  type?: string
  credentials?: Record<string, unknown>
  extra?: Record<string, unknown>
  proxy_id?: number | null
  concurrency?: number
  priority?: number
  rate_multiplier?: number
  group_ids?: number[]
  expires_at?: number | null
  schedulable?: boolean
  status?: string
}

export interface UsageProgress {
  utilization: number
  resets_at: string | null
  remaining_seconds: number
}

export interface AccountUsageInfo {
  source: string
  updated_at: string | null
  five_hour: UsageProgress | null
  seven_day: UsageProgress | null
  seven_day_opus: UsageProgress | null
  seven_day_sonnet: UsageProgress | null
  error: string | null
}

export interface AccountUsageDay {
  date: string
  label: string
  requests: number
  tokens: number
  cost: number
  actual_cost: number
  user_cost: number
}

export interface AccountModelStat {
  model: string
  requests: number
  total_tokens: number
  cost: number
  actual_cost: number
}

export interface AccountUsageStats {
  history: AccountUsageDay[]
  summary: {
    days: number
    actual_days_used: number
    total_cost: number
    total_user_cost: number
    total_standard_cost: number
    total_requests: number
    total_tokens: number
    avg_daily_cost: number
    avg_daily_requests: number
    avg_duration_ms: number
    today: { cost: number; user_cost: number; requests: number; tokens: number } | null
  }
  models: AccountModelStat[]
}

export interface TempUnschedulableState {
  active: boolean
  state?: {
    until_unix?: number
    triggered_at_unix?: number
    status_code?: number
    matched_keyword?: string
    rule_index?: number
    error_message?: string
  }
}

/** What the OAuth exchange and cookie routes answer, once, in clear. */
export interface ClaudeTokenInfo {
  access_token: string
  token_type: string
  expires_in: number
  expires_at: number
  refresh_token?: string
  scope?: string
  org_uuid?: string
  account_uuid?: string
  email_address?: string
}

export interface ErrorPassthroughRule {
  id: number
  name: string
  enabled: boolean
  priority: number
  error_codes: number[]
  keywords: string[]
  match_mode: string
  platforms: string[]
  passthrough_code: boolean
  response_code: number | null
  passthrough_body: boolean
  custom_message: string | null
  skip_monitoring: boolean
  description: string | null
  created_at: string
  updated_at: string
}

export type ErrorPassthroughRuleRequest = Omit<ErrorPassthroughRule, 'id' | 'created_at' | 'updated_at'>

export interface GroupOption {
  id: number
  name: string
  platform: string
}

export interface ProxyOption {
  id: number
  name: string
  protocol: string
  host: string
  port: number
}

const base = '/admin/accounts'

export const accountsApi = {
  list: (f: AccountFilters) => api.get<Paged<Account>>(base, { ...f }),
  get: (id: number) => api.get<Account>(`${base}/${id}`),
  create: (body: AccountRequest) => api.post<Account>(base, body),
  update: (id: number, body: AccountRequest) => api.put<Account>(`${base}/${id}`, body),
  remove: (id: number) => api.del<unknown>(`${base}/${id}`),
  setSchedulable: (id: number, schedulable: boolean) => api.post<unknown>(`${base}/${id}/schedulable`, { schedulable }),
  clearError: (id: number) => api.post<unknown>(`${base}/${id}/clear-error`),
  clearRateLimit: (id: number) => api.post<unknown>(`${base}/${id}/clear-rate-limit`),
  refresh: (id: number) => api.post<Account>(`${base}/${id}/refresh`),
  usage: (id: number) => api.get<AccountUsageInfo>(`${base}/${id}/usage`),
  stats: (id: number, days = 30) => api.get<AccountUsageStats>(`${base}/${id}/stats`, { days }),
  tempUnschedulable: (id: number) => api.get<TempUnschedulableState>(`${base}/${id}/temp-unschedulable`),
  clearTempUnschedulable: (id: number) => api.del<unknown>(`${base}/${id}/temp-unschedulable`),
  /** The live SSE stream of a test run; the caller reads the body. */
  test: (id: number) => rawRequest('POST', `${base}/${id}/test`, {}),
  oauthPost: <T>(route: string, body: Record<string, unknown>) => api.post<T>(`${base}/${route}`, body),
  groups: () => api.get<GroupOption[]>('/admin/groups/all'),
  proxies: () => api.get<ProxyOption[]>('/admin/proxies/all'),
}

const rules = '/admin/error-passthrough-rules'

export const passthroughRulesApi = {
  list: () => api.get<ErrorPassthroughRule[]>(rules),
  create: (body: ErrorPassthroughRuleRequest) => api.post<ErrorPassthroughRule>(rules, body),
  update: (id: number, body: ErrorPassthroughRuleRequest) => api.put<ErrorPassthroughRule>(`${rules}/${id}`, body),
  remove: (id: number) => api.del<unknown>(`${rules}/${id}`),
}
