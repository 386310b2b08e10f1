import { describe, expect, it } from 'vitest'
import type { Account } from '@/api/accounts'
import {
  createApiKeyRequest,
  emptyForm,
  emptyRuleForm,
  formFrom,
  hasUsageWindows,
  parseCodes,
  ruleFormFrom,
  ruleRequest,
  statusMarks,
  tempReasonText,
  updateRequest,
} from './accountForm'

function account(over: Partial<Account> = {}): Account {
  return {
    id: 1, name: 'a', notes: '', platform: 'anthropic', type: 'apikey',
    credentials: { api_key: 'sk-an…a1', base_url: 'https://old.example', model_mapping: { x: 'y' }, _token_version: 2 },
    extra: {}, proxy_id: null, concurrency: 3, current_concurrency: 0, priority: 50, rate_multiplier: 1, status: 'active',
    error_message: '', last_used_at: null, expires_at: null, auto_pause_on_expired: true, schedulable: true, rate_limited_at: null,
    rate_limit_reset_at: null, overload_until: null, temp_unschedulable_until: null, temp_unschedulable_reason: null,
    session_window_start: null, session_window_end: null, session_window_status: null, group_ids: [2], groups: [], proxy: null,
    created_at: '', updated_at: '', ...over,
  }
}

describe('API-key account requests', () => {
  it('creates an anthropic apikey account; the base URL only when given', () => {
    const f = { ...emptyForm(), name: ' key-1 ', api_key: ' sk-ant-api03-x ', group_ids: [4], proxy_id: 2 }
    expect(createApiKeyRequest(f)).toEqual({
      name: 'key-1', notes: '', platform: 'anthropic', type: 'apikey', credentials: { api_key: 'sk-ant-api03-x' },
      group_ids: [4], proxy_id: 2, concurrency: 3, priority: 50,
    })
    expect(createApiKeyRequest({ ...f, base_url: 'https://relay.example' }).credentials).toEqual({
      api_key: 'sk-ant-api03-x', base_url: 'https://relay.example',
    })
  })

  it('keeps the stored key when the key field is left empty (sends back the masked value), replaces it otherwise', () => {
    const a = account()
    const f = formFrom(a)
    expect(f.api_key).toBe('')
    expect(f.base_url).toBe('https://old.example')
    const keep = updateRequest(a, { ...f, base_url: 'https://new.example' })
    expect(keep.credentials).toEqual({ api_key: 'sk-an…a1', base_url: 'https://new.example', model_mapping: { x: 'y' } })
    const replace = updateRequest(a, { ...f, api_key: 'sk-new', base_url: '' })
    expect(replace.credentials).toEqual({ api_key: 'sk-new', model_mapping: { x: 'y' } })
  })

  it('never sends credentials for OAuth accounts and leaves an error status alone unless disabling', () => {
    const a = account({ type: 'oauth', status: 'error', credentials: { access_token: 'sk-an…zz' } })
    const f = formFrom(a)
    expect(f.status).toBe('active')
    const body = updateRequest(a, f)
    expect(body.credentials).toBeUndefined()
    expect(body.status).toBeUndefined()
    expect(updateRequest(a, { ...f, status: 'disabled' }).status).toBe('disabled')
    expect(updateRequest(account(), { ...formFrom(account()), status: 'disabled' }).status).toBe('disabled')
  })
})

describe('status marks', () => {
  const now = Date.parse('2026-12-07T01:00:00Z')
  it('lists what keeps an account out, with the time each ends; past times do not count', () => {
    const a = account({
      status: 'error',
      error_message: '401 invalid x-api-key',
      rate_limit_reset_at: '2026-12-07T02:00:00Z',
      overload_until: '2026-12-07T00:59:00Z',
      temp_unschedulable_until: '2026-12-07T01:10:00Z',
      temp_unschedulable_reason: '{"status_code":529,"matched_keyword":"overloaded","error_message":"busy"}',
      schedulable: false,
    })
    expect(statusMarks(a, now)).toEqual([
      { kind: 'error', message: '401 invalid x-api-key' },
      { kind: 'rateLimited', until: '2026-12-07T02:00:00Z' },
      { kind: 'tempUnschedulable', until: '2026-12-07T01:10:00Z', message: 'HTTP 529 · "overloaded" · busy' },
      { kind: 'paused' },
    ])
    expect(statusMarks(account(), now)).toEqual([])
    expect(statusMarks(account({ expires_at: now / 1000 - 1 }), now)[0].kind).toBe('expired')
  })

  it('reads a plain-text reason as it is', () => {
    expect(tempReasonText('token refresh failed')).toBe('token refresh failed')
    expect(tempReasonText(null)).toBeUndefined()
  })

  it('knows which accounts have usage windows', () => {
    expect(hasUsageWindows({ platform: 'anthropic', type: 'oauth' })).toBe(true)
    expect(hasUsageWindows({ platform: 'anthropic', type: 'setup-token' })).toBe(true)
    expect(hasUsageWindows({ platform: 'anthropic', type: 'apikey' })).toBe(false)
    expect(hasUsageWindows({ platform: 'openai', type: 'oauth' })).toBe(false)
  })
})

describe('error passthrough rule form', () => {
  it('parses codes and keywords, and drops the fields the passthrough switches make unused', () => {
    expect(parseCodes('429, 529 503，429')).toEqual([429, 529, 503])
    expect(parseCodes('42')).toBeNull()
    expect(parseCodes('abc')).toBeNull()
    expect(parseCodes('')).toEqual([])
    const f = { ...emptyRuleForm(), name: ' r ', error_codes: '529', keywords: 'overloaded\n\n  busy ', response_code: 500, custom_message: 'x' }
    expect(ruleRequest(f)).toMatchObject({
      name: 'r', error_codes: [529], keywords: ['overloaded', 'busy'], response_code: null, custom_message: null, description: null,
    })
    const custom = ruleRequest({ ...f, passthrough_code: false, passthrough_body: false })
    expect(custom.response_code).toBe(500)
    expect(custom.custom_message).toBe('x')
  })

  it('round-trips a rule through the form', () => {
    const rule = {
      id: 1, name: 'n', enabled: false, priority: 3, error_codes: [400, 401], keywords: ['a', 'b'], match_mode: 'all',
      platforms: ['anthropic'], passthrough_code: false, response_code: 503, passthrough_body: false, custom_message: 'm',
      skip_monitoring: true, description: 'd', created_at: '', updated_at: '',
    }
    const { id: _id, created_at: _c, updated_at: _u, ...rest } = rule
    expect(ruleRequest(ruleFormFrom(rule))).toEqual(rest)
  })
})

describe('OpenAI API-key accounts', () => {
  it('are created for the chosen platform, with an optional base URL', () => {
    const f = { ...emptyForm(), platform: 'openai', name: 'oa', api_key: ' sk-proj-x ', base_url: ' https://api.example/v1 ' }
    expect(createApiKeyRequest(f)).toMatchObject({ platform: 'openai', type: 'apikey', credentials: { api_key: 'sk-proj-x', base_url: 'https://api.example/v1' } })
    expect(emptyForm().platform).toBe('anthropic')
  })
})
