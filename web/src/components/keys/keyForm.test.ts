import { describe, expect, it } from 'vitest'
import { emptyKeyForm, keyFormFrom, parseIpList, quotaProgress, toCreateRequest, toUpdateRequest } from './keyForm'
import type { ApiKey } from '@/api/user'

describe('parseIpList', () => {
  it('splits on lines, commas and spaces and drops blanks and repeats', () => {
    expect(parseIpList(' 10.0.0.1\n\n192.168.0.0/16, 10.0.0.1 ::1 ')).toEqual(['10.0.0.1', '192.168.0.0/16', '::1'])
    expect(parseIpList('')).toEqual([])
  })
})

describe('toCreateRequest', () => {
  it('omits an empty custom key and expiry', () => {
    const f = { ...emptyKeyForm(), name: '  ci  ' }
    expect(toCreateRequest(f)).toEqual({ name: 'ci', group_id: null, ip_whitelist: [], ip_blacklist: [], quota: 0 })
  })

  it('sends what the user filled in', () => {
    const f = { ...emptyKeyForm(), name: 'k', group_id: 3, quota: 12.5, expires_in_days: 30, custom_key: ' sk-my-own-key-123456 ', ip_whitelist: '1.2.3.4' }
    expect(toCreateRequest(f)).toEqual({
      name: 'k', group_id: 3, quota: 12.5, expires_in_days: 30, custom_key: 'sk-my-own-key-123456', ip_whitelist: ['1.2.3.4'], ip_blacklist: [],
    })
  })
})

describe('toUpdateRequest / keyFormFrom', () => {
  const key: ApiKey = {
    id: 1, user_id: 2, key: 'sk-abc…1234', name: 'k', group_id: 5, group: null, status: 'quota_exhausted',
    ip_whitelist: ['1.1.1.1', '2.2.2.0/24'], ip_blacklist: [], quota: 10, quota_used: 10, expires_at: '2027-01-01T00:00:00Z',
    last_used_at: null, created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z',
  }

  it('round-trips a key and sends nulls to clear', () => {
    const f = keyFormFrom(key)
    expect(f.status).toBe('active')
    expect(f.ip_whitelist).toBe('1.1.1.1\n2.2.2.0/24')
    expect(toUpdateRequest(f)).toEqual({
      name: 'k', group_id: 5, status: 'active', ip_whitelist: ['1.1.1.1', '2.2.2.0/24'], ip_blacklist: [], quota: 10,
      expires_at: '2027-01-01T00:00:00Z',
    })
    expect(toUpdateRequest({ ...f, group_id: null, expires_at: null })).toMatchObject({ group_id: null, expires_at: null })
  })

  it('keeps a disabled key disabled', () => {
    expect(keyFormFrom({ ...key, status: 'disabled' }).status).toBe('disabled')
  })
})

describe('quotaProgress', () => {
  it('is null without a quota and capped at 100', () => {
    expect(quotaProgress(5, 0)).toBeNull()
    expect(quotaProgress(2.5, 10)).toBe(25)
    expect(quotaProgress(20, 10)).toBe(100)
  })
})
