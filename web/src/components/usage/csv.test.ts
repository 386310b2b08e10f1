import { describe, expect, it } from 'vitest'
import { csvField, fetchAllPages, plainDecimal, toCsv, usageCsv } from './csv'
import type { UsageLog } from '@/api/user'

describe('csvField', () => {
  it('quotes commas, quotes and line breaks', () => {
    expect(csvField('plain')).toBe('plain')
    expect(csvField('a,b')).toBe('"a,b"')
    expect(csvField('say "hi"')).toBe('"say ""hi"""')
    expect(csvField('two\nlines')).toBe('"two\nlines"')
    expect(csvField(null)).toBe('')
    expect(csvField(false)).toBe('false')
  })

  it('defuses spreadsheet formulas but keeps signed numbers', () => {
    expect(csvField('=1+1')).toBe("'=1+1")
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)")
    expect(csvField(-5)).toBe('-5')
    expect(csvField('-0.5')).toBe('-0.5')
  })
})

describe('plainDecimal', () => {
  it('never prints exponents', () => {
    expect(plainDecimal(6.172e-7)).toBe('0.0000006172')
    expect(plainDecimal(1.5e-10)).toBe('0.00000000015')
    expect(plainDecimal(-2e-7)).toBe('-0.0000002')
    expect(plainDecimal(1e21)).toBe('1000000000000000000000')
    expect(plainDecimal(12.345)).toBe('12.345')
    expect(plainDecimal(0)).toBe('0')
  })
})

describe('toCsv', () => {
  it('joins rows with CRLF and ends with one', () => {
    expect(toCsv(['a', 'b'], [[1, 'x,y']])).toBe('a,b\r\n1,"x,y"\r\n')
  })
})

describe('usageCsv', () => {
  it('writes exact costs and the key name', () => {
    const row = {
      id: 1, api_key_id: 7, request_id: 'r1', model: 'claude-sonnet-4-5', input_tokens: 10, output_tokens: 20,
      cache_creation_tokens: 3, cache_read_tokens: 4, total_cost: 0.0000012345, actual_cost: 0.0000006172,
      stream: true, duration_ms: null, first_token_ms: null, created_at: '2026-03-10T12:00:00Z',
    } satisfies UsageLog
    const csv = usageCsv([row], (id) => (id === 7 ? 'my, key' : '?'), ['h'])
    expect(csv.split('\r\n')[1]).toBe('2026-03-10T12:00:00Z,r1,"my, key",claude-sonnet-4-5,10,20,3,4,0.0000012345,0.0000006172,,true')
  })
})

describe('fetchAllPages', () => {
  const source = (total: number) => async (page: number, size: number) => ({
    items: Array.from({ length: Math.max(0, Math.min(size, total - (page - 1) * size)) }, (_, i) => (page - 1) * size + i),
    total,
  })

  it('reads every page of a filter', async () => {
    const res = await fetchAllPages(source(250), 10000, 100)
    expect(res.rows).toHaveLength(250)
    expect(res.rows[249]).toBe(249)
    expect(res.truncated).toBe(false)
  })

  it('stops at the cap and says so', async () => {
    let calls = 0
    const res = await fetchAllPages(async (p, s) => { calls++; return source(1000)(p, s) }, 250, 100)
    expect(res.rows).toHaveLength(250)
    expect(res.truncated).toBe(true)
    expect(calls).toBe(3)
  })

  it('handles an empty filter with one call', async () => {
    const res = await fetchAllPages(source(0))
    expect(res.rows).toEqual([])
  })
})
