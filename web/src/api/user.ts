import { api, type Paged } from './client'
import type { TrendPoint, UsageStats } from './usageTypes'
export type { TrendPoint, UsageStats }

// The user portal's own routes: keys, groups, usage and the dashboard aggregates (all scoped to the caller).

export interface KeyGroup {
  id: number
  name: string
  platform: string
  rate_multiplier: number
  subscription_type: string
}

export interface ApiKey {
  id: number
  user_id: number
  /** The full secret only in the create response; the masked hint everywhere else. */
  key: string
  name: string
  group_id: number | null
  group: KeyGroup | null
  status: 'active' | 'disabled' | 'expired' | 'quota_exhausted' | string
  ip_whitelist: string[]
  ip_blacklist: string[]
  quota: number
  quota_used: number
  expires_at: string | null
  last_used_at: string | null
  created_at: string
  updated_at: string
}

export interface AvailableGroup {
  id: number
  name: string
  description: string
  platform: string
  rate_multiplier: number
  subscription_type: string
  is_exclusive: boolean
}

export interface CreateKeyRequest {
  name: string
  group_id?: number | null
  custom_key?: string
  ip_whitelist?: string[]
  ip_blacklist?: string[]
  quota?: number
  expires_in_days?: number
}

export interface UpdateKeyRequest {
  name?: string
  group_id?: number | null
  status?: string
  ip_whitelist?: string[]
  ip_blacklist?: string[]
  quota?: number
  expires_at?: string | null
}

export interface UsageLog {
  id: number
  api_key_id: number
  request_id: string
  model: string
  input_tokens: number
  output_tokens: number
  cache_creation_tokens: number
  cache_read_tokens: number
  total_cost: number
  actual_cost: number
  stream: boolean
  duration_ms: number | null
  first_token_ms: number | null
  created_at: string
}

export interface UsageQuery {
  page?: number
  page_size?: number
  api_key_id?: number | null
  model?: string
  start_date?: string
  end_date?: string
  [key: string]: string | number | boolean | null | undefined
}

export interface DashboardStats {
  total_api_keys: number
  active_api_keys: number
  total_requests: number
  total_input_tokens: number
  total_output_tokens: number
  total_cache_creation_tokens: number
  total_cache_read_tokens: number
  total_tokens: number
  total_cost: number
  total_actual_cost: number
  today_requests: number
  today_input_tokens: number
  today_output_tokens: number
  today_tokens: number
  today_cost: number
  today_actual_cost: number
  average_duration_ms: number
  rpm: number
  tpm: number
}

export interface ModelStat {
  model: string
  requests: number
  input_tokens: number
  output_tokens: number
  total_tokens: number
  cost: number
  actual_cost: number
}

export const keysApi = {
  list: (query: { page: number; page_size: number; search?: string; status?: string }) => api.get<Paged<ApiKey>>('/keys', query),
  create: (body: CreateKeyRequest) => api.post<ApiKey>('/keys', body),
  update: (id: number, body: UpdateKeyRequest) => api.put<ApiKey>(`/keys/${id}`, body),
  remove: (id: number) => api.del<{ message: string }>(`/keys/${id}`),
  availableGroups: () => api.get<AvailableGroup[]>('/groups/available'),
}

export const usageApi = {
  list: (query: UsageQuery) => api.get<Paged<UsageLog>>('/usage', query),
  stats: (query: UsageQuery) => api.get<UsageStats>('/usage/stats', query),
}

export const dashboardApi = {
  stats: () => api.get<DashboardStats>('/usage/dashboard/stats'),
  trend: (query: { start_date: string; end_date: string; granularity?: 'day' | 'hour' }) =>
    api.get<{ trend: TrendPoint[]; start_date: string; end_date: string; granularity: string }>('/usage/dashboard/trend', query),
  models: (query: { start_date: string; end_date: string }) =>
    api.get<{ models: ModelStat[]; start_date: string; end_date: string }>('/usage/dashboard/models', query),
}

export const profileApi = {
  update: (username: string) => api.put<unknown>('/user/profile', { username }),
  changePassword: (old_password: string, new_password: string) =>
    api.put<{ message: string }>('/user/password', { old_password, new_password }),
}
