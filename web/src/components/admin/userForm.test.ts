import { describe, expect, it } from 'vitest'
import type { AdminUser } from '@/api/adminUsers'
import {
  checkGroupRates, groupRatesChanges,
  emptyBalanceForm, emptyUserForm, formatConcurrency, formatHistoryValue, toBalanceRequest, toCreateUserRequest,
  toUpdateUserRequest, userToForm,
} from './userForm'

const user: AdminUser = {
  id: 7, email: 'a@example.com', username: 'alice', notes: 'vip', role: 'user', balance: 12.5, concurrency: 3,
  status: 'disabled', totp_enabled: false, allowed_groups: [2, 5], group_rates: {}, created_at: '', updated_at: '',
}

describe('toCreateUserRequest', () => {
  it('leaves empty optional fields out so the server defaults apply', () => {
    const body = toCreateUserRequest({ ...emptyUserForm(), email: ' New@Example.com ', password: 'secret-1' })
    expect(body).toEqual({ email: 'New@Example.com', password: 'secret-1', concurrency: 5, role: 'user' })
  })

  it('sends the balance as the exact number typed and de-duplicates groups', () => {
    const body = toCreateUserRequest({
      ...emptyUserForm(), email: 'b@example.com', password: 'secret-1', username: ' bob ', balance: '0.0000001',
      allowed_groups: [3, 3, 1], role: 'admin', concurrency: 0,
    })
    expect(body).toEqual({
      email: 'b@example.com', password: 'secret-1', username: 'bob', balance: 0.0000001, allowed_groups: [3, 1],
      role: 'admin', concurrency: 0,
    })
    expect(JSON.stringify(body)).toContain('"balance":1e-7')
  })

  it('refuses a balance the form rules should have caught', () => {
    expect(() => toCreateUserRequest({ ...emptyUserForm(), email: 'x@example.com', password: 'p', balance: '-1' })).toThrow(/balance/)
  })
})

describe('toUpdateUserRequest', () => {
  it('round-trips a user and leaves the password out unless a new one was typed', () => {
    const form = userToForm(user)
    expect(form.password).toBe('')
    expect(form.balance).toBe('')
    expect(toUpdateUserRequest(form)).toEqual({
      email: 'a@example.com', username: 'alice', notes: 'vip', concurrency: 3, role: 'user', status: 'disabled', allowed_groups: [2, 5],
    })
    expect(toUpdateUserRequest({ ...form, password: 'new-pass-1' }).password).toBe('new-pass-1')
  })

  it('sends emptied fields so they are cleared, and an empty group list', () => {
    const body = toUpdateUserRequest({ ...userToForm(user), username: '  ', notes: '', allowed_groups: [] })
    expect(body.username).toBe('')
    expect(body.notes).toBe('')
    expect(body.allowed_groups).toEqual([])
  })

  it('does not send the form balance (it has its own dialog)', () => {
    expect('balance' in toUpdateUserRequest({ ...userToForm(user), balance: '99' })).toBe(false)
  })
})

describe('toBalanceRequest', () => {
  it('maps the operation, a positive exact amount and trimmed notes', () => {
    expect(toBalanceRequest({ operation: 'subtract', amount: '1.25', notes: ' refund ' })).toEqual({ balance: 1.25, operation: 'subtract', notes: 'refund' })
    expect(toBalanceRequest({ ...emptyBalanceForm(), amount: '3' })).toEqual({ balance: 3, operation: 'add' })
  })

  it('refuses zero and malformed amounts', () => {
    expect(() => toBalanceRequest({ ...emptyBalanceForm(), amount: '0' })).toThrow(/positive/)
    expect(() => toBalanceRequest({ ...emptyBalanceForm(), amount: 'abc' })).toThrow(/format/)
  })
})

describe('display helpers', () => {
  it('signs history values, money for balance rows and counts for concurrency rows', () => {
    expect(formatHistoryValue({ type: 'admin_balance', value: 2.5 })).toBe('+$2.50')
    expect(formatHistoryValue({ type: 'admin_balance', value: -0.0000123 })).toBe('-$0.0000123')
    expect(formatHistoryValue({ type: 'admin_concurrency', value: -2 })).toBe('-2')
    expect(formatHistoryValue({ type: 'balance', value: 0 })).toBe('$0.00')
  })

  it('shows slots in use only when the API reports them', () => {
    expect(formatConcurrency({ concurrency: 5 })).toBe('5')
    expect(formatConcurrency({ concurrency: 5, current_concurrency: 2 })).toBe('2 / 5')
  })
})

describe('group rates', () => {
  const withRates: AdminUser = { ...user, group_rates: { '5': 0.8, '2': 1.25 } }

  it('shows the user rates as rows and sends nothing when they are untouched', () => {
    const form = userToForm(withRates)
    expect(form.group_rates).toEqual([{ group_id: 2, rate: '1.25' }, { group_id: 5, rate: '0.8' }])
    expect('group_rates' in toUpdateUserRequest(form, withRates)).toBe(false)
  })

  it('sends changed and new rates, and null for removed ones', () => {
    const rows = [{ group_id: 2, rate: '1.5' }, { group_id: 7, rate: '0' }]
    expect(groupRatesChanges(rows, withRates.group_rates)).toEqual({ '2': 1.5, '7': 0, '5': null })
    expect(toUpdateUserRequest({ ...userToForm(withRates), group_rates: [] }, withRates).group_rates).toEqual({ '5': null, '2': null })
  })

  it('ignores empty rows and reports the row at fault', () => {
    expect(checkGroupRates([{ group_id: null, rate: ' ' }])).toBeNull()
    expect(checkGroupRates([{ group_id: null, rate: '1' }])).toEqual({ row: 0, error: 'group' })
    expect(checkGroupRates([{ group_id: 1, rate: '10001' }])).toEqual({ row: 0, error: 'rate' })
    expect(checkGroupRates([{ group_id: 1, rate: '1' }, { group_id: 1, rate: '2' }])).toEqual({ row: 1, error: 'duplicate' })
    expect(() => groupRatesChanges([{ group_id: 1, rate: 'x' }], {})).toThrow(/group_rates\[0\]: rate/)
  })
})
