import { api, type Paged } from './client'
import type { UsageStats } from './usageTypes'
export type { UsageStats }

// GET /admin/usage (paged rows of every user, each naming its user, key, account and group) and
// GET /admin/usage/stats (totals for the same filters), plus the small look-ups the filter bar needs.

export interface UsageRef {
  id: number
  name: string
}

export interface AdminUsageRow {
  id: number
  user_id: number
  api_key_id: number
  account_id: number
  request_id: string
  model: string
  group_id: number | null
  subscription_id: number | null
  input_tokens: number
  output_tokens: number
  cache_creation_tokens: number
  cache_read_tokens: number
  input_cost: number
  output_cost: number
  cache_creation_cost: number
  cache_read_cost: number
  total_cost: number
  actual_cost: number
  rate_multiplier: number
  billing_type: number
  stream: boolean
  duration_ms: number | null
  first_token_ms: number | null
  user_agent: string | null
  ip_address: string | null
  created_at: string
  user: { id: number; email: string; username: string } | null
  api_key: UsageRef | null
  account: (UsageRef & { platform: string }) | null
  group: UsageRef | null
}

/** The usage filters; dates are UTC days (YYYY-MM-DD, both included). */
export interface UsageFilters {
  user_id?: number
  api_key_id?: number
  account_id?: number
  group_id?: number
  model?: string
  start_date?: string
  end_date?: string
}

/** The few fields of users, accounts and groups the filter selects show. */
export interface UserOption {
  id: number
  email: string
  username: string
}
export interface NamedOption {
  id: number
  name: string
  platform?: string
}

type Q = Record<string, string | number | undefined>

export const adminUsageApi = {
  list: (filters: UsageFilters, page: number, pageSize: number) =>
    api.get<Paged<AdminUsageRow>>('/admin/usage', { ...(filters as Q), page, page_size: pageSize }),
  stats: (filters: UsageFilters) => api.get<UsageStats>('/admin/usage/stats', filters as Q),
  searchUsers: (search: string) => api.get<Paged<UserOption>>('/admin/users', { search, page_size: 20 }),
  accounts: () => api.get<Paged<NamedOption>>('/admin/accounts', { page_size: 1000 }),
  groups: () => api.get<NamedOption[]>('/admin/groups/all'),
}
