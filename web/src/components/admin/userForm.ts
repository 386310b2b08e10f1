// The admin user dialogs' form models and how they become API requests. Kept out of the .vue files so the
// rules (what "empty" means, what is left out so the server keeps its value) are tested without a browser.
import type {
  AdminUser, BalanceHistoryItem, BalanceOperation, BalanceRequest, CreateUserRequest, UpdateUserRequest,
} from '@/api/adminUsers'
import { formatUsd } from '@/utils/format'
import { MAX_MULTIPLIER, moneyToInput, parseMoney } from './money'

/** A per-user rate for one group, overriding the group's multiplier for this user. */
export interface GroupRateRow {
  group_id: number | null
  /** As typed; must be a multiplier (0 to 10000). */
  rate: string
}

export interface UserFormModel {
  email: string
  /** Create: required. Edit: empty keeps the current password. */
  password: string
  username: string
  notes: string
  /** Create only (an existing user's balance changes through the balance dialog, which keeps a history). */
  balance: string
  concurrency: number
  role: 'user' | 'admin'
  status: 'active' | 'disabled'
  allowed_groups: number[]
  /** Edit only. */
  group_rates: GroupRateRow[]
}

export function emptyUserForm(): UserFormModel {
  return { email: '', password: '', username: '', notes: '', balance: '', concurrency: 5, role: 'user', status: 'active', allowed_groups: [], group_rates: [] }
}

export function userToForm(user: AdminUser): UserFormModel {
  return {
    email: user.email,
    password: '',
    username: user.username ?? '',
    notes: user.notes ?? '',
    balance: '',
    concurrency: user.concurrency,
    role: user.role === 'admin' ? 'admin' : 'user',
    status: user.status === 'disabled' ? 'disabled' : 'active',
    allowed_groups: [...(user.allowed_groups ?? [])],
    group_rates: Object.entries(user.group_rates ?? {})
      .map(([id, rate]) => ({ group_id: Number(id), rate: moneyToInput(rate) }))
      .sort((a, b) => a.group_id - b.group_id),
  }
}

export type GroupRateError = { row: number; error: 'group' | 'rate' | 'duplicate' }

/** The first problem in the rate rows (rows left completely empty are ignored), or null. */
export function checkGroupRates(rows: GroupRateRow[]): GroupRateError | null {
  const seen = new Set<number>()
  for (let i = 0; i < rows.length; i++) {
    const { group_id, rate } = rows[i]
    if (group_id === null && !rate.trim()) continue
    if (group_id === null) return { row: i, error: 'group' }
    if (!parseMoney(rate, { max: MAX_MULTIPLIER }).ok) return { row: i, error: 'rate' }
    if (seen.has(group_id)) return { row: i, error: 'duplicate' }
    seen.add(group_id)
  }
  return null
}

/**
 * The API's group_rates change set: every row's rate, and null for each rate the user had that is no longer
 * listed (the API removes a rate only when told so; a missing key keeps it). Undefined when nothing changes.
 */
export function groupRatesChanges(rows: GroupRateRow[], before: Record<string, number>): Record<string, number | null> | undefined {
  const problem = checkGroupRates(rows)
  if (problem) throw new Error(`group_rates[${problem.row}]: ${problem.error}`)
  const changes: Record<string, number | null> = {}
  for (const row of rows) {
    if (row.group_id === null) continue
    const rate = parseMoney(row.rate, { max: MAX_MULTIPLIER })
    if (rate.ok && before[String(row.group_id)] !== rate.value) changes[String(row.group_id)] = rate.value
  }
  const kept = new Set(rows.map((r) => String(r.group_id)))
  for (const id of Object.keys(before)) if (!kept.has(id)) changes[id] = null
  return Object.keys(changes).length ? changes : undefined
}

/** POST /admin/users. Empty optional fields are left out so the server's defaults apply (balance 0, no name). */
export function toCreateUserRequest(form: UserFormModel): CreateUserRequest {
  const body: CreateUserRequest = { email: form.email.trim(), password: form.password, concurrency: form.concurrency, role: form.role }
  if (form.username.trim()) body.username = form.username.trim()
  if (form.notes.trim()) body.notes = form.notes
  if (form.balance.trim()) {
    const balance = parseMoney(form.balance)
    if (!balance.ok) throw new Error(`balance: ${balance.error}`)
    body.balance = balance.value
  }
  if (form.allowed_groups.length) body.allowed_groups = uniqueIds(form.allowed_groups)
  return body
}

/**
 * PUT /admin/users/:id. Every shown field is sent (an emptied username or notes clears it, an empty group list
 * removes every restriction) except the password, which is only sent when a new one was typed.
 */
export function toUpdateUserRequest(form: UserFormModel, before: Pick<AdminUser, 'group_rates'> = { group_rates: {} }): UpdateUserRequest {
  const body: UpdateUserRequest = {
    email: form.email.trim(),
    username: form.username.trim(),
    notes: form.notes,
    concurrency: form.concurrency,
    role: form.role,
    status: form.status,
    allowed_groups: uniqueIds(form.allowed_groups),
  }
  if (form.password) body.password = form.password
  const rates = groupRatesChanges(form.group_rates, before.group_rates ?? {})
  if (rates) body.group_rates = rates
  return body
}

export interface BalanceFormModel {
  operation: BalanceOperation
  amount: string
  notes: string
}

export function emptyBalanceForm(): BalanceFormModel {
  return { operation: 'add', amount: '', notes: '' }
}

/** POST /admin/users/:id/balance: the amount is always positive; the operation says what it does. */
export function toBalanceRequest(form: BalanceFormModel): BalanceRequest {
  const amount = parseMoney(form.amount, { positive: true })
  if (!amount.ok) throw new Error(`amount: ${amount.error}`)
  const body: BalanceRequest = { balance: amount.value, operation: form.operation }
  if (form.notes.trim()) body.notes = form.notes.trim()
  return body
}

/** A history row's change as shown: money with its sign for balance rows, a count for concurrency rows. */
export function formatHistoryValue(item: Pick<BalanceHistoryItem, 'type' | 'value'>): string {
  const isConcurrency = item.type === 'admin_concurrency' || item.type === 'concurrency'
  const sign = item.value > 0 ? '+' : item.value < 0 ? '-' : ''
  const magnitude = Math.abs(item.value)
  return sign + (isConcurrency ? String(magnitude) : formatUsd(magnitude))
}

/** "2 / 5" when the API reports slots in use, else the limit alone. */
export function formatConcurrency(user: Pick<AdminUser, 'concurrency' | 'current_concurrency'>): string {
  return typeof user.current_concurrency === 'number' ? `${user.current_concurrency} / ${user.concurrency}` : String(user.concurrency)
}

function uniqueIds(ids: number[]): number[] {
  return [...new Set(ids)]
}
