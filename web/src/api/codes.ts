import { api, rawRequest, type Paged } from './client'

export const REDEEM_TYPES = ['balance', 'concurrency', 'subscription', 'invitation'] as const
export type RedeemType = (typeof REDEEM_TYPES)[number]
export const REDEEM_STATUSES = ['unused', 'used', 'expired'] as const

export interface CodeUser { id: number; email: string; username: string }
export interface CodeGroup { id: number; name: string; platform: string; subscription_type: string }

/** A redeem code as the admin API shows it (with notes, the user who used it and the granted group). */
export interface AdminRedeemCode {
  id: number
  code: string
  type: string
  value: number
  status: string
  used_by?: number | null
  used_at?: string | null
  notes: string
  created_at: string
  group_id?: number | null
  validity_days: number
  user?: CodeUser | null
  group?: CodeGroup | null
}

/** A code as its user sees it: no notes. */
export type UserRedeemCode = Omit<AdminRedeemCode, 'notes' | 'user'>

export interface RedeemStats {
  total_codes: number
  active_codes: number
  used_codes: number
  expired_codes: number
  total_value_distributed: number
  by_type: Record<string, number>
}

export interface GenerateRequest {
  count: number
  type: RedeemType
  value: number
  group_id?: number | null
  validity_days?: number
  notes?: string
}

export interface RedeemResult extends UserRedeemCode {
  message: string
  new_balance?: number
  new_concurrency?: number
  subscription_expires_at?: string
}

export interface RedeemListQuery { page: number; page_size: number; type?: string; status?: string; search?: string }

export interface PromoCode {
  id: number
  code: string
  bonus_amount: number
  max_uses: number
  used_count: number
  status: 'active' | 'disabled' | string
  expires_at?: string | null
  notes: string
  created_at: string
  updated_at: string
}

/** Body of POST/PUT /admin/promo-codes; expires_at is Unix seconds, 0 = never. */
export interface PromoCodeRequest {
  code?: string
  bonus_amount?: number
  max_uses?: number
  expires_at?: number
  notes?: string
  status?: string
}

export interface PromoUsage { id: number; promo_code_id: number; user_id: number; bonus_amount: number; used_at: string; user?: CodeUser | null }

export interface PromoListQuery { page: number; page_size: number; status?: string; search?: string }

export const redeemCodesApi = {
  list: (query: RedeemListQuery) => api.get<Paged<AdminRedeemCode>>('/admin/redeem-codes', { ...query }),
  stats: () => api.get<RedeemStats>('/admin/redeem-codes/stats'),
  generate: (body: GenerateRequest) => api.post<AdminRedeemCode[]>('/admin/redeem-codes/generate', body),
  expire: (id: number) => api.post<AdminRedeemCode>(`/admin/redeem-codes/${id}/expire`),
  remove: (id: number) => api.del<{ message: string }>(`/admin/redeem-codes/${id}`),
  batchDelete: (ids: number[]) => api.post<{ deleted: number }>('/admin/redeem-codes/batch-delete', { ids }),
  /** The filtered codes as a CSV file (downloaded with the auth rules of every other call). */
  exportCsv: async (query: { type?: string; status?: string; search?: string }) =>
    (await rawRequest('GET', '/admin/redeem-codes/export', undefined, query)).blob(),
}

export const promoCodesApi = {
  list: (query: PromoListQuery) => api.get<Paged<PromoCode>>('/admin/promo-codes', { ...query }),
  create: (body: PromoCodeRequest) => api.post<PromoCode>('/admin/promo-codes', body),
  update: (id: number, body: PromoCodeRequest) => api.put<PromoCode>(`/admin/promo-codes/${id}`, body),
  remove: (id: number) => api.del<{ message: string }>(`/admin/promo-codes/${id}`),
  usages: (id: number, page: number, pageSize: number) =>
    api.get<Paged<PromoUsage>>(`/admin/promo-codes/${id}/usages`, { page, page_size: pageSize }),
}

export const redeemApi = {
  redeem: (code: string) => api.post<RedeemResult>('/redeem', { code }),
  history: (page: number, pageSize: number) => api.get<Paged<UserRedeemCode>>('/redeem/history', { page, page_size: pageSize }),
}
