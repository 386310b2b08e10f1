import { api, type Paged } from './client'

/** A user as the admin API shows it (GET /admin/users, /admin/users/:id). */
export interface AdminUser {
  id: number
  email: string
  username: string
  notes: string
  role: 'admin' | 'user' | string
  balance: number
  concurrency: number
  /** Slots in use right now, when the API reports it (the original does; this build may not yet). */
  current_concurrency?: number
  status: 'active' | 'disabled' | string
  totp_enabled: boolean
  allowed_groups: number[]
  group_rates: Record<string, number>
  created_at: string
  updated_at: string
}

export interface CreateUserRequest {
  email: string
  password: string
  username?: string
  notes?: string
  balance?: number
  concurrency?: number
  role?: string
  allowed_groups?: number[]
}

/** Every field optional: a missing one keeps its value. */
export interface UpdateUserRequest {
  email?: string
  password?: string
  username?: string
  notes?: string
  concurrency?: number
  status?: string
  role?: string
  allowed_groups?: number[]
  /** group id → rate; null removes the user's own rate for that group. */
  group_rates?: Record<string, number | null>
}

export type BalanceOperation = 'add' | 'subtract' | 'set'

export interface BalanceRequest {
  balance: number
  operation: BalanceOperation
  notes?: string
}

/** One balance or concurrency change (a redeem-code row, as the original stores them). */
export interface BalanceHistoryItem {
  id: number
  code: string
  type: 'admin_balance' | 'admin_concurrency' | 'balance' | 'concurrency' | string
  value: number
  status: string
  used_by: number | null
  used_at: string | null
  notes: string
  created_at: string
}

export interface UserListQuery {
  page: number
  page_size: number
  search?: string
  status?: string
  role?: string
}

export const adminUsersApi = {
  list: (query: UserListQuery) => api.get<Paged<AdminUser>>('/admin/users', { ...query }),
  get: (id: number) => api.get<AdminUser>(`/admin/users/${id}`),
  create: (body: CreateUserRequest) => api.post<AdminUser>('/admin/users', body),
  update: (id: number, body: UpdateUserRequest) => api.put<AdminUser>(`/admin/users/${id}`, body),
  remove: (id: number) => api.del<{ message: string }>(`/admin/users/${id}`),
  adjustBalance: (id: number, body: BalanceRequest) => api.post<AdminUser>(`/admin/users/${id}/balance`, body),
  balanceHistory: (id: number, page: number, page_size: number) =>
    api.get<Paged<BalanceHistoryItem>>(`/admin/users/${id}/balance-history`, { page, page_size }),
}
