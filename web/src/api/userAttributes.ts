import { api } from './client'

export const USER_ATTRIBUTE_TYPES = ['text', 'textarea', 'number', 'email', 'url', 'date', 'select', 'multi_select'] as const
export type UserAttributeType = (typeof USER_ATTRIBUTE_TYPES)[number]

export interface UserAttributeOption {
  value: string
  label: string
}

export interface UserAttributeValidation {
  min_length?: number | null
  max_length?: number | null
  min?: number | null
  max?: number | null
  pattern?: string | null
  message?: string | null
}

export interface UserAttributeDefinition {
  id: number
  key: string
  name: string
  description: string
  type: UserAttributeType
  options: UserAttributeOption[]
  required: boolean
  validation: UserAttributeValidation
  placeholder: string
  display_order: number
  enabled: boolean
  created_at: string
  updated_at: string
}

/** Body of POST/PUT /admin/user-attributes (the key is only sent on create: it never changes). */
export interface UserAttributeRequest {
  key?: string
  name?: string
  description?: string
  type?: UserAttributeType
  options?: UserAttributeOption[]
  required?: boolean
  validation?: UserAttributeValidation
  placeholder?: string
  enabled?: boolean
}

export interface UserAttributeValue {
  id: number
  user_id: number
  attribute_id: number
  /** multi_select values are a JSON array of option values. */
  value: string
  created_at: string
  updated_at: string
}

export const isSelectType = (type: string) => type === 'select' || type === 'multi_select'

export const userAttributesApi = {
  list: (enabledOnly = false) => api.get<UserAttributeDefinition[]>('/admin/user-attributes', enabledOnly ? { enabled: true } : undefined),
  create: (body: UserAttributeRequest) => api.post<UserAttributeDefinition>('/admin/user-attributes', body),
  update: (id: number, body: UserAttributeRequest) => api.put<UserAttributeDefinition>(`/admin/user-attributes/${id}`, body),
  remove: (id: number) => api.del<{ message: string }>(`/admin/user-attributes/${id}`),
  reorder: (ids: number[]) => api.put<{ message: string }>('/admin/user-attributes/reorder', { ids }),
  batch: (userIds: number[]) =>
    api.post<{ attributes: Record<string, Record<string, string>> }>('/admin/user-attributes/batch', { user_ids: userIds }),
  values: (userId: number) => api.get<UserAttributeValue[]>(`/admin/users/${userId}/attributes`),
  /** Keys are attribute ids (or keys); a value is a string, an array for multi_select, or '' / null to remove it. */
  saveValues: (userId: number, values: Record<string, string | string[] | null>) =>
    api.put<UserAttributeValue[]>(`/admin/users/${userId}/attributes`, { values }),
}
