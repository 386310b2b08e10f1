import { describe, expect, it } from 'vitest'
import { fillDays, lastDays, modelsOption, trendOption } from './charts'
import type { ModelStat, TrendPoint } from '@/api/user'

const point = (date: string, tokens: number): TrendPoint => ({
  date, requests: 1, input_tokens: tokens, output_tokens: 1, cache_creation_tokens: 2, cache_read_tokens: 3,
  total_tokens: tokens + 6, cost: 0.5, actual_cost: 0.25,
})

describe('lastDays', () => {
  it('ends today (UTC) and spans the given days', () => {
    expect(lastDays(7, new Date('2026-03-10T23:30:00Z'))).toEqual(['2026-03-04', '2026-03-10'])
    expect(lastDays(30, new Date('2026-03-01T00:00:00Z'))).toEqual(['2026-01-31', '2026-03-01'])
  })
})

describe('fillDays', () => {
  it('fills missing days with zeros and keeps known ones', () => {
    const filled = fillDays([point('2026-03-02', 10)], '2026-03-01', '2026-03-03')
    expect(filled.map((p) => p.date)).toEqual(['2026-03-01', '2026-03-02', '2026-03-03'])
    expect(filled.map((p) => p.input_tokens)).toEqual([0, 10, 0])
  })

  it('is bounded for absurd ranges', () => {
    expect(fillDays([], '2000-01-01', '2030-01-01')).toHaveLength(366)
  })
})

describe('trendOption', () => {
  it('plots input, output, cache and cost, cost on the second axis', () => {
    const o = trendOption([point('2026-03-02', 10)], { input: 'In', output: 'Out', cache: 'Cache', cost: 'Cost', tokens: 'Tokens' }) as {
      xAxis: { data: string[] }
      series: { name: string; data: number[]; yAxisIndex?: number }[]
    }
    expect(o.xAxis.data).toEqual(['03-02'])
    expect(o.series.map((s) => s.name)).toEqual(['In', 'Out', 'Cache', 'Cost'])
    expect(o.series[2].data).toEqual([5])
    expect(o.series[3].data).toEqual([0.25])
    expect(o.series[3].yAxisIndex).toBe(1)
  })
})

describe('modelsOption', () => {
  it('groups the tail into "other"', () => {
    const models: ModelStat[] = ['a', 'b', 'c'].map((m, i) => ({
      model: m, requests: 1, input_tokens: 0, output_tokens: 0, total_tokens: (i + 1) * 10, cost: 0, actual_cost: 0,
    }))
    const o = modelsOption(models, 'Other', 2) as { series: { data: { name: string; value: number }[] }[] }
    expect(o.series[0].data).toEqual([
      { name: 'c', value: 30 },
      { name: 'b', value: 20 },
      { name: 'Other', value: 10 },
    ])
  })
})
