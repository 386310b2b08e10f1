// CSV of admin usage rows, built in the browser from the filtered rows. Money is written as plain decimals
// with every digit the API sent (never 1e-10, never rounded to cents); times are the API's UTC ISO strings.
import type { AdminUsageRow } from '@/api/adminUsage'

/** A number as a plain decimal string with at most ten places: 1e-10 → "0.0000000001", 2 → "2". */
export function plainDecimal(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return ''
  const fixed = value.toFixed(10)
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed
}

/**
 * One CSV cell: quoted when it holds a comma, quote or line break. A text cell starting with = + - @ (or a tab or
 * carriage return) gets a leading apostrophe so a spreadsheet does not run it as a formula (user agents and
 * names come from users).
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return ''
  let s = String(value)
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

export interface CsvColumn {
  header: string
  value: (row: AdminUsageRow) => string | number | boolean | null | undefined
}

/** The export's columns; the headers are the page's (translated) column titles. */
export function usageColumns(h: Record<
  'time' | 'user' | 'apiKey' | 'account' | 'group' | 'model' | 'inputTokens' | 'outputTokens' | 'cacheCreationTokens'
  | 'cacheReadTokens' | 'cost' | 'actualCost' | 'duration' | 'stream' | 'ip' | 'requestId', string>): CsvColumn[] {
  return [
    { header: h.time, value: (r) => r.created_at },
    { header: h.user, value: (r) => r.user?.email ?? `#${r.user_id}` },
    { header: h.apiKey, value: (r) => r.api_key?.name ?? `#${r.api_key_id}` },
    { header: h.account, value: (r) => r.account?.name ?? `#${r.account_id}` },
    { header: h.group, value: (r) => r.group?.name ?? '' },
    { header: h.model, value: (r) => r.model },
    { header: h.inputTokens, value: (r) => r.input_tokens },
    { header: h.outputTokens, value: (r) => r.output_tokens },
    { header: h.cacheCreationTokens, value: (r) => r.cache_creation_tokens },
    { header: h.cacheReadTokens, value: (r) => r.cache_read_tokens },
    { header: h.cost, value: (r) => plainDecimal(r.total_cost) },
    { header: h.actualCost, value: (r) => plainDecimal(r.actual_cost) },
    { header: h.duration, value: (r) => r.duration_ms },
    { header: h.stream, value: (r) => r.stream },
    { header: h.ip, value: (r) => r.ip_address ?? '' },
    { header: h.requestId, value: (r) => r.request_id },
  ]
}

/** The whole file: a header line, one line per row, CRLF line ends (what spreadsheets expect). */
export function buildCsv(rows: AdminUsageRow[], columns: CsvColumn[]): string {
  const lines = [columns.map((c) => csvCell(c.header)).join(',')]
  for (const row of rows) lines.push(columns.map((c) => csvCell(c.value(row))).join(','))
  return lines.join('\r\n') + '\r\n'
}

/** A file name naming the range, e.g. usage_2026-05-01_2026-05-07.csv. */
export function csvFileName(startDate?: string, endDate?: string): string {
  return `usage_${startDate || 'all'}_${endDate || 'now'}.csv`
}

/**
 * Every row of a paged list, page by page, up to `maxRows` (an export of a huge range stays bounded; the
 * caller says so when `truncated`).
 */
export async function collectPages<T>(
  fetchPage: (page: number) => Promise<{ items: T[]; total: number; pages: number }>,
  maxRows: number,
): Promise<{ rows: T[]; total: number; truncated: boolean }> {
  const rows: T[] = []
  let total = 0
  for (let page = 1; ; page++) {
    const result = await fetchPage(page)
    total = result.total
    rows.push(...result.items)
    if (rows.length >= maxRows) return { rows: rows.slice(0, maxRows), total, truncated: total > maxRows }
    if (page >= result.pages || result.items.length === 0) return { rows, total, truncated: false }
  }
}
