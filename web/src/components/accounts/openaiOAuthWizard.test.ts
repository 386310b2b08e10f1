import { describe, expect, it } from 'vitest'
import type { OpenAITokenInfo } from '@/api/openaiOAuth'
import {
  authorized,
  back,
  canExchange,
  createRequest,
  credentialsFrom,
  exchangeBody,
  initialOpenAIWizard,
  linkGenerated,
  parseCallback,
  reauthRequest,
  suggestedName,
} from './openaiOAuthWizard'

const info: OpenAITokenInfo = {
  access_token: 'at',
  refresh_token: 'rt',
  id_token: 'a.b.c',
  expires_in: 864000,
  expires_at: 1900000000,
  email: 'me@example.com',
  chatgpt_account_id: 'acc-1',
  chatgpt_user_id: 'user-1',
  organization_id: 'org-1',
  plan_type: 'plus',
}

describe('parseCallback', () => {
  it('takes the code and state out of the whole callback URL', () => {
    expect(parseCallback('http://localhost:1455/auth/callback?code=ac_1&scope=openid+profile&state=st')).toEqual({ code: 'ac_1', state: 'st', error: '' })
  })
  it('accepts the address without scheme, a bare query string, and surrounding spaces', () => {
    expect(parseCallback('  localhost:1455/auth/callback?code=ac_1&state=st \n')).toEqual({ code: 'ac_1', state: 'st', error: '' })
    expect(parseCallback('code=ac%2B1&state=s%20t')).toEqual({ code: 'ac+1', state: 's t', error: '' })
  })
  it('accepts a bare code', () => {
    expect(parseCallback('ac_1')).toEqual({ code: 'ac_1', state: '', error: '' })
  })
  it('reports a refused login and finds nothing in text that is no code', () => {
    expect(parseCallback('http://localhost:1455/auth/callback?error=access_denied&state=st')).toEqual({ code: '', state: 'st', error: 'access_denied' })
    expect(parseCallback('two words')).toEqual({ code: '', state: '', error: '' })
    expect(parseCallback('')).toEqual({ code: '', state: '', error: '' })
  })
})

describe('the wizard', () => {
  it('exchanges only once a link exists and a code was pasted, with the session, code, state and proxy', () => {
    let s = initialOpenAIWizard()
    s = { ...s, pasted: 'http://localhost:1455/auth/callback?code=ac_1&state=st' }
    expect(canExchange(s)).toBe(false)
    s = { ...linkGenerated(s, { auth_url: 'https://auth/x', session_id: 'sess' }), pasted: 'http://localhost:1455/auth/callback?code=ac_1&state=st' }
    expect(canExchange(s)).toBe(true)
    expect(exchangeBody(s, 4)).toEqual({ session_id: 'sess', code: 'ac_1', state: 'st', proxy_id: 4 })
    expect(exchangeBody({ ...s, pasted: 'ac_2' }, null)).toEqual({ session_id: 'sess', code: 'ac_2' })
    expect(canExchange({ ...s, pasted: 'http://localhost:1455/auth/callback?error=access_denied' })).toBe(false)
    expect(() => exchangeBody({ ...s, pasted: '' })).toThrow()
  })

  it('creates an openai oauth account with the token info (less expires_in) as credentials', () => {
    const s = authorized(linkGenerated(initialOpenAIWizard(), { auth_url: 'u', session_id: 's' }), info)
    expect(s.step).toBe('details')
    const req = createRequest(s, { name: ' codex ', notes: '', group_ids: [2], proxy_id: null, concurrency: 3, priority: 50 })
    expect(req).toMatchObject({ name: 'codex', platform: 'openai', type: 'oauth', group_ids: [2] })
    expect(req.credentials).toEqual({
      access_token: 'at', refresh_token: 'rt', id_token: 'a.b.c', expires_at: 1900000000, email: 'me@example.com',
      chatgpt_account_id: 'acc-1', chatgpt_user_id: 'user-1', organization_id: 'org-1', plan_type: 'plus',
    })
    expect(back(s).step).toBe('authorize')
    expect(back(s).tokenInfo).toBeNull()
  })

  it('re-authorising keeps the non-token settings and drops the old masked tokens and internal fields', () => {
    const s = authorized(initialOpenAIWizard({ id: 9 }), { ...info, plan_type: undefined })
    const req = reauthRequest(s, {
      credentials: { access_token: 'old…x', id_token: 'old…y', plan_type: 'free', model_mapping: { a: 'b' }, _token_version: 5 },
    })
    expect(req.credentials).toEqual({ ...credentialsFrom({ ...info, plan_type: undefined }), model_mapping: { a: 'b' } })
    expect(req.type).toBe('oauth')
  })

  it('suggests a name from the login', () => {
    expect(suggestedName(info)).toBe('chatgpt-plus-me@example.com')
    expect(suggestedName({ ...info, plan_type: undefined })).toBe('chatgpt-me@example.com')
    expect(suggestedName(null)).toBe('')
  })
})
