import { api, type Paged } from './client'

// Subscriptions: a user's time-limited plan on a subscription group, with daily/weekly/monthly USD caps.
// Money fields arrive as exact decimals (JSON numbers); a null limit means the window is unlimited.

export type SubscriptionStatus = 'active' | 'expired' | 'suspended'

export interface SubscriptionGroup {
  id: number
  name: string
  description: string
  platform: string
  status: string
  subscription_type: string
  daily_limit_usd: number | null
  weekly_limit_usd: number | null
  monthly_limit_usd: number | null
  default_validity_days: number
}

export interface UserSubscription {
  id: number
  user_id: number
  group_id: number
  starts_at: string
  expires_at: string
  status: SubscriptionStatus
  daily_window_start: string | null
  weekly_window_start: string | null
  monthly_window_start: string | null
  daily_usage_usd: number
  weekly_usage_usd: number
  monthly_usage_usd: number
  created_at: string
  updated_at: string
  group: SubscriptionGroup | null
}

export interface AdminSubscription extends UserSubscription {
  assigned_by: number | null
  assigned_at: string
  notes: string
  user: { id: number; email: string; username: string } | null
}

export interface WindowProgress {
  limit_usd: number | null
  used_usd: number
  remaining_usd: number | null
  percentage: number
  window_start: string | null
  resets_at: string | null
  resets_in_seconds: number | null
}

export interface SubscriptionProgress {
  id: number
  group_id: number
  group_name: string
  status: SubscriptionStatus
  expires_at: string
  expires_in_days: number
  daily: WindowProgress
  weekly: WindowProgress
  monthly: WindowProgress
}

export interface SubscriptionWithProgress {
  subscription: UserSubscription
  progress: SubscriptionProgress
}

export interface BulkAssignResult {
  success_count: number
  created_count: number
  reused_count: number
  failed_count: number
  subscriptions: AdminSubscription[]
  errors: string[]
  statuses: Record<string, string>
}

export interface SubscriptionListQuery {
  page: number
  page_size: number
  user_id?: number | ''
  group_id?: number | ''
  status?: string
  search?: string
}

export interface AssignRequest {
  user_id: number
  group_id: number
  validity_days?: number
  notes?: string
}

export interface BulkAssignRequest {
  user_ids: number[]
  group_id: number
  validity_days?: number
  notes?: string
}

/** A user to pick in the assign dialogs (from the admin users search). */
export interface UserOption {
  id: number
  email: string
  username: string
}

export const adminSubscriptionsApi = {
  list: (query: SubscriptionListQuery) => api.get<Paged<AdminSubscription>>('/admin/subscriptions', { ...query }),
  progress: (id: number) => api.get<SubscriptionProgress>(`/admin/subscriptions/${id}/progress`),
  assign: (body: AssignRequest) => api.post<AdminSubscription>('/admin/subscriptions/assign', body),
  bulkAssign: (body: BulkAssignRequest) => api.post<BulkAssignResult>('/admin/subscriptions/bulk-assign', body),
  extend: (id: number, days: number) => api.post<AdminSubscription>(`/admin/subscriptions/${id}/extend`, { days }),
  revoke: (id: number) => api.del<{ message: string }>(`/admin/subscriptions/${id}`),
  searchUsers: (search: string) => api.get<Paged<UserOption>>('/admin/users', { search, page_size: 20 }),
  /** Every group; the dialogs keep the subscription-type ones. */
  groups: () => api.get<SubscriptionGroup[]>('/admin/groups/all'),
}

export const subscriptionsApi = {
  list: () => api.get<UserSubscription[]>('/subscriptions'),
  active: () => api.get<UserSubscription[]>('/subscriptions/active'),
  progress: () => api.get<SubscriptionWithProgress[]>('/subscriptions/progress'),
  progressOf: (id: number) => api.get<SubscriptionProgress>(`/subscriptions/${id}/progress`),
}
