// Chart options for the admin dashboard, built from the API's answers. Pure functions (no Vue, no i18n
// instance): the page passes translated labels in, so every option here is tested without a browser.
import type { EChartsCoreOption } from 'echarts/core'
import type { ApiKeyTrendPoint, Granularity, ModelStat, TrendPoint, UserTrendPoint } from '@/api/adminDashboard'
import { formatNumber, formatUsd } from '@/utils/format'

const pad = (n: number) => String(n).padStart(2, '0')

/** A UTC day as the API writes it: YYYY-MM-DD. */
export function utcDay(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
}

/** The last `days` UTC days, today included, as [start_date, end_date]. */
export function lastDays(days: number, now: Date = new Date()): [string, string] {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (days - 1)))
  return [utcDay(start), utcDay(now)]
}

/**
 * Every bucket label from start_date to end_date (both included), as the API labels buckets:
 * "2026-05-01" per day, "2026-05-01 08:00" per hour. Days without usage are absent from the API's answer;
 * the charts still show them, as zero, so the time axis is even.
 */
export function bucketLabels(startDate: string, endDate: string, granularity: Granularity): string[] {
  const start = Date.parse(`${startDate}T00:00:00Z`)
  const end = Date.parse(`${endDate}T00:00:00Z`)
  if (Number.isNaN(start) || Number.isNaN(end) || end < start) return []
  const labels: string[] = []
  for (let t = start; t <= end; t += 86_400_000) {
    const day = utcDay(new Date(t))
    if (granularity === 'hour') {
      for (let h = 0; h < 24; h++) labels.push(`${day} ${pad(h)}:00`)
    } else {
      labels.push(day)
    }
  }
  return labels
}

/** The labels to plot: the full range when it is known, plus any label the data has outside it. */
function axis(dates: string[], range?: Labels['range']): string[] {
  const all = new Set(range ? bucketLabels(range.start_date, range.end_date, range.granularity) : [])
  for (const d of dates) all.add(d)
  return [...all].sort()
}

export interface Labels {
  range?: { start_date: string; end_date: string; granularity: Granularity }
}

export interface TrendLabels extends Labels {
  input: string
  output: string
  cacheCreation: string
  cacheRead: string
  cost: string
  actualCost: string
  tokens: string
}

const tooltipRow = (marker: unknown, name: string, value: string) => `${marker ?? ''}${name}: ${value}`

/** Tokens (four kinds, stacked) on the left axis; standard and charged cost on the right. */
export function trendOption(points: TrendPoint[], labels: TrendLabels): EChartsCoreOption {
  const dates = axis(points.map((p) => p.date), labels.range)
  const byDate = new Map(points.map((p) => [p.date, p]))
  const column = (pick: (p: TrendPoint) => number) => dates.map((d) => { const p = byDate.get(d); return p ? pick(p) : 0 })
  const money = new Set([labels.cost, labels.actualCost])
  // Hourly ranges have hundreds of points: dots on each would hide the lines.
  const showSymbol = dates.length <= 60
  return {
    tooltip: {
      trigger: 'axis',
      formatter: (params: Array<{ axisValue: string; seriesName: string; value: number; marker: unknown }>) =>
        [params[0]?.axisValue ?? '', ...params.map((p) =>
          tooltipRow(p.marker, p.seriesName, money.has(p.seriesName) ? formatUsd(p.value) : formatNumber(p.value)))].join('<br/>'),
    },
    legend: { top: 0, type: 'scroll' },
    grid: { left: 8, right: 8, top: 40, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: dates, boundaryGap: false },
    yAxis: [
      { type: 'value', name: labels.tokens, axisLabel: { formatter: (v: number) => formatNumber(v, true) } },
      { type: 'value', name: 'USD', axisLabel: { formatter: (v: number) => `$${v}` }, splitLine: { show: false } },
    ],
    series: [
      { name: labels.input, type: 'line', stack: 'tokens', areaStyle: {}, smooth: true, showSymbol, data: column((p) => p.input_tokens) },
      { name: labels.output, type: 'line', stack: 'tokens', areaStyle: {}, smooth: true, showSymbol, data: column((p) => p.output_tokens) },
      { name: labels.cacheCreation, type: 'line', stack: 'tokens', areaStyle: {}, smooth: true, showSymbol, data: column((p) => p.cache_creation_tokens) },
      { name: labels.cacheRead, type: 'line', stack: 'tokens', areaStyle: {}, smooth: true, showSymbol, data: column((p) => p.cache_read_tokens) },
      { name: labels.cost, type: 'line', yAxisIndex: 1, smooth: true, showSymbol, data: column((p) => p.cost) },
      { name: labels.actualCost, type: 'line', yAxisIndex: 1, smooth: true, showSymbol, data: column((p) => p.actual_cost) },
    ],
  }
}

