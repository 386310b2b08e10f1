import { api, type Paged } from './client'

export const ANNOUNCEMENT_STATUSES = ['draft', 'active', 'archived'] as const
export const BALANCE_OPERATORS = ['gt', 'gte', 'lt', 'lte', 'eq'] as const

/** `subscription in group_ids` (an active, unexpired subscription to one of them) or `balance <op> value`. */
export type AnnouncementCondition =
  | { type: 'subscription'; operator: 'in'; group_ids: number[] }
  | { type: 'balance'; operator: (typeof BALANCE_OPERATORS)[number]; value: number }

/** OR of groups, each an AND of conditions. No groups: everyone. */
export interface AnnouncementTargeting {
  any_of: { all_of: AnnouncementCondition[] }[]
}

export interface AdminAnnouncement {
  id: number
  title: string
  content: string
  status: (typeof ANNOUNCEMENT_STATUSES)[number]
  targeting: AnnouncementTargeting
  starts_at: string | null
  ends_at: string | null
  created_by: number | null
  updated_by: number | null
  created_at: string
  updated_at: string
}

/** Body of POST/PUT: times are Unix seconds; on update 0 clears a time and a missing field keeps its value. */
export interface AnnouncementRequest {
  title?: string
  content?: string
  status?: string
  targeting?: AnnouncementTargeting
  starts_at?: number
  ends_at?: number
}

export interface AnnouncementReadStatus {
  user_id: number
  email: string
  username: string
  balance: number
  eligible: boolean
  read_at: string | null
}

export interface UserAnnouncement {
  id: number
  title: string
  content: string
  starts_at: string | null
  ends_at: string | null
  read_at: string | null
  created_at: string
  updated_at: string
}

export interface AnnouncementListQuery {
  page: number
  page_size: number
  status?: string
  search?: string
}

export const adminAnnouncementsApi = {
  list: (query: AnnouncementListQuery) => api.get<Paged<AdminAnnouncement>>('/admin/announcements', { ...query }),
  get: (id: number) => api.get<AdminAnnouncement>(`/admin/announcements/${id}`),
  create: (body: AnnouncementRequest) => api.post<AdminAnnouncement>('/admin/announcements', body),
  update: (id: number, body: AnnouncementRequest) => api.put<AdminAnnouncement>(`/admin/announcements/${id}`, body),
  remove: (id: number) => api.del<{ message: string }>(`/admin/announcements/${id}`),
  readStatus: (id: number, query: { page: number; page_size: number; search?: string }) =>
    api.get<Paged<AnnouncementReadStatus>>(`/admin/announcements/${id}/read-status`, { ...query }),
}

export const announcementsApi = {
  list: (unreadOnly = false) => api.get<UserAnnouncement[]>('/announcements', unreadOnly ? { unread_only: 1 } : undefined),
  markRead: (id: number) => api.post<{ message: string }>(`/announcements/${id}/read`),
}
