// Time display for the ops console: "in 12 min" / "3 h ago" next to the absolute local time, in the page's
// language (Intl.RelativeTimeFormat speaks both English and Chinese), and bucket labels for the charts.
import { formatDateTime } from '@/utils/format'

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1_000],
]

function toMs(value: string | number | Date | null | undefined): number | null {
  if (value === null || value === undefined || value === '') return null
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value)
  return Number.isFinite(ms) ? ms : null
}

/**
 * How far a time is from now, in the largest whole unit: "in 5 minutes", "2 hours ago" ("5分钟后", "2小时前").
 * "-" for no time. Less than a second reads as "now".
 */
export function formatRelative(
  value: string | number | Date | null | undefined, now: number = Date.now(), locale = 'en',
): string {
  const ms = toMs(value)
  if (ms === null) return '-'
  const diff = ms - now
  const fmt = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' })
  for (const [unit, size] of UNITS) {
    if (Math.abs(diff) >= size) return fmt.format(Math.trunc(diff / size), unit)
  }
  return fmt.format(0, 'second')
}

/** Relative and absolute together, e.g. "in 5 minutes (2026-12-07 08:05:00)". */
export function formatWhen(value: string | number | Date | null | undefined, now: number = Date.now(), locale = 'en'): string {
  if (toMs(value) === null) return '-'
  return `${formatRelative(value, now, locale)} (${formatDateTime(value as string)})`
}

/** True when the time is in the future (a rest that has not ended yet). */
export function isFuture(value: string | null | undefined, now: number = Date.now()): boolean {
  const ms = toMs(value)
  return ms !== null && ms > now
}

const pad = (n: number) => String(n).padStart(2, '0')

/**
 * A chart bucket's label in local time: "08:05" for buckets under a day within one day's window, "12-07 08:00"
 * when the window spans days, "12-07" for day buckets.
 */
export function bucketLabel(time: string, bucketSeconds: number, spansDays: boolean): string {
  const d = new Date(time)
  if (Number.isNaN(d.getTime())) return time
  const day = `${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
  const clock = `${pad(d.getHours())}:${pad(d.getMinutes())}`
  if (bucketSeconds >= 86_400) return day
  return spansDays ? `${day} ${clock}` : clock
}

/** Whether a list of times covers more than one local calendar day. */
export function spansDays(times: string[]): boolean {
  const days = new Set(times.map((t) => new Date(t).toDateString()))
  return days.size > 1
}
