import { api, type Paged } from './client'

export const GROUP_PLATFORMS = ['anthropic', 'openai', 'gemini', 'antigravity'] as const
export const SUBSCRIPTION_TYPES = ['standard', 'subscription'] as const
export const MODEL_SCOPES = ['claude', 'gemini_text', 'gemini_image'] as const

/** A group as the admin API shows it. */
export interface AdminGroup {
  id: number
  name: string
  description: string
  platform: string
  rate_multiplier: number
  is_exclusive: boolean
  status: 'active' | 'disabled' | string
  subscription_type: 'standard' | 'subscription' | string
  daily_limit_usd: number | null
  weekly_limit_usd: number | null
  monthly_limit_usd: number | null
  default_validity_days: number
  image_price_1k: number | null
  image_price_2k: number | null
  image_price_4k: number | null
  claude_code_only: boolean
  fallback_group_id: number | null
  fallback_group_id_on_invalid_request: number | null
  /** model pattern (exact or trailing *) → account ids */
  model_routing: Record<string, number[]>
  model_routing_enabled: boolean
  mcp_xml_inject: boolean
  supported_model_scopes: string[]
  sort_order: number
  account_count: number
  created_at: string
  updated_at: string
}

/**
 * Body of POST/PUT /admin/groups. On update a missing field keeps its value and an explicit null clears a
 * limit, a price or a fallback.
 */
export interface GroupRequest {
  name?: string
  description?: string
  platform?: string
  rate_multiplier?: number
  is_exclusive?: boolean
  status?: string
  subscription_type?: string
  daily_limit_usd?: number | null
  weekly_limit_usd?: number | null
  monthly_limit_usd?: number | null
  default_validity_days?: number
  image_price_1k?: number | null
  image_price_2k?: number | null
  image_price_4k?: number | null
  claude_code_only?: boolean
  fallback_group_id?: number | null
  fallback_group_id_on_invalid_request?: number | null
  model_routing?: Record<string, number[]>
  model_routing_enabled?: boolean
  mcp_xml_inject?: boolean
  supported_model_scopes?: string[]
  sort_order?: number
}

export interface SortOrderUpdate {
  id: number
  sort_order: number
}

export interface GroupListQuery {
  page: number
  page_size: number
  platform?: string
  status?: string
  search?: string
}

export const adminGroupsApi = {
  list: (query: GroupListQuery) => api.get<Paged<AdminGroup>>('/admin/groups', { ...query }),
  all: () => api.get<AdminGroup[]>('/admin/groups/all'),
  get: (id: number) => api.get<AdminGroup>(`/admin/groups/${id}`),
  create: (body: GroupRequest) => api.post<AdminGroup>('/admin/groups', body),
  update: (id: number, body: GroupRequest) => api.put<AdminGroup>(`/admin/groups/${id}`, body),
  remove: (id: number) => api.del<{ message: string }>(`/admin/groups/${id}`),
  sortOrder: (updates: SortOrderUpdate[]) => api.put<{ message: string; updated: number }>('/admin/groups/sort-order', { updates }),
}
