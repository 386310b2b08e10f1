import { formatUsd } from '@/utils/format'

/** A code's value as its type means it: dollars, concurrent requests, subscription days, or nothing. */
export function formatCodeValue(code: { type: string; value: number; validity_days?: number }, days: (n: number) => string): string {
  switch (code.type) {
    case 'balance':
    case 'admin_balance':
      return formatUsd(code.value)
    case 'concurrency':
    case 'admin_concurrency':
      return String(code.value)
    case 'subscription':
      return days(code.validity_days ?? 30)
    default:
      return '-'
  }
}

export const statusTag = (status: string) =>
  status === 'unused' || status === 'active' ? 'success' : status === 'used' ? 'info' : 'warning'

/** Copies text; false when the browser refuses (no clipboard permission or an insecure page). */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text)
    return true
  } catch {
    return false
  }
}
