import { describe, expect, it } from 'vitest'
import type { OpsOverview } from '@/api/ops'
import { formatPercent, formatRate, statCards } from './statCards'

const overview: OpsOverview = {
  start_time: '', end_time: '', request_count: 1200, success_count: 1140, error_count: 60, success_rate: 95,
  error_rate: 5, upstream_error_count: 80, upstream_error_rate: 6.6667, qps: 0.33333, tps: 1234.4, p50_latency_ms: 420,
  p95_latency_ms: 1800, p99_latency_ms: 5200, p95_ttft_ms: 900, p99_ttft_ms: 1500, active_alerts: 1, accounts_total: 5,
  accounts_available: 3, accounts_rate_limited: 1, accounts_error: 1, concurrency_in_use: 7, concurrency_queue_depth: 2,
}

describe('statCards', () => {
  it('formats every headline number with a stable name', () => {
    const cards = Object.fromEntries(statCards(overview).map((c) => [c.name, c]))
    expect(Object.keys(cards)).toEqual([
      'requests', 'success-rate', 'error-rate', 'upstream-error-rate', 'latency', 'ttft', 'qps', 'active-alerts',
      'accounts', 'concurrency',
    ])
    expect(cards.requests.value).toBe('1,200')
    expect(cards.requests.sub?.params).toEqual({ success: '1,140', errors: '60' })
    expect(cards['success-rate'].value).toBe('95%')
    expect(cards['error-rate'].tone).toBe('danger')
    expect(cards['upstream-error-rate'].value).toBe('6.67%')
    expect(cards.latency.value).toBe('1.8 s / 5.2 s')
    expect(cards.latency.sub?.params.p50).toBe('420 ms')
    expect(cards.ttft.value).toBe('900 ms')
    expect(cards.qps.value).toBe('0.333')
    expect(cards.qps.sub?.params.tps).toBe('1,234')
    expect(cards.accounts.value).toBe('3 / 5')
    expect(cards.accounts.sub?.params).toEqual({ limited: '1', error: '1' })
    expect(cards.accounts.tone).toBe('danger')
    expect(cards.concurrency.sub?.params.queue).toBe('2')
  })

  it('shows dashes, not NaN, before the first answer or without traffic', () => {
    const cards = Object.fromEntries(statCards(null).map((c) => [c.name, c]))
    expect(cards.requests.value).toBe('0')
    expect(cards['success-rate'].value).toBe('-')
    expect(cards.latency.value).toBe('- / -')
    expect(cards.qps.value).toBe('-')
    expect(JSON.stringify(cards)).not.toContain('NaN')
    const idle = Object.fromEntries(statCards({ ...overview, request_count: 0, p95_latency_ms: null }).map((c) => [c.name, c]))
    expect(idle['error-rate'].value).toBe('-')
    expect(idle.latency.value).toBe('- / 5.2 s')
  })

  it('keeps a quiet gateway\'s request rate readable', () => {
    expect(formatRate(1 / 3600)).toBe('0.00028')
    expect(formatRate(0)).toBe('0')
    expect(formatRate(12.34567)).toBe('12.346')
    expect(formatRate(null)).toBe('-')
  })

  it('rounds percentages without trailing zeros', () => {
    expect(formatPercent(99.5)).toBe('99.5%')
    expect(formatPercent(100)).toBe('100%')
    expect(formatPercent(undefined)).toBe('-')
  })
})
