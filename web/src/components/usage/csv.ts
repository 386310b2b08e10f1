// CSV export of usage rows, built in the browser from the same API the table uses.

import type { UsageLog } from '@/api/user'

/** The most rows one export fetches: enough for a month of a busy key, small enough for a browser tab. */
export const EXPORT_ROW_CAP = 10000
export const EXPORT_PAGE_SIZE = 500

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF, with quotes doubled. A field that a
 * spreadsheet would run as a formula (=, +, -, @ first) gets a leading apostrophe, unless it is a plain number.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return ''
  let s = String(value)
  if (/^[=+\-@\t\r]/.test(s) && !/^[+-]?\d+(\.\d+)?$/.test(s)) s = `'${s}`
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

export function toCsv(header: string[], rows: unknown[][]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n'
}

/**
 * A number as plain decimal digits. Money is written with every decimal the API sent: String() prints a JSON
 * number back exactly, but tiny costs come out as "6.172e-7", which spreadsheets and humans misread.
 */
export function plainDecimal(n: number): string {
  const s = String(n)
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/i.exec(s)
  if (!m) return s
  const [, sign, int, frac = '', expText] = m
  const digits = int + frac
  const point = int.length + Number(expText)
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length)
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`
}

export function usageCsv(rows: UsageLog[], keyName: (id: number) => string, header: string[]): string {
  return toCsv(
    header,
    rows.map((r) => [
      r.created_at,
      r.request_id,
      keyName(r.api_key_id),
      r.model,
      r.input_tokens,
      r.output_tokens,
      r.cache_creation_tokens,
      r.cache_read_tokens,
      plainDecimal(r.total_cost),
      plainDecimal(r.actual_cost),
      r.duration_ms ?? '',
      r.stream,
    ]),
  )
}

export const USAGE_CSV_COLUMNS = [
  'time', 'requestId', 'key', 'model', 'inputTokens', 'outputTokens', 'cacheCreationTokens', 'cacheReadTokens',
  'cost', 'actualCost', 'durationMs', 'stream',
] as const

/**
 * Fetches pages of a filter until all rows (or the cap) are read. Returns the rows and whether the cap cut
 * the export short.
 */
export async function fetchAllPages<T>(
  fetchPage: (page: number, pageSize: number) => Promise<{ items: T[]; total: number }>,
  cap = EXPORT_ROW_CAP,
  pageSize = EXPORT_PAGE_SIZE,
): Promise<{ rows: T[]; truncated: boolean; total: number }> {
  const rows: T[] = []
  let total = 0
  for (let page = 1; rows.length < cap; page++) {
    const res = await fetchPage(page, pageSize)
    total = res.total
    rows.push(...res.items)
    if (res.items.length < pageSize || rows.length >= total) break
  }
  return { rows: rows.slice(0, cap), truncated: total > cap, total }
}
