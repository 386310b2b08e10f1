// The admin user dialogs' form models and how they become API requests. Kept out of the .vue files so the
// rules (what "empty" means, what is left out so the server keeps its value) are tested without a browser.
import type {
  AdminUser, BalanceHistoryItem, BalanceOperation, BalanceRequest, CreateUserRequest, UpdateUserRequest,
} from '@/api/adminUsers'
import { formatUsd } from '@/utils/format'
import { parseMoney } from './money'

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
}

export function emptyUserForm(): UserFormModel {
  return { email: '', password: '', username: '', notes: '', balance: '', concurrency: 5, role: 'user', status: 'active', allowed_groups: [] }
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
  }
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
export function toUpdateUserRequest(form: UserFormModel): UpdateUserRequest {
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
