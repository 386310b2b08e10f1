import { describe, expect, it } from 'vitest'
import {
  bucketIndexFor, errorDistributionOption, errorTrendOption, latencyBucketLabel, latencyOption, throughputOption,
} from './charts'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any

describe('throughputOption', () => {
  const labels = { requests: 'Requests', errors: 'Errors', qps: 'QPS', tokens: 'Tokens' }

  it('stacks successes and errors per bucket and draws QPS on its own axis', () => {
    const o = throughputOption({
      bucket_seconds: 60,
      points: [
        { time: new Date(2026, 11, 7, 8, 0).toISOString(), request_count: 10, success_count: 8, error_count: 2, tokens: 100, qps: 0.16666 },
        { time: new Date(2026, 11, 7, 8, 1).toISOString(), request_count: 5, success_count: 5, error_count: 0, tokens: 50, qps: 0.08333 },
      ],
    }, labels) as Any
    expect(o.xAxis.data).toEqual(['08:00', '08:01'])
    expect(o.series[0].data).toEqual([8, 5])
    expect(o.series[1].data).toEqual([2, 0])
    expect(o.series[0].stack).toBe(o.series[1].stack)
    expect(o.series[2].yAxisIndex).toBe(1)
    expect(o.series[2].data).toEqual([0.167, 0.083])
  })

  it('draws an empty chart for no answer', () => {
    const o = throughputOption(null, labels) as Any
    expect(o.xAxis.data).toEqual([])
    expect(o.series.every((s: Any) => s.data.length === 0)).toBe(true)
  })
})

describe('latency histogram', () => {
  const labels = { requests: 'Requests', p50: 'p50', p95: 'p95', p99: 'p99', overflow: 'more' }

  it('labels each bucket by its upper bound and the open last bucket by the previous one', () => {
    expect(latencyBucketLabel(500, null, 'more')).toBe('≤ 500 ms')
    expect(latencyBucketLabel(2000, 1000, 'more')).toBe('≤ 2.0 s')
    expect(latencyBucketLabel(null, 10_000, 'more')).toBe('> 10.0 s')
    expect(latencyBucketLabel(null, null, 'more')).toBe('more')
  })

  it('finds the bucket that holds a value', () => {
    expect(bucketIndexFor([100, 500, 1000, null], 50)).toBe(0)
    expect(bucketIndexFor([100, 500, 1000, null], 500)).toBe(1)
    expect(bucketIndexFor([100, 500, 1000, null], 99_999)).toBe(3)
    expect(bucketIndexFor([100, 500], 99_999)).toBe(1)
  })

  it('writes p50/p95/p99 above the chart and colours the buckets they fall into', () => {
    const o = latencyOption({
      buckets: [{ le_ms: 100, count: 3 }, { le_ms: 1000, count: 5 }, { le_ms: null, count: 1 }],
      p50_ms: 420, p95_ms: 900, p99_ms: 12_000,
    }, labels) as Any
    expect(o.xAxis.data).toEqual(['≤ 100 ms', '≤ 1.0 s', '> 1.0 s'])
    expect(o.title.text).toBe('p50 420 ms  ·  p95 900 ms  ·  p99 12.0 s')
    const data = o.series[0].data
    expect(data[0]).toBe(3)
    expect(data[1]).toEqual({ value: 5, itemStyle: { color: '#e6a23c' } })   // p50 and p95: p95 wins
    expect(data[2]).toEqual({ value: 1, itemStyle: { color: '#f56c6c' } })
  })

  it('has no percentile text when there are none', () => {
    const o = latencyOption({ buckets: [{ le_ms: 100, count: 1 }], p50_ms: null, p95_ms: null, p99_ms: null }, labels) as Any
    expect(o.title.text).toBe('')
    expect(o.series[0].data).toEqual([1])
    expect((latencyOption(null, labels) as Any).series[0].data).toEqual([])
  })
})

describe('errorTrendOption', () => {
  it('has one line for client-visible errors and one for upstream attempts', () => {
    const o = errorTrendOption({
      bucket_seconds: 3600,
      points: [
        { time: new Date(2026, 11, 6, 23).toISOString(), request_errors: 1, upstream_errors: 3 },
        { time: new Date(2026, 11, 7, 0).toISOString(), request_errors: 0, upstream_errors: 2 },
      ],
    }, { requestErrors: 'Request errors', upstreamErrors: 'Upstream errors' }) as Any
    expect(o.xAxis.data).toEqual(['12-06 23:00', '12-07 00:00'])
    expect(o.series.map((s: Any) => s.name)).toEqual(['Request errors', 'Upstream errors'])
    expect(o.series[1].data).toEqual([3, 2])
  })
})

describe('errorDistributionOption', () => {
  it('draws errors by type and by status, without empty slices', () => {
    const o = errorDistributionOption({
      by_type: [{ key: 'authentication_error', count: 4 }, { key: 'overloaded_error', count: 0 }],
      by_status: [{ key: '401', count: 4 }, { key: '', count: 1 }],
      by_account: [],
    }, { byType: 'By type', byStatus: 'By status' }) as Any
    expect(o.series[0].data).toEqual([{ name: 'authentication_error', value: 4 }])
    expect(o.series[1].data).toEqual([{ name: '401', value: 4 }, { name: '-', value: 1 }])
    expect((errorDistributionOption(null, { byType: 'a', byStatus: 'b' }) as Any).series[0].data).toEqual([])
  })
})
