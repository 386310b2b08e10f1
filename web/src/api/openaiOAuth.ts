// The ChatGPT (Codex) OAuth routes under /admin/openai: a login link, the exchange of the pasted callback URL,
// a refresh of a pasted refresh token, the refresh of a stored account, and exchange-and-create in one step.
import { api } from './client'
import type { Account } from './accounts'

/** What exchange-code and refresh-token answer, once, in clear. expires_at is unix seconds. */
export interface OpenAITokenInfo {
  access_token: string
  refresh_token?: string
  id_token?: string
  expires_in: number
  expires_at: number
  email?: string
  chatgpt_account_id?: string
  chatgpt_user_id?: string
  organization_id?: string
  plan_type?: string
}

export interface OpenAIAuthUrl {
  auth_url: string
  session_id: string
}

export interface OpenAIExchangeBody {
  session_id: string
  code: string
  state?: string
  proxy_id?: number
}

export interface OpenAICreateFromOAuthBody extends OpenAIExchangeBody {
  name?: string
  notes?: string
  group_ids?: number[]
  concurrency?: number
  priority?: number
}

const base = '/admin/openai'

export const openaiOAuthApi = {
  generateAuthUrl: (body: { proxy_id?: number }) => api.post<OpenAIAuthUrl>(`${base}/generate-auth-url`, body),
  exchangeCode: (body: OpenAIExchangeBody) => api.post<OpenAITokenInfo>(`${base}/exchange-code`, body),
  refreshToken: (body: { refresh_token: string; proxy_id?: number }) => api.post<OpenAITokenInfo>(`${base}/refresh-token`, body),
  refreshAccount: (id: number) => api.post<Account>(`${base}/accounts/${id}/refresh`),
  createFromOAuth: (body: OpenAICreateFromOAuthBody) => api.post<Account>(`${base}/create-from-oauth`, body),
}
