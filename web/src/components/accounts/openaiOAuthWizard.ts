// The ChatGPT (Codex) login wizard's state and request building, kept out of the dialog so it is tested without a
// browser. The flow (see the gateway's OpenAIOAuthApi): generate a link → the admin logs in to ChatGPT → the browser
// lands on http://localhost:1455/auth/callback?code=…&state=… (Codex CLI's local callback: nothing answers there, so
// the page fails to load, but its address is what we need) → the admin pastes that address → exchange → the gateway
// answers the token info once, in clear → the app creates the account (platform openai, type oauth) with it as the
// credentials, or saves it onto an existing account to re-authorise it.
import type { Account, AccountRequest } from '@/api/accounts'
import type { OpenAIExchangeBody, OpenAITokenInfo } from '@/api/openaiOAuth'

export type OpenAIWizardStep = 'authorize' | 'details'

export interface OpenAIWizardState {
  step: OpenAIWizardStep
  /** Creating a new account, or re-authorising this one. */
  reauthAccountId: number | null
  authUrl: string
  sessionId: string
  pasted: string
  tokenInfo: OpenAITokenInfo | null
}

export function initialOpenAIWizard(reauth?: Pick<Account, 'id'>): OpenAIWizardState {
  return { step: 'authorize', reauthAccountId: reauth?.id ?? null, authUrl: '', sessionId: '', pasted: '', tokenInfo: null }
}

export function linkGenerated(s: OpenAIWizardState, answer: { auth_url: string; session_id: string }): OpenAIWizardState {
  return { ...s, authUrl: answer.auth_url, sessionId: answer.session_id, pasted: '' }
}

export interface PastedCallback {
  code: string
  state: string
  /** The login was refused (the callback carries error=… instead of a code). */
  error: string
}

/**
 * What the admin pasted: the whole callback URL (with or without the scheme), just its query string, or a bare
 * code. Empty fields when absent.
 */
export function parseCallback(raw: string): PastedCallback {
  const text = raw.trim()
  const empty = { code: '', state: '', error: '' }
  if (!text) return empty
  const question = text.indexOf('?')
  let query: string | null = null
  if (question >= 0) query = text.slice(question + 1).split('#')[0]
  else if (/^(code|error)=/.test(text) || text.includes('&code=')) query = text
  if (query === null) return /[\s?&=/]/.test(text) ? empty : { ...empty, code: text }
  const params = new URLSearchParams(query)
  return { code: params.get('code')?.trim() ?? '', state: params.get('state')?.trim() ?? '', error: params.get('error')?.trim() ?? '' }
}

export function canExchange(s: OpenAIWizardState): boolean {
  return s.step === 'authorize' && s.sessionId !== '' && parseCallback(s.pasted).code !== ''
}

/** The exchange body: the code and state taken out of the pasted address, with the login's session. */
export function exchangeBody(s: OpenAIWizardState, proxyId?: number | null): OpenAIExchangeBody {
  const pasted = parseCallback(s.pasted)
  if (!s.sessionId || !pasted.code) throw new Error('generate a link and paste the callback address first')
  const body: OpenAIExchangeBody = { session_id: s.sessionId, code: pasted.code }
  if (pasted.state) body.state = pasted.state
  if (proxyId) body.proxy_id = proxyId
  return body
}

export function authorized(s: OpenAIWizardState, tokenInfo: OpenAITokenInfo): OpenAIWizardState {
  return { ...s, step: 'details', tokenInfo, pasted: '' }
}

export function back(s: OpenAIWizardState): OpenAIWizardState {
  return s.step === 'details' ? initialOpenAIWizard(s.reauthAccountId ? { id: s.reauthAccountId } : undefined) : s
}

/** The credentials the account keeps: the tokens, the expiry, and the login's identity (expires_in is not kept). */
export function credentialsFrom(info: OpenAITokenInfo): Record<string, unknown> {
  const credentials: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(info)) {
    if (k !== 'expires_in' && v !== undefined && v !== null && v !== '') credentials[k] = v
  }
  return credentials
}

/** A default account name from the login. */
export function suggestedName(info: OpenAITokenInfo | null): string {
  if (!info?.email) return ''
  return info.plan_type ? `chatgpt-${info.plan_type}-${info.email}` : `chatgpt-${info.email}`
}

export interface OpenAIWizardDetails {
  name: string
  notes: string
  group_ids: number[]
  proxy_id: number | null
  concurrency: number
  priority: number
}

export function createRequest(s: OpenAIWizardState, d: OpenAIWizardDetails): AccountRequest {
  if (!s.tokenInfo) throw new Error('authorise first')
  return {
    name: d.name.trim(),
    notes: d.notes,
    platform: 'openai',
    type: 'oauth',
    credentials: credentialsFrom(s.tokenInfo),
    group_ids: d.group_ids,
    proxy_id: d.proxy_id,
    concurrency: d.concurrency,
    priority: d.priority,
  }
}

const replacedFields = new Set(['access_token', 'refresh_token', 'id_token', 'expires_at', 'expires_in', 'token_type', 'scope',
  'email', 'chatgpt_account_id', 'chatgpt_user_id', 'organization_id', 'plan_type'])

/**
 * Re-authorising replaces the tokens and the identity but keeps the account's other settings inside credentials
 * (model mapping, custom error codes, …): the server replaces the credentials object as a whole. Old token fields are
 * dropped rather than sent back masked, and internal fields ("_token_version") are the server's.
 */
export function reauthRequest(s: OpenAIWizardState, account: Pick<Account, 'credentials'>): AccountRequest {
  if (!s.tokenInfo) throw new Error('authorise first')
  const kept: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(account.credentials ?? {})) {
    if (!replacedFields.has(k) && !k.startsWith('_')) kept[k] = v
  }
  return { type: 'oauth', credentials: { ...kept, ...credentialsFrom(s.tokenInfo) } }
}
