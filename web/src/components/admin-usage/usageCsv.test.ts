import { describe, expect, it } from 'vitest'
import type { AdminUsageRow } from '@/api/adminUsage'
import { buildCsv, collectPages, csvCell, csvFileName, plainDecimal, usageColumns } from './usageCsv'

const headers = {
  time: 'Time', user: 'User', apiKey: 'API key', account: 'Account', group: 'Group', model: 'Model',
  inputTokens: 'Input', outputTokens: 'Output', cacheCreationTokens: 'Cache write', cacheReadTokens: 'Cache read',
  cost: 'Cost', actualCost: 'Charged', duration: 'Duration (ms)', stream: 'Stream', ip: 'IP', requestId: 'Request ID',
}

const row = (over: Partial<AdminUsageRow> = {}): AdminUsageRow => ({
  id: 1, user_id: 2, api_key_id: 3, account_id: 4, request_id: 'req_1', model: 'claude-sonnet-4-5', group_id: 5,
  subscription_id: null, input_tokens: 100, output_tokens: 50, cache_creation_tokens: 7, cache_read_tokens: 9,
  input_cost: 0, output_cost: 0, cache_creation_cost: 0, cache_read_cost: 0, total_cost: 0.0000000001, actual_cost: 1.2345678901,
  rate_multiplier: 1, billing_type: 0, stream: true, duration_ms: 850, first_token_ms: 120, user_agent: null,
  ip_address: '203.0.113.9', created_at: '2026-05-01T08:00:00Z',
  user: { id: 2, email: 'alice@example.com', username: 'alice' }, api_key: { id: 3, name: 'laptop' },
  account: { id: 4, name: 'max-1', platform: 'anthropic' }, group: { id: 5, name: 'team' }, ...over,
})

describe('plainDecimal', () => {
  it('writes every decimal up to ten places, never in exponent form', () => {
    expect(plainDecimal(1e-10)).toBe('0.0000000001')
    expect(plainDecimal(1.2345678901)).toBe('1.2345678901')
    expect(plainDecimal(2)).toBe('2')
    expect(plainDecimal(0.5)).toBe('0.5')
    expect(plainDecimal(0)).toBe('0')
    expect(plainDecimal(null)).toBe('')
  })
})

describe('csvCell', () => {
  it('quotes separators and defuses formulas', () => {
    expect(csvCell('plain')).toBe('plain')
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvCell('say "hi"')).toBe('"say ""hi"""')
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"')
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`)
    expect(csvCell('@cmd')).toBe("'@cmd")
    expect(csvCell(-5)).toBe('-5') // numbers are numbers, not formulas
    expect(csvCell(null)).toBe('')
    expect(csvCell(true)).toBe('true')
  })
})

describe('buildCsv', () => {
  it('writes a header and one line per row with exact money', () => {
    const csv = buildCsv([row(), row({ id: 2, user: null, api_key: null, account: null, group: null, ip_address: null,
      duration_ms: null, stream: false, model: 'a,b' })], usageColumns(headers))
    const lines = csv.split('\r\n')
    expect(lines[0]).toBe('Time,User,API key,Account,Group,Model,Input,Output,Cache write,Cache read,Cost,Charged,Duration (ms),Stream,IP,Request ID')
    expect(lines[1]).toBe('2026-05-01T08:00:00Z,alice@example.com,laptop,max-1,team,claude-sonnet-4-5,100,50,7,9,0.0000000001,1.2345678901,850,true,203.0.113.9,req_1')
    expect(lines[2]).toBe('2026-05-01T08:00:00Z,#2,#3,#4,,"a,b",100,50,7,9,0.0000000001,1.2345678901,,false,,req_1')
    expect(lines[3]).toBe('')
    expect(lines).toHaveLength(4)
  })

  it('is only the header without rows', () => {
    expect(buildCsv([], usageColumns(headers)).split('\r\n')).toHaveLength(2)
  })

  it('names the file after the range', () => {
    expect(csvFileName('2026-05-01', '2026-05-07')).toBe('usage_2026-05-01_2026-05-07.csv')
    expect(csvFileName()).toBe('usage_all_now.csv')
  })
})

describe('collectPages', () => {
  const pages = (total: number, size: number) => {
    const asked: number[] = []
    const fetch = async (page: number) => {
      asked.push(page)
      const start = (page - 1) * size
      const items = Array.from({ length: Math.max(0, Math.min(size, total - start)) }, (_, i) => start + i)
      return { items, total, pages: Math.ceil(total / size) }
    }
    return { asked, fetch }
  }
  it('reads every page once', async () => {
    const p = pages(25, 10)
    const result = await collectPages(p.fetch, 1000)
    expect(result.rows).toEqual(Array.from({ length: 25 }, (_, i) => i))
    expect(result.truncated).toBe(false)
    expect(p.asked).toEqual([1, 2, 3])
  })
  it('stops at the cap and says so', async () => {
    const p = pages(25, 10)
    const result = await collectPages(p.fetch, 15)
    expect(result.rows).toHaveLength(15)
    expect(result.truncated).toBe(true)
    expect(p.asked).toEqual([1, 2])
  })
  it('handles an empty list', async () => {
    const result = await collectPages(pages(0, 10).fetch, 100)
    expect(result).toEqual({ rows: [], total: 0, truncated: false })
  })
})
