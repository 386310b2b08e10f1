// Pure helpers for showing a subscription's spending windows (kept apart from the components so they can be tested).

export type WindowKey = 'daily' | 'weekly' | 'monthly'
export const WINDOW_KEYS: WindowKey[] = ['daily', 'weekly', 'monthly']

/** Share of a limit used, 0–100; an unlimited window (null limit) shows no fill, a zero limit is full. */
export function usedPercent(used: number, limit: number | null | undefined): number {
  if (limit === null || limit === undefined) return 0
  if (limit <= 0) return 100
  return Math.min(100, Math.max(0, (used / limit) * 100))
}

/** Bar colour: calm until 70 %, a warning until 90 %, then danger. */
export function barStatus(percent: number): '' | 'warning' | 'exception' {
  if (percent >= 90) return 'exception'
  if (percent >= 70) return 'warning'
  return ''
}

/** Seconds as the two largest units: "2d 5h", "3h 20m", "45m", "<1m". */
export function formatDurationShort(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds))
  const d = Math.floor(s / 86400)
  const h = Math.floor((s % 86400) / 3600)
  const m = Math.floor((s % 3600) / 60)
  if (d > 0) return h > 0 ? `${d}d ${h}h` : `${d}d`
  if (h > 0) return m > 0 ? `${h}h ${m}m` : `${h}h`
  return m > 0 ? `${m}m` : '<1m'
}

/** Whole days left before an expiry, 0 once passed. */
export function daysLeft(expiresAt: string, now = Date.now()): number {
  const ms = new Date(expiresAt).getTime() - now
  return ms <= 0 ? 0 : Math.floor(ms / 86400000)
}
