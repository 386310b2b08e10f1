import { api, type Paged } from './client'

/** An API key as admin lists show it (the key itself masked). */
export interface ContractApiKey {
  id: number
  user_id: number
  key: string
  name: string
  group_id: number | null
  group: { id: number; name: string } | null
  status: string
  quota: number
  quota_used: number
  expires_at: string | null
  last_used_at: string | null
  created_at: string
}

export interface UserUsageSummary {
  period: string
  total_requests: number
  total_cost: number
  total_actual_cost: number
  total_tokens: number
  avg_duration_ms: number
}

export interface GroupStats {
  group_id: number
  total_api_keys: number
  active_api_keys: number
  total_requests: number
  total_cost: number
  total_actual_cost: number
  account_count: number
  user_count: number
  today_requests: number
  today_cost: number
  today_actual_cost: number
}

export interface CleanupFilters {
  start_time: string
  end_time: string
  user_id?: number | null
  api_key_id?: number | null
  account_id?: number | null
  group_id?: number | null
  model?: string | null
  stream?: boolean | null
  billing_type?: number | null
}

export interface CleanupTask {
  id: number
  status: 'pending' | 'running' | 'succeeded' | 'failed' | 'canceled' | string
  filters: CleanupFilters | null
  created_by: number
  deleted_rows: number
  error_message: string | null
  canceled_by: number | null
  canceled_at: string | null
  started_at: string | null
  finished_at: string | null
  created_at: string
}

/** POST body: whole UTC days (both included) plus optional exact-match filters. */
export interface CreateCleanupTask {
  start_date: string
  end_date: string
  user_id?: number
  api_key_id?: number
  account_id?: number
  group_id?: number
  model?: string
  stream?: boolean
  billing_type?: number
}

export interface AdminApiKeyStatus {
  exists: boolean
  masked_key: string
}

export interface StreamTimeoutSettings {
  enabled: boolean
  action: 'temp_unsched' | 'error' | 'none' | string
  temp_unsched_minutes: number
  threshold_count: number
  threshold_window_minutes: number
}

export const contractApi = {
  userApiKeys: (userId: number, page: number, pageSize: number) =>
    api.get<Paged<ContractApiKey>>(`/admin/users/${userId}/api-keys`, { page, page_size: pageSize }),
  userUsage: (userId: number, period: string) => api.get<UserUsageSummary>(`/admin/users/${userId}/usage`, { period }),
  groupStats: (groupId: number) => api.get<GroupStats>(`/admin/groups/${groupId}/stats`),
  cleanupTasks: (page: number, pageSize: number) =>
    api.get<Paged<CleanupTask>>('/admin/usage/cleanup-tasks', { page, page_size: pageSize }),
  createCleanupTask: (body: CreateCleanupTask) => api.post<CleanupTask>('/admin/usage/cleanup-tasks', body),
  cancelCleanupTask: (id: number) => api.post<{ id: number; status: string }>(`/admin/usage/cleanup-tasks/${id}/cancel`),
  adminApiKey: () => api.get<AdminApiKeyStatus>('/admin/settings/admin-api-key'),
  regenerateAdminApiKey: () => api.post<{ key: string }>('/admin/settings/admin-api-key/regenerate'),
  deleteAdminApiKey: () => api.del<{ message: string }>('/admin/settings/admin-api-key'),
  streamTimeout: () => api.get<StreamTimeoutSettings>('/admin/settings/stream-timeout'),
  updateStreamTimeout: (body: Partial<StreamTimeoutSettings>) => api.put<StreamTimeoutSettings>('/admin/settings/stream-timeout', body),
}