export interface ModelLabels {
  requests: string
  tokens: string
  actualCost: string
}

/** A doughnut of total tokens per model; the tooltip adds requests and what users were charged. */
export function modelsOption(models: ModelStat[], labels: ModelLabels): EChartsCoreOption {
  const byName = new Map(models.map((m) => [m.model, m]))
  return {
    tooltip: {
      trigger: 'item',
      formatter: (p: { name: string; percent: number; marker: unknown }) => {
        const m = byName.get(p.name)
        if (!m) return p.name
        return [
          `${p.marker ?? ''}${p.name} (${p.percent}%)`,
          `${labels.requests}: ${formatNumber(m.requests)}`,
          `${labels.tokens}: ${formatNumber(m.total_tokens)}`,
          `${labels.actualCost}: ${formatUsd(m.actual_cost)}`,
        ].join('<br/>')
      },
    },
    legend: { type: 'scroll', bottom: 0 },
    series: [
      {
        type: 'pie',
        radius: ['40%', '68%'],
        center: ['50%', '45%'],
        avoidLabelOverlap: true,
        label: { show: false },
        data: models.map((m) => ({ name: m.model, value: m.total_tokens })),
      },
    ],
  }
}

export type SeriesMetric = 'tokens' | 'actual_cost' | 'requests'

interface SeriesPoint {
  date: string
  requests: number
  tokens: number
  cost: number
  actual_cost: number
}

/**
 * One line per series (user or key), in the order the API ranked them (biggest spender first); buckets
 * where a series had no usage are zero.
 */
function seriesTrendOption(points: Array<SeriesPoint & { id: number; name: string }>, metric: SeriesMetric,
  range?: Labels['range']): EChartsCoreOption {
  const dates = axis(points.map((p) => p.date), range)
  const order: number[] = []
  const names = new Map<number, string>()
  const values = new Map<string, number>()
  for (const p of points) {
    if (!names.has(p.id)) {
      order.push(p.id)
      names.set(p.id, p.name || `#${p.id}`)
    }
    values.set(`${p.id}|${p.date}`, p[metric])
  }
  // A legend entry is a series' name: two keys both called "default" must still be told apart.
  const counts = new Map<string, number>()
  for (const name of names.values()) counts.set(name, (counts.get(name) ?? 0) + 1)
  for (const [id, name] of names) if ((counts.get(name) ?? 0) > 1) names.set(id, `${name} #${id}`)
  const format = metric === 'actual_cost' ? formatUsd : (v: number) => formatNumber(v)
  return {
    tooltip: {
      trigger: 'axis',
      formatter: (params: Array<{ axisValue: string; seriesName: string; value: number; marker: unknown }>) =>
        [params[0]?.axisValue ?? '', ...params.filter((p) => p.value).map((p) => tooltipRow(p.marker, p.seriesName, format(p.value)))]
          .join('<br/>'),
    },
    legend: { top: 0, type: 'scroll' },
    grid: { left: 8, right: 8, top: 40, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: dates, boundaryGap: false },
    yAxis: {
      type: 'value',
      axisLabel: { formatter: (v: number) => (metric === 'actual_cost' ? `$${v}` : formatNumber(v, true)) },
    },
    series: order.map((id) => ({
      name: names.get(id),
      type: 'line',
      smooth: true,
      showSymbol: dates.length <= 60,
      data: dates.map((d) => values.get(`${id}|${d}`) ?? 0),
    })),
  }
}

export function usersTrendOption(points: UserTrendPoint[], metric: SeriesMetric, range?: Labels['range']): EChartsCoreOption {
  return seriesTrendOption(points.map((p) => ({ ...p, id: p.user_id, name: p.email })), metric, range)
}

export function apiKeysTrendOption(points: ApiKeyTrendPoint[], metric: SeriesMetric, range?: Labels['range']): EChartsCoreOption {
  return seriesTrendOption(points.map((p) => ({ ...p, id: p.api_key_id, name: p.key_name })), metric, range)
}
