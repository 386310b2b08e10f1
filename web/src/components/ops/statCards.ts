// The headline numbers of the ops overview, formatted for the stat cards. Each card has a stable name (its
// data-test is stat-<name>), a label key, the value and an optional second line.
import type { OpsOverview } from '@/api/ops'
import { formatDuration, formatNumber } from '@/utils/format'

export interface StatCard {
  name: string
  label: string
  value: string
  sub?: { key: string; params: Record<string, string> }
  /** Highlight: 'danger' when something needs attention. */
  tone?: 'danger' | 'warning'
}

export function formatPercent(v: number | null | undefined, digits = 2): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '-'
  return `${Number(v.toFixed(digits))}%`
}

/** Requests per second: three decimals, but a quiet gateway's 0.00028 keeps two significant digits instead of reading 0. */
export function formatRate(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '-'
  return String(v > 0 && v < 0.01 ? Number(v.toPrecision(2)) : Number(v.toFixed(3)))
}

const ms = (v: number | null | undefined) => (v === null || v === undefined ? '-' : formatDuration(v))
const n = (v: number | null | undefined) => formatNumber(v ?? 0)

export function statCards(o: OpsOverview | null): StatCard[] {
  const x = o ?? ({} as Partial<OpsOverview>)
  const hasRequests = (x.request_count ?? 0) > 0
  return [
    { name: 'requests', label: 'ops.stat.requests', value: n(x.request_count), sub: { key: 'ops.stat.requestsSub', params: { success: n(x.success_count), errors: n(x.error_count) } } },
    { name: 'success-rate', label: 'ops.stat.successRate', value: hasRequests ? formatPercent(x.success_rate) : '-' },
    { name: 'error-rate', label: 'ops.stat.errorRate', value: hasRequests ? formatPercent(x.error_rate) : '-', tone: (x.error_rate ?? 0) >= 5 ? 'danger' : undefined },
    { name: 'upstream-error-rate', label: 'ops.stat.upstreamErrorRate', value: formatPercent(x.upstream_error_rate), sub: { key: 'ops.stat.upstreamErrorsSub', params: { count: n(x.upstream_error_count) } }, tone: (x.upstream_error_rate ?? 0) >= 5 ? 'warning' : undefined },
    { name: 'latency', label: 'ops.stat.latency', value: `${ms(x.p95_latency_ms)} / ${ms(x.p99_latency_ms)}`, sub: { key: 'ops.stat.latencySub', params: { p50: ms(x.p50_latency_ms) } } },
    { name: 'ttft', label: 'ops.stat.ttft', value: ms(x.p95_ttft_ms), sub: { key: 'ops.stat.ttftSub', params: { p99: ms(x.p99_ttft_ms) } } },
    { name: 'qps', label: 'ops.stat.qps', value: formatRate(x.qps), sub: { key: 'ops.stat.tpsSub', params: { tps: x.tps === undefined || x.tps === null ? '-' : formatNumber(Math.round(x.tps)) } } },
    { name: 'active-alerts', label: 'ops.stat.activeAlerts', value: n(x.active_alerts), tone: (x.active_alerts ?? 0) > 0 ? 'danger' : undefined },
    { name: 'accounts', label: 'ops.stat.accounts', value: `${n(x.accounts_available)} / ${n(x.accounts_total)}`, sub: { key: 'ops.stat.accountsSub', params: { limited: n(x.accounts_rate_limited), error: n(x.accounts_error) } }, tone: (x.accounts_error ?? 0) > 0 ? 'danger' : undefined },
    { name: 'concurrency', label: 'ops.stat.concurrency', value: n(x.concurrency_in_use), sub: { key: 'ops.stat.queueSub', params: { queue: n(x.concurrency_queue_depth) } }, tone: (x.concurrency_queue_depth ?? 0) > 0 ? 'warning' : undefined },
  ]
}
