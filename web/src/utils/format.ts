// Display helpers. Money is kept exact: the API sends decimals with up to ten places and we never round them
// away in tables (a cost of $0.0000123 must not show as $0.00).

/** USD with at least 2 and at most 10 decimals, trailing zeros trimmed past the second. */
export function formatUsd(value: number | string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '-'
  const n = typeof value === 'string' ? Number(value) : value
  if (!Number.isFinite(n)) return '-'
  let s = n.toFixed(10).replace(/0+$/, '')
  const [int, frac = ''] = s.split('.')
  s = `${int}.${frac.padEnd(2, '0')}`
  return `$${s}`
}

/** 1234567 → "1,234,567"; large token counts as 1.2M when compact. */
export function formatNumber(value: number | null | undefined, compact = false): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '-'
  if (compact && Math.abs(value) >= 1000) {
    return new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 }).format(value)
  }
  return new Intl.NumberFormat('en').format(value)
}

/** An ISO time as local "YYYY-MM-DD HH:mm:ss"; "-" for none. */
export function formatDateTime(value: string | number | Date | null | undefined): string {
  if (value === null || value === undefined || value === '') return '-'
  const d = value instanceof Date ? value : new Date(typeof value === 'number' && value < 1e12 ? value * 1000 : value)
  if (Number.isNaN(d.getTime())) return '-'
  const p = (x: number) => String(x).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`
}

/** A local date as "YYYY-MM-DD" (the usage API's start_date/end_date). */
export function toDateParam(d: Date): string {
  const p = (x: number) => String(x).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`
}

/** Milliseconds as "850 ms" / "1.2 s". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '-'
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`
}
