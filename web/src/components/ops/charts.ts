// Chart options for the ops console, built from the dashboard routes' answers. Pure functions: the page passes
// translated labels in, so each option is tested without a browser or an i18n instance.
import type { EChartsCoreOption } from 'echarts/core'
import type { ErrorDistribution, ErrorTrend, LatencyHistogram, ThroughputTrend } from '@/api/ops'
import { formatDuration, formatNumber } from '@/utils/format'
import { bucketLabel, spansDays } from './time'

const grid = { left: 8, right: 8, top: 40, bottom: 8, containLabel: true }

function axisLabels(points: { time: string }[], bucketSeconds: number): string[] {
  const multiDay = spansDays(points.map((p) => p.time))
  return points.map((p) => bucketLabel(p.time, bucketSeconds, multiDay))
}

export interface ThroughputLabels {
  requests: string
  errors: string
  qps: string
  tokens: string
}

/** Requests and errors per bucket (bars) with QPS (a line on the right axis). */
export function throughputOption(trend: ThroughputTrend | null, labels: ThroughputLabels): EChartsCoreOption {
  const points = trend?.points ?? []
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, type: 'scroll' },
    grid,
    xAxis: { type: 'category', data: axisLabels(points, trend?.bucket_seconds ?? 60) },
    yAxis: [
      { type: 'value', name: labels.requests, minInterval: 1, axisLabel: { formatter: (v: number) => formatNumber(v, true) } },
      { type: 'value', name: labels.qps, splitLine: { show: false } },
    ],
    series: [
      { name: labels.requests, type: 'bar', stack: 'requests', data: points.map((p) => p.success_count) },
      { name: labels.errors, type: 'bar', stack: 'requests', itemStyle: { color: '#f56c6c' }, data: points.map((p) => p.error_count) },
      { name: labels.qps, type: 'line', yAxisIndex: 1, smooth: true, showSymbol: points.length <= 60, data: points.map((p) => round(p.qps, 3)) },
    ],
  }
}

export interface LatencyLabels {
  requests: string
  p50: string
  p95: string
  p99: string
  overflow: string
}

/** "≤ 500 ms" for a bucket's upper bound; the open-ended last bucket is "> the previous bound". */
export function latencyBucketLabel(le: number | null, previous: number | null, overflow: string): string {
  if (le === null || !Number.isFinite(le)) return previous === null ? overflow : `> ${formatDuration(previous)}`
  return `≤ ${formatDuration(le)}`
}

/**
 * How many requests finished within each latency bound. The percentiles are written above the chart and the
 * buckets they fall into are coloured (p50 blue, p95 orange, p99 red), without needing ECharts' markLine.
 */
export function latencyOption(histogram: LatencyHistogram | null, labels: LatencyLabels): EChartsCoreOption {
  const buckets = histogram?.buckets ?? []
  const bounds = buckets.map((b) => b.le_ms)
  const names = buckets.map((b, i) => latencyBucketLabel(b.le_ms, i > 0 ? buckets[i - 1].le_ms : null, labels.overflow))
  const percentiles = ([[labels.p50, histogram?.p50_ms, '#409eff'], [labels.p95, histogram?.p95_ms, '#e6a23c'], [labels.p99, histogram?.p99_ms, '#f56c6c']] as const)
    .filter(([, ms]) => ms !== null && ms !== undefined && Number.isFinite(ms))
    .map(([name, ms, color]) => ({ name, ms: ms as number, color }))
  // The highest percentile in a bucket decides its colour (p99 over p95 over p50).
  const colours = new Map<number, string>()
  if (buckets.length) for (const p of percentiles) colours.set(bucketIndexFor(bounds, p.ms), p.color)
  return {
    title: {
      text: percentiles.map((p) => `${p.name} ${formatDuration(p.ms)}`).join('  ·  '),
      right: 0, top: 0, textStyle: { fontSize: 12, fontWeight: 'normal' },
    },
    tooltip: { trigger: 'axis' },
    grid,
    xAxis: { type: 'category', data: names, axisLabel: { interval: 0, rotate: names.length > 6 ? 30 : 0 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      {
        name: labels.requests,
        type: 'bar',
        data: buckets.map((b, i) => (colours.has(i) ? { value: b.count, itemStyle: { color: colours.get(i) } } : b.count)),
      },
    ],
  }
}

/** The first bucket whose upper bound holds the value (the last bucket when none does). */
export function bucketIndexFor(bounds: (number | null)[], value: number): number {
  const i = bounds.findIndex((le) => le === null || !Number.isFinite(le) || value <= le)
  return i < 0 ? bounds.length - 1 : i
}

export interface ErrorTrendLabels {
  requestErrors: string
  upstreamErrors: string
}

/** Client-visible errors and failed upstream attempts per bucket. */
export function errorTrendOption(trend: ErrorTrend | null, labels: ErrorTrendLabels): EChartsCoreOption {
  const points = trend?.points ?? []
  const showSymbol = points.length <= 60
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid,
    xAxis: { type: 'category', data: axisLabels(points, trend?.bucket_seconds ?? 60), boundaryGap: false },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: labels.requestErrors, type: 'line', smooth: true, showSymbol, areaStyle: { opacity: 0.15 }, itemStyle: { color: '#f56c6c' }, data: points.map((p) => p.request_errors) },
      { name: labels.upstreamErrors, type: 'line', smooth: true, showSymbol, areaStyle: { opacity: 0.15 }, itemStyle: { color: '#e6a23c' }, data: points.map((p) => p.upstream_errors) },
    ],
  }
}

export interface DistributionLabels {
  byType: string
  byStatus: string
}

/** Two doughnuts side by side: errors by type and by HTTP status. */
export function errorDistributionOption(distribution: ErrorDistribution | null, labels: DistributionLabels): EChartsCoreOption {
  const slices = (items: { key: string; count: number }[] | undefined) =>
    (items ?? []).filter((i) => i.count > 0).map((i) => ({ name: String(i.key || '-'), value: i.count }))
  return {
    tooltip: { trigger: 'item', formatter: '{a}<br/>{b}: {c} ({d}%)' },
    legend: { type: 'scroll', bottom: 0 },
    series: [
      { name: labels.byType, type: 'pie', radius: ['30%', '52%'], center: ['27%', '45%'], label: { show: false }, data: slices(distribution?.by_type) },
      { name: labels.byStatus, type: 'pie', radius: ['30%', '52%'], center: ['73%', '45%'], label: { show: false }, data: slices(distribution?.by_status) },
    ],
    title: [
      { text: labels.byType, left: '27%', top: 0, textAlign: 'center', textStyle: { fontSize: 13, fontWeight: 'normal' } },
      { text: labels.byStatus, left: '73%', top: 0, textAlign: 'center', textStyle: { fontSize: 13, fontWeight: 'normal' } },
    ],
  }
}

function round(v: number | null | undefined, digits: number): number {
  if (v === null || v === undefined || !Number.isFinite(v)) return 0
  const f = 10 ** digits
  return Math.round(v * f) / f
}
