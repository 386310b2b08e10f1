import { describe, expect, it } from 'vitest'
import type { AccountAvailability } from '@/api/ops'
import { accountErrorRows, accountLabel, outOfService, stateTagType } from './availability'

const account = (name: string, state: AccountAvailability['state'], lastErrorAt: string | null = null): AccountAvailability => ({
  account_id: name.length, name, platform: 'anthropic', status: 'active', schedulable: state === 'available', state,
  until: null, reason: null, last_error_at: lastErrorAt, last_error_message: null,
})

describe('outOfService', () => {
  it('lists every account that is not available, broken ones first, newest error first', () => {
    const list = outOfService([
      account('ok', 'available'),
      account('busy', 'rate_limited', '2026-12-07T08:00:00Z'),
      account('old-broken', 'error', '2026-12-07T07:00:00Z'),
      account('new-broken', 'error', '2026-12-07T07:30:00Z'),
      account('off', 'disabled'),
      account('resting', 'temp_unschedulable'),
    ])
    expect(list.map((a) => a.name)).toEqual(['new-broken', 'old-broken', 'resting', 'busy', 'off'])
  })

  it('is empty for no answer', () => {
    expect(outOfService(undefined)).toEqual([])
    expect(outOfService([account('ok', 'available')])).toEqual([])
  })
})

describe('account errors and labels', () => {
  it('sorts accounts by error count', () => {
    const rows = accountErrorRows([
      { account_id: 1, account_name: 'a', platform: null, count: 2, last_error_at: null, last_message: null },
      { account_id: 2, account_name: 'b', platform: null, count: 9, last_error_at: null, last_message: null },
    ])
    expect(rows.map((r) => r.account_name)).toEqual(['b', 'a'])
    expect(accountErrorRows(null)).toEqual([])
  })

  it('names an account, or its id, or nothing', () => {
    expect(accountLabel('main', 3)).toBe('main')
    expect(accountLabel(null, 3)).toBe('#3')
    expect(accountLabel(null, null)).toBe('-')
  })

  it('colours states', () => {
    expect(stateTagType('error')).toBe('danger')
    expect(stateTagType('rate_limited')).toBe('warning')
    expect(stateTagType('disabled')).toBe('info')
    expect(stateTagType('available')).toBe('success')
  })
})
