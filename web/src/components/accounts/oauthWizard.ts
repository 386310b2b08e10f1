// The Claude subscription wizard's state machine and request building, kept out of the dialog so it is tested
// without a browser. The flow (see the gateway's ClaudeOAuthApi): generate a link → the admin logs in and pastes
// the code (or the whole callback URL) → exchange with the link's session id → the gateway answers the token info
// once, in clear; it does NOT create the account. The app then POSTs /admin/accounts with those tokens as the
// credentials (or PUTs them onto an existing account to re-authorise it). The cookie method skips the link: the
// claude.ai sessionKey goes to cookie-auth, which answers the same token info.
import type { Account, AccountRequest, ClaudeTokenInfo } from '@/api/accounts'

export type TokenType = 'oauth' | 'setup-token'
export type AuthMethod = 'link' | 'cookie'
export type WizardStep = 'method' | 'authorize' | 'details'

export interface WizardState {
  step: WizardStep
  /** Creating a new account, or re-authorising this one. */
  reauthAccountId: number | null
  tokenType: TokenType
  method: AuthMethod
  authUrl: string
  sessionId: string
  code: string
  cookie: string
  tokenInfo: ClaudeTokenInfo | null
}

export function initialWizard(reauth?: Pick<Account, 'id' | 'type'>): WizardState {
  return {
    step: 'method',
    reauthAccountId: reauth?.id ?? null,
    tokenType: reauth?.type === 'setup-token' ? 'setup-token' : 'oauth',
    method: 'link',
    authUrl: '',
    sessionId: '',
    code: '',
    cookie: '',
    tokenInfo: null,
  }
}

/** Step 1 → 2: the method is chosen; anything from an earlier attempt is forgotten. */
export function chooseMethod(s: WizardState, tokenType: TokenType, method: AuthMethod): WizardState {
  return { ...s, step: 'authorize', tokenType, method, authUrl: '', sessionId: '', code: '', cookie: '', tokenInfo: null }
}

export function back(s: WizardState): WizardState {
  if (s.step === 'details') return { ...s, step: 'authorize', tokenInfo: null, code: '', authUrl: '', sessionId: '' }
  if (s.step === 'authorize') return { ...s, step: 'method' }
  return s
}

export const routes = {
  generate: (t: TokenType) => (t === 'setup-token' ? 'generate-setup-token-url' : 'generate-auth-url'),
  exchange: (t: TokenType) => (t === 'setup-token' ? 'exchange-setup-token-code' : 'exchange-code'),
  cookie: (t: TokenType) => (t === 'setup-token' ? 'setup-token-cookie-auth' : 'cookie-auth'),
}

function withProxy(body: Record<string, unknown>, proxyId: number | null | undefined) {
  return proxyId ? { ...body, proxy_id: proxyId } : body
}

/** The login goes out through the account's proxy, so the provider sees the same address the account will use. */
export function generateRequest(s: WizardState, proxyId?: number | null) {
  return { route: routes.generate(s.tokenType), body: withProxy({}, proxyId) }
}

export function linkGenerated(s: WizardState, answer: { auth_url: string; session_id: string }): WizardState {
  return { ...s, authUrl: answer.auth_url, sessionId: answer.session_id, code: '' }
}

export function canExchange(s: WizardState): boolean {
  return s.step === 'authorize' && s.method === 'link' && s.sessionId !== '' && s.code.trim() !== ''
}

export function exchangeRequest(s: WizardState, proxyId?: number | null) {
  if (!canExchange(s)) throw new Error('generate a link and paste the code first')
  return { route: routes.exchange(s.tokenType), body: withProxy({ session_id: s.sessionId, code: s.code.trim() }, proxyId) }
}

/** The cookie may be pasted as "sessionKey=sk-ant-sid01-…" or with other cookies around it: only the value goes. */
export function normalizeCookie(raw: string): string {
  const text = raw.trim()
  const match = /(?:^|;\s*)sessionKey=([^;]+)/.exec(text)
  return (match ? match[1] : text).trim()
}

export function canCookieAuth(s: WizardState): boolean {
  return s.step === 'authorize' && s.method === 'cookie' && normalizeCookie(s.cookie) !== ''
}

export function cookieRequest(s: WizardState, proxyId?: number | null) {
  if (!canCookieAuth(s)) throw new Error('paste the sessionKey cookie first')
  return { route: routes.cookie(s.tokenType), body: withProxy({ code: normalizeCookie(s.cookie) }, proxyId) }
}

export function authorized(s: WizardState, tokenInfo: ClaudeTokenInfo): WizardState {
  return { ...s, step: 'details', tokenInfo, code: '', cookie: '' }
}

const identityFields = ['org_uuid', 'account_uuid', 'email_address'] as const

/** The token part of the answer: what the gateway stores (encrypted) as the account's credentials. */
export function credentialsFrom(info: ClaudeTokenInfo): Record<string, unknown> {
  const credentials: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(info)) {
    if (!(identityFields as readonly string[]).includes(k) && v !== undefined && v !== null) credentials[k] = v
  }
  return credentials
}

/** The login's identity (organization, account, email) goes to the account's extra, as the original stores it. */
export function extraFrom(info: ClaudeTokenInfo): Record<string, unknown> {
  const extra: Record<string, unknown> = {}
  for (const k of identityFields) if (info[k]) extra[k] = info[k]
  return extra
}

export interface WizardDetails {
  name: string
  notes: string
  group_ids: number[]
  proxy_id: number | null
  concurrency: number
  priority: number
}

export function createRequest(s: WizardState, d: WizardDetails): AccountRequest {
  if (!s.tokenInfo) throw new Error('authorise first')
  return {
    name: d.name.trim(),
    notes: d.notes,
    platform: 'anthropic',
    type: s.tokenType,
    credentials: credentialsFrom(s.tokenInfo),
    extra: extraFrom(s.tokenInfo),
    group_ids: d.group_ids,
    proxy_id: d.proxy_id,
    concurrency: d.concurrency,
    priority: d.priority,
  }
}

/**
 * Re-authorising replaces the tokens but keeps the account's other settings inside credentials (model mapping,
 * custom error codes, temp-unschedulable rules): the server replaces the credentials object as a whole. Old token
 * fields are dropped rather than sent back masked, and internal fields ("_token_version") are the server's.
 */
export function reauthRequest(s: WizardState, account: Pick<Account, 'credentials' | 'extra'>): AccountRequest {
  if (!s.tokenInfo) throw new Error('authorise first')
  const tokenFields = new Set(['access_token', 'refresh_token', 'expires_at', 'expires_in', 'token_type', 'scope'])
  const kept: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(account.credentials ?? {})) {
    if (!tokenFields.has(k) && !k.startsWith('_')) kept[k] = v
  }
  return {
    type: s.tokenType,
    credentials: { ...kept, ...credentialsFrom(s.tokenInfo) },
    extra: { ...(account.extra ?? {}), ...extraFrom(s.tokenInfo) },
  }
}
