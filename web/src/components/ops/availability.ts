// "Which account is failing, since when, with what error": the accounts out of service, worst first, each with
// the time its rest ends and its last error, merged with the error log's per-account counts.
import type { AccountAvailability, AccountErrors, AvailabilityState } from '@/api/ops'

/** How bad a state is for the sort: broken accounts first, then the ones resting, then the ones turned off. */
const RANK: Record<AvailabilityState, number> = {
  error: 0, expired: 1, temp_unschedulable: 2, rate_limited: 3, overloaded: 4, disabled: 5, available: 6,
}

/** Every account that is not available, worst state first, then the most recent error first. */
export function outOfService(accounts: AccountAvailability[] | null | undefined): AccountAvailability[] {
  return (accounts ?? [])
    .filter((a) => a.state !== 'available')
    .sort((a, b) =>
      (RANK[a.state] ?? 9) - (RANK[b.state] ?? 9)
      || (Date.parse(b.last_error_at ?? '') || 0) - (Date.parse(a.last_error_at ?? '') || 0)
      || a.name.localeCompare(b.name))
}

export function stateTagType(state: AvailabilityState | string): 'danger' | 'warning' | 'info' | 'success' {
  switch (state) {
    case 'available':
      return 'success'
    case 'error':
    case 'expired':
      return 'danger'
    case 'rate_limited':
    case 'overloaded':
    case 'temp_unschedulable':
      return 'warning'
    default:
      return 'info'
  }
}

/** Errors per account from the error log, most errors first (accounts without a name show their id). */
export function accountErrorRows(rows: AccountErrors[] | null | undefined): AccountErrors[] {
  return [...(rows ?? [])].sort((a, b) => b.count - a.count
    || (Date.parse(b.last_error_at ?? '') || 0) - (Date.parse(a.last_error_at ?? '') || 0))
}

export function accountLabel(name: string | null | undefined, id: number | null | undefined): string {
  if (name) return name
  return id ? `#${id}` : '-'
}
