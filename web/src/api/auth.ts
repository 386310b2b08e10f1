import { api } from './client'

export interface User {
  id: number
  email: string
  username: string
  role: 'admin' | 'user' | string
  balance: number
  concurrency: number
  status: string
  totp_enabled?: boolean
  allowed_groups?: number[]
  created_at: string
  updated_at?: string
}

export interface TokenPair {
  access_token: string
  refresh_token: string
  expires_in: number
  token_type: string
  user: User
}

export interface PublicSettings {
  registration_enabled: boolean
  site_name?: string
  site_subtitle?: string
  api_base_url?: string
  doc_url?: string
  contact_info?: string
  version?: string
  [key: string]: unknown
}

export const authApi = {
  login: (email: string, password: string) => api.post<TokenPair>('/auth/login', { email, password }),
  register: (email: string, password: string, username?: string, extras?: object) =>
    api.post<TokenPair>('/auth/register', { email, password, username, ...extras }),
  refresh: (refresh_token: string) => api.post<TokenPair>('/auth/refresh', { refresh_token }),
  logout: (refresh_token: string) => api.post<void>('/auth/logout', { refresh_token }),
  me: () => api.get<User & { run_mode?: string }>('/auth/me'),
  publicSettings: () => api.get<PublicSettings>('/settings/public'),
}
