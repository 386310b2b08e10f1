import { describe, expect, it } from 'vitest'
import type { ApiKeyTrendPoint, ModelStat, TrendPoint, UserTrendPoint } from '@/api/adminDashboard'
import { apiKeysTrendOption, bucketLabels, lastDays, modelsOption, trendOption, usersTrendOption, utcDay } from './charts'

/* eslint-disable @typescript-eslint/no-explicit-any */
const labels = {
  input: 'Input', output: 'Output', cacheCreation: 'Cache write', cacheRead: 'Cache read',
  cost: 'Standard cost', actualCost: 'Charged', tokens: 'Tokens',
}

const point = (date: string, over: Partial<TrendPoint> = {}): TrendPoint => ({
  date, requests: 1, input_tokens: 10, output_tokens: 5, cache_creation_tokens: 2, cache_read_tokens: 3,
  total_tokens: 20, cost: 0.0000000001, actual_cost: 0.0000000002, ...over,
})

describe('dates', () => {
  it('uses UTC days', () => {
    expect(utcDay(new Date('2026-05-01T23:30:00-05:00'))).toBe('2026-05-02')
    expect(lastDays(7, new Date('2026-05-01T00:05:00Z'))).toEqual(['2026-04-25', '2026-05-01'])
    expect(lastDays(1, new Date('2026-03-01T12:00:00Z'))).toEqual(['2026-03-01', '2026-03-01'])
  })

  it('lists every day or hour of the range', () => {
    expect(bucketLabels('2026-02-27', '2026-03-01', 'day')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01'])
    const hours = bucketLabels('2026-05-01', '2026-05-02', 'hour')
    expect(hours).toHaveLength(48)
    expect(hours[0]).toBe('2026-05-01 00:00')
    expect(hours[47]).toBe('2026-05-02 23:00')
    expect(bucketLabels('2026-05-02', '2026-05-01', 'day')).toEqual([])
    expect(bucketLabels('bad', '2026-05-01', 'day')).toEqual([])
  })
})

describe('trendOption', () => {
  it('fills days without usage with zeros and keeps the tokens and costs in their series', () => {
    const range = { start_date: '2026-05-01', end_date: '2026-05-03', granularity: 'day' as const }
    const option = trendOption([point('2026-05-01'), point('2026-05-03', { input_tokens: 7, actual_cost: 1.5 })], { ...labels, range }) as any
    expect(option.xAxis.data).toEqual(['2026-05-01', '2026-05-02', '2026-05-03'])
    const series = Object.fromEntries(option.series.map((s: any) => [s.name, s.data]))
    expect(series.Input).toEqual([10, 0, 7])
    expect(series['Cache read']).toEqual([3, 0, 3])
    expect(series.Charged).toEqual([0.0000000002, 0, 1.5])
    expect(option.series.find((s: any) => s.name === 'Charged').yAxisIndex).toBe(1)
  })

  it('shows money exactly in the tooltip', () => {
    const option = trendOption([point('2026-05-01')], labels) as any
    const text = option.tooltip.formatter([
      { axisValue: '2026-05-01', seriesName: 'Charged', value: 0.0000000002, marker: '' },
      { axisValue: '2026-05-01', seriesName: 'Input', value: 1234, marker: '' },
    ])
    expect(text).toContain('Charged: $0.0000000002')
    expect(text).toContain('Input: 1,234')
  })

  it('without a range plots only the dates it has', () => {
    const option = trendOption([point('2026-05-02 08:00'), point('2026-05-01 23:00')], labels) as any
    expect(option.xAxis.data).toEqual(['2026-05-01 23:00', '2026-05-02 08:00'])
  })
})

describe('modelsOption', () => {
  const model = (name: string, tokens: number, cost: number): ModelStat => ({
    model: name, requests: 3, input_tokens: tokens, output_tokens: 0, cache_creation_tokens: 0, cache_read_tokens: 0,
    total_tokens: tokens, cost, actual_cost: cost,
  })
  it('is a pie of tokens per model with requests and cost in the tooltip', () => {
    const option = modelsOption([model('claude-opus-4-1', 900, 0.0000012345), model('claude-sonnet-4-5', 100, 1)],
      { requests: 'Requests', tokens: 'Tokens', actualCost: 'Charged' }) as any
    expect(option.series[0].data).toEqual([{ name: 'claude-opus-4-1', value: 900 }, { name: 'claude-sonnet-4-5', value: 100 }])
    const text = option.tooltip.formatter({ name: 'claude-opus-4-1', percent: 90, marker: '' })
    expect(text).toContain('(90%)')
    expect(text).toContain('Requests: 3')
    expect(text).toContain('Charged: $0.0000012345')
  })
})

describe('series trends', () => {
  const user = (date: string, id: number, email: string, tokens: number, cost = 0): UserTrendPoint => ({
    date, user_id: id, email, requests: 1, tokens, cost, actual_cost: cost,
  })
  it('draws one line per user in the API order, zero where a user had no usage', () => {
    const option = usersTrendOption([
      user('2026-05-01', 9, 'big@x', 100, 2),
      user('2026-05-02', 9, 'big@x', 50, 1),
      user('2026-05-02', 4, 'small@x', 5, 0.0000000001),
    ], 'tokens') as any
    expect(option.xAxis.data).toEqual(['2026-05-01', '2026-05-02'])
    expect(option.series.map((s: any) => s.name)).toEqual(['big@x', 'small@x'])
    expect(option.series[1].data).toEqual([0, 5])
    const costs = usersTrendOption([user('2026-05-02', 4, 'small@x', 5, 0.0000000001)], 'actual_cost') as any
    expect(costs.series[0].data).toEqual([0.0000000001])
    expect(costs.tooltip.formatter([{ axisValue: 'd', seriesName: 'small@x', value: 0.0000000001, marker: '' }])).toContain('$0.0000000001')
  })

  it('tells keys with the same name apart', () => {
    const key = (id: number, name: string): ApiKeyTrendPoint => ({
      date: '2026-05-01', api_key_id: id, key_name: name, requests: 1, tokens: 1, cost: 0, actual_cost: 0,
    })
    const option = apiKeysTrendOption([key(1, 'default'), key(2, 'default'), key(3, 'ci'), key(4, '')], 'requests') as any
    expect(option.series.map((s: any) => s.name)).toEqual(['default #1', 'default #2', 'ci', '#4'])
  })
})
