// Chart options and date helpers for the user dashboard. Dates are the API's UTC days ("YYYY-MM-DD").

import type { EChartsCoreOption } from 'echarts/core'
import type { ModelStat, TrendPoint } from '@/api/user'
import { formatNumber, formatUsd } from '@/utils/format'

const DAY_MS = 86_400_000

function utcDay(d: Date): string {
  return d.toISOString().slice(0, 10)
}

/** The last `days` UTC days ending today: [start_date, end_date]. */
export function lastDays(days: number, now: Date = new Date()): [string, string] {
  return [utcDay(new Date(now.getTime() - (days - 1) * DAY_MS)), utcDay(now)]
}

/** Every day from start to end (inclusive), so days without traffic show as zero rather than vanish from the axis. */
export function fillDays(points: TrendPoint[], start: string, end: string): TrendPoint[] {
  const byDate = new Map(points.map((p) => [p.date, p]))
  const out: TrendPoint[] = []
  const last = Date.parse(`${end}T00:00:00Z`)
  // A year of days at most: guards against a typo'd range freezing the tab.
  for (let t = Date.parse(`${start}T00:00:00Z`), n = 0; t <= last && n < 366; t += DAY_MS, n++) {
    const date = utcDay(new Date(t))
    out.push(
      byDate.get(date) ?? {
        date, requests: 0, input_tokens: 0, output_tokens: 0, cache_creation_tokens: 0, cache_read_tokens: 0,
        total_tokens: 0, cost: 0, actual_cost: 0,
      },
    )
  }
  return out
}

export interface TrendLabels {
  input: string
  output: string
  cache: string
  cost: string
  tokens: string
}

/** Token lines (input, output, cache) on the left axis and the charged cost on the right. */
export function trendOption(points: TrendPoint[], labels: TrendLabels): EChartsCoreOption {
  return {
    tooltip: {
      trigger: 'axis',
      valueFormatter: (v: unknown) => (typeof v === 'number' ? formatNumber(v) : String(v)),
    },
    legend: { top: 0, type: 'scroll' },
    grid: { left: 8, right: 8, top: 60, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: points.map((p) => p.date.slice(5)), boundaryGap: false },
    yAxis: [
      { type: 'value', name: labels.tokens, axisLabel: { formatter: (v: number) => formatNumber(v, true) } },
      { type: 'value', name: labels.cost, axisLabel: { formatter: (v: number) => formatUsd(v) }, splitLine: { show: false } },
    ],
    series: [
      { name: labels.input, type: 'line', smooth: true, data: points.map((p) => p.input_tokens) },
      { name: labels.output, type: 'line', smooth: true, data: points.map((p) => p.output_tokens) },
      { name: labels.cache, type: 'line', smooth: true, data: points.map((p) => p.cache_creation_tokens + p.cache_read_tokens) },
      {
        name: labels.cost,
        type: 'line',
        smooth: true,
        yAxisIndex: 1,
        data: points.map((p) => p.actual_cost),
        tooltip: { valueFormatter: (v: unknown) => formatUsd(v as number) },
      },
    ],
  }
}

/** Share of tokens per model; the long tail past `top` models is one "other" slice. */
export function modelsOption(models: ModelStat[], otherLabel: string, top = 8): EChartsCoreOption {
  const sorted = [...models].sort((a, b) => b.total_tokens - a.total_tokens)
  const data = sorted.slice(0, top).map((m) => ({ name: m.model, value: m.total_tokens }))
  const rest = sorted.slice(top).reduce((sum, m) => sum + m.total_tokens, 0)
  if (rest > 0) data.push({ name: otherLabel, value: rest })
  return {
    tooltip: { trigger: 'item', formatter: (p: { name: string; value: number; percent: number }) => `${p.name}: ${formatNumber(p.value)} (${p.percent}%)` },
    // A plain legend wraps onto more lines instead of hiding names behind paging arrows.
    legend: { bottom: 0, itemWidth: 12, itemHeight: 10, textStyle: { fontSize: 11 } },
    series: [{ type: 'pie', radius: ['35%', '60%'], center: ['50%', '40%'], label: { show: false }, data }],
  }
}
