import { describe, expect, it } from 'vitest'
import type { ClaudeTokenInfo } from '@/api/accounts'
import {
  authorized,
  back,
  canCookieAuth,
  canExchange,
  chooseMethod,
  cookieRequest,
  createRequest,
  exchangeRequest,
  generateRequest,
  initialWizard,
  linkGenerated,
  normalizeCookie,
  reauthRequest,
} from './oauthWizard'

const info: ClaudeTokenInfo = {
  access_token: 'sk-ant-oat01-access',
  token_type: 'Bearer',
  expires_in: 28800,
  expires_at: 1_900_000_000,
  refresh_token: 'sk-ant-ort01-refresh',
  scope: 'user:inference',
  org_uuid: 'org-1',
  account_uuid: 'acc-1',
  email_address: 'owner@example.com',
}

const details = { name: '  max-1 ', notes: '', group_ids: [3], proxy_id: 7, concurrency: 5, priority: 10 }

describe('the link flow', () => {
  it('generates, exchanges with the session id the link came with, then creates the account from the tokens', () => {
    let s = initialWizard()
    expect(s.step).toBe('method')
    s = chooseMethod(s, 'oauth', 'link')
    expect(s.step).toBe('authorize')
    expect(generateRequest(s, 7)).toEqual({ route: 'generate-auth-url', body: { proxy_id: 7 } })
    expect(generateRequest(s)).toEqual({ route: 'generate-auth-url', body: {} })
    expect(canExchange(s)).toBe(false)
    s = linkGenerated(s, { auth_url: 'https://claude.example/oauth?x', session_id: 'sess-1' })
    expect(canExchange(s)).toBe(false) // no code yet
    s = { ...s, code: '  https://platform.claude.com/oauth/code/callback?code=abc&state=xyz  ' }
    expect(canExchange(s)).toBe(true)
    expect(exchangeRequest(s)).toEqual({
      route: 'exchange-code',
      body: { session_id: 'sess-1', code: 'https://platform.claude.com/oauth/code/callback?code=abc&state=xyz' },
    })
    s = authorized(s, info)
    expect(s.step).toBe('details')
    expect(s.code).toBe('')
    expect(createRequest(s, details)).toEqual({
      name: 'max-1',
      notes: '',
      platform: 'anthropic',
      type: 'oauth',
      credentials: {
        access_token: 'sk-ant-oat01-access',
        token_type: 'Bearer',
        expires_in: 28800,
        expires_at: 1_900_000_000,
        refresh_token: 'sk-ant-ort01-refresh',
        scope: 'user:inference',
      },
      extra: { org_uuid: 'org-1', account_uuid: 'acc-1', email_address: 'owner@example.com' },
      group_ids: [3],
      proxy_id: 7,
      concurrency: 5,
      priority: 10,
    })
  })

  it('uses the setup-token routes and type for a setup token', () => {
    let s = chooseMethod(initialWizard(), 'setup-token', 'link')
    expect(generateRequest(s).route).toBe('generate-setup-token-url')
    s = { ...linkGenerated(s, { auth_url: 'u', session_id: 's' }), code: 'c#st' }
    expect(exchangeRequest(s).route).toBe('exchange-setup-token-code')
    expect(createRequest(authorized(s, info), details).type).toBe('setup-token')
  })

  it('refuses to exchange without a link or a code, and forgets a half-done attempt when going back', () => {
    const s = chooseMethod(initialWizard(), 'oauth', 'link')
    expect(() => exchangeRequest(s)).toThrow()
    const done = authorized({ ...linkGenerated(s, { auth_url: 'u', session_id: 's' }), code: 'c' }, info)
    const again = back(done)
    expect(again.step).toBe('authorize')
    expect(again.tokenInfo).toBeNull()
    expect(again.sessionId).toBe('')
    expect(back(again).step).toBe('method')
    expect(() => createRequest(again, details)).toThrow()
  })
})

describe('the cookie flow', () => {
  it('sends only the sessionKey value to cookie-auth (or setup-token-cookie-auth)', () => {
    expect(normalizeCookie(' sk-ant-sid01-abc ')).toBe('sk-ant-sid01-abc')
    expect(normalizeCookie('sessionKey=sk-ant-sid01-abc')).toBe('sk-ant-sid01-abc')
    expect(normalizeCookie('foo=1; sessionKey=sk-ant-sid01-abc; bar=2')).toBe('sk-ant-sid01-abc')
    let s = chooseMethod(initialWizard(), 'oauth', 'cookie')
    expect(canCookieAuth(s)).toBe(false)
    s = { ...s, cookie: 'sessionKey=sk-ant-sid01-abc' }
    expect(cookieRequest(s, 4)).toEqual({ route: 'cookie-auth', body: { code: 'sk-ant-sid01-abc', proxy_id: 4 } })
    expect(cookieRequest({ ...s, tokenType: 'setup-token' }).route).toBe('setup-token-cookie-auth')
    expect(canExchange(s)).toBe(false)
  })
})

describe('re-authorising an account', () => {
  it('starts from the account type and replaces only the tokens, keeping its other settings', () => {
    let s = initialWizard({ id: 9, type: 'setup-token' })
    expect(s.reauthAccountId).toBe(9)
    expect(s.tokenType).toBe('setup-token')
    s = authorized({ ...linkGenerated(chooseMethod(s, 'oauth', 'link'), { auth_url: 'u', session_id: 's' }), code: 'c' }, info)
    const body = reauthRequest(s, {
      credentials: { access_token: 'sk-an…ss', refresh_token: 'sk-an…sh', model_mapping: { a: 'b' }, _token_version: 3 },
      extra: { org_uuid: 'old', window_cost_limit: 50 },
    })
    expect(body.type).toBe('oauth')
    expect(body.credentials).toEqual({
      model_mapping: { a: 'b' },
      access_token: 'sk-ant-oat01-access',
      token_type: 'Bearer',
      expires_in: 28800,
      expires_at: 1_900_000_000,
      refresh_token: 'sk-ant-ort01-refresh',
      scope: 'user:inference',
    })
    expect(body.extra).toEqual({ org_uuid: 'org-1', window_cost_limit: 50, account_uuid: 'acc-1', email_address: 'owner@example.com' })
    expect(body.name).toBeUndefined()
  })
})
