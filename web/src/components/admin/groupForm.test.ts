import { describe, expect, it } from 'vitest'
import type { AdminGroup } from '@/api/adminGroups'
import {
  emptyGroupForm, fallbackCandidates, groupToForm, moveGroup, parseAccountIds, routingToRequest, toGroupRequest,
} from './groupForm'

function group(over: Partial<AdminGroup> = {}): AdminGroup {
  return {
    id: 1, name: 'g', description: '', platform: 'anthropic', rate_multiplier: 1.5, is_exclusive: false, status: 'active',
    subscription_type: 'subscription', daily_limit_usd: 10, weekly_limit_usd: null, monthly_limit_usd: 0.0000001,
    default_validity_days: 30, image_price_1k: null, image_price_2k: null, image_price_4k: null, claude_code_only: true,
    fallback_group_id: 3, fallback_group_id_on_invalid_request: null, model_routing: { 'claude-opus-*': [4, 5] },
    model_routing_enabled: true, mcp_xml_inject: true, supported_model_scopes: ['claude'], sort_order: 0, account_count: 2,
    created_at: '', updated_at: '', ...over,
  }
}

describe('toGroupRequest', () => {
  it('sends empty limits and prices as null (clears them) and exact numbers otherwise', () => {
    const body = toGroupRequest({ ...emptyGroupForm(), name: ' team ', rate_multiplier: '0.8', daily_limit_usd: '5.25' })
    expect(body.name).toBe('team')
    expect(body.rate_multiplier).toBe(0.8)
    expect(body.daily_limit_usd).toBe(5.25)
    expect(body.weekly_limit_usd).toBeNull()
    expect(body.monthly_limit_usd).toBeNull()
    expect(body.image_price_4k).toBeNull()
    expect(body.fallback_group_id).toBeNull()
    expect(body.model_routing).toEqual({})
    expect(JSON.stringify(body)).toContain('"weekly_limit_usd":null')
  })

  it('round-trips a group through the form', () => {
    const g = group()
    const body = toGroupRequest(groupToForm(g))
    expect(body).toMatchObject({
      rate_multiplier: 1.5, daily_limit_usd: 10, weekly_limit_usd: null, monthly_limit_usd: 0.0000001, claude_code_only: true,
      fallback_group_id: 3, fallback_group_id_on_invalid_request: null, model_routing: { 'claude-opus-*': [4, 5] },
      subscription_type: 'subscription', supported_model_scopes: ['claude'],
    })
  })

  it('refuses a multiplier past the bound and a malformed limit', () => {
    expect(() => toGroupRequest({ ...emptyGroupForm(), name: 'x', rate_multiplier: '10001' })).toThrow(/rate_multiplier/)
    expect(() => toGroupRequest({ ...emptyGroupForm(), name: 'x', daily_limit_usd: '-3' })).toThrow(/daily_limit_usd/)
  })
})

describe('model routing rows', () => {
  it('parses account id lists leniently and refuses anything that is not an id', () => {
    expect(parseAccountIds('1, 2 3，4;4')).toEqual([1, 2, 3, 4])
    expect(parseAccountIds('')).toEqual([])
    expect(parseAccountIds('1, x')).toBeNull()
    expect(parseAccountIds('0')).toBeNull()
    expect(parseAccountIds('1.5')).toBeNull()
  })

  it('drops empty rows and reports the row at fault', () => {
    expect(routingToRequest([{ pattern: ' claude-* ', accounts: '7' }, { pattern: '', accounts: ' ' }])).toEqual({ ok: true, value: { 'claude-*': [7] } })
    expect(routingToRequest([{ pattern: 'a', accounts: '1' }, { pattern: '', accounts: '2' }])).toEqual({ ok: false, row: 1, error: 'pattern' })
    expect(routingToRequest([{ pattern: 'a', accounts: 'x' }])).toEqual({ ok: false, row: 0, error: 'accounts' })
    expect(routingToRequest([{ pattern: 'a', accounts: '1' }, { pattern: 'a', accounts: '2' }])).toEqual({ ok: false, row: 1, error: 'duplicate' })
  })
})

describe('moveGroup', () => {
  it('renumbers the whole order and returns only the changed rows', () => {
    const all = [{ id: 1, sort_order: 0 }, { id: 2, sort_order: 1 }, { id: 3, sort_order: 2 }]
    expect(moveGroup(all, 3, 2)).toEqual([{ id: 3, sort_order: 1 }, { id: 2, sort_order: 2 }])
    expect(moveGroup(all, 1, 2)).toEqual([{ id: 2, sort_order: 0 }, { id: 1, sort_order: 1 }])
  })

  it('makes a strict order out of groups that share a sort order', () => {
    const all = [{ id: 5, sort_order: 0 }, { id: 2, sort_order: 0 }, { id: 9, sort_order: 0 }]
    // On screen (sort_order, then id): 2, 5, 9. Moving 9 up puts it above 5.
    expect(moveGroup(all, 9, 5)).toEqual([{ id: 9, sort_order: 1 }, { id: 5, sort_order: 2 }])
  })

  it('does nothing for unknown ids or a move onto itself', () => {
    const all = [{ id: 1, sort_order: 0 }]
    expect(moveGroup(all, 1, 1)).toEqual([])
    expect(moveGroup(all, 1, 42)).toEqual([])
  })
})

describe('fallbackCandidates', () => {
  it('excludes the group itself and, for the Claude-Code fallback, Claude-Code-only groups', () => {
    const groups = [group({ id: 1 }), group({ id: 2, claude_code_only: false }), group({ id: 3, claude_code_only: true })]
    expect(fallbackCandidates(groups, 1, true).map((g) => g.id)).toEqual([2])
    expect(fallbackCandidates(groups, 1, false).map((g) => g.id)).toEqual([2, 3])
    expect(fallbackCandidates(groups, null, false).map((g) => g.id)).toEqual([1, 2, 3])
  })
})
