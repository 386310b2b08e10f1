import { api } from './client'
import type { TrendPoint } from './usageTypes'
export type { TrendPoint }

// The admin dashboard's routes: GET /admin/dashboard/{stats, trend, models, users-trend, api-keys-trend}.
// Money arrives as JSON numbers with up to ten decimals; it is shown with formatUsd, never rounded to cents.

export interface DashboardStats {
  total_users: number
  today_new_users: number
  active_users: number
  hourly_active_users: number
  total_api_keys: number
  active_api_keys: number
  total_accounts: number
  normal_accounts: number
  error_accounts: number
  ratelimit_accounts: number
  overload_accounts: number
  total_requests: number
  today_requests: number
  total_input_tokens: number
  total_output_tokens: number
  total_cache_creation_tokens: number
  total_cache_read_tokens: number
  total_tokens: number
  total_cost: number
  total_actual_cost: number
  today_input_tokens: number
  today_output_tokens: number
  today_cache_creation_tokens: number
  today_cache_read_tokens: number
  today_tokens: number
  today_cost: number
  today_actual_cost: number
  average_duration_ms: number
  rpm: number
  tpm: number
}

export type Granularity = 'day' | 'hour'

export interface ModelStat {
  model: string
  requests: number
  input_tokens: number
  output_tokens: number
  cache_creation_tokens: number
  cache_read_tokens: number
  total_tokens: number
  cost: number
  actual_cost: number
}

export interface UserTrendPoint {
  date: string
  user_id: number
  email: string
  requests: number
  tokens: number
  cost: number
  actual_cost: number
}

export interface ApiKeyTrendPoint {
  date: string
  api_key_id: number
  key_name: string
  requests: number
  tokens: number
  cost: number
  actual_cost: number
}

interface RangeEcho {
  start_date: string
  end_date: string
}

export interface TrendResponse<T> extends RangeEcho {
  trend: T[]
  granularity: Granularity
}

export interface ModelsResponse extends RangeEcho {
  models: ModelStat[]
}

/** Dates are UTC days (YYYY-MM-DD, both included); the filters are the usage filters. */
export interface ChartQuery {
  start_date?: string
  end_date?: string
  granularity?: Granularity
  limit?: number
  user_id?: number
  api_key_id?: number
  account_id?: number
  group_id?: number
  model?: string
}

type Q = Record<string, string | number | undefined>

export const adminDashboardApi = {
  stats: () => api.get<DashboardStats>('/admin/dashboard/stats'),
  trend: (q: ChartQuery) => api.get<TrendResponse<TrendPoint>>('/admin/dashboard/trend', q as Q),
  models: (q: ChartQuery) => api.get<ModelsResponse>('/admin/dashboard/models', q as Q),
  usersTrend: (q: ChartQuery) => api.get<TrendResponse<UserTrendPoint>>('/admin/dashboard/users-trend', q as Q),
  apiKeysTrend: (q: ChartQuery) => api.get<TrendResponse<ApiKeyTrendPoint>>('/admin/dashboard/api-keys-trend', q as Q),
}
