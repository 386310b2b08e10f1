// The cleanup-task dialog's form and its request (pure, unit-tested).
import type { CleanupFilters, CreateCleanupTask } from '@/api/contract'

export const MAX_CLEANUP_DAYS = 31

export interface CleanupForm {
  range: [string, string] | null
  userId: number | undefined
  apiKeyId: number | undefined
  accountId: number | undefined
  groupId: number | undefined
  model: string
  stream: '' | 'true' | 'false'
  billingType: '' | '0' | '1'
}

export const emptyCleanupForm = (): CleanupForm => ({
  range: null, userId: undefined, apiKeyId: undefined, accountId: undefined, groupId: undefined, model: '', stream: '', billingType: '',
})

/** Days covered by an inclusive YYYY-MM-DD range (UTC). */
export function rangeDays(range: [string, string]): number {
  const start = Date.parse(`${range[0]}T00:00:00Z`)
  const end = Date.parse(`${range[1]}T00:00:00Z`)
  return Math.round((end - start) / 86_400_000) + 1
}

export function toCleanupRequest(form: CleanupForm): CreateCleanupTask {
  if (!form.range) throw new Error('range required')
  const body: CreateCleanupTask = { start_date: form.range[0], end_date: form.range[1] }
  if (form.userId) body.user_id = form.userId
  if (form.apiKeyId) body.api_key_id = form.apiKeyId
  if (form.accountId) body.account_id = form.accountId
  if (form.groupId) body.group_id = form.groupId
  if (form.model.trim()) body.model = form.model.trim()
  if (form.stream) body.stream = form.stream === 'true'
  if (form.billingType) body.billing_type = Number(form.billingType)
  return body
}

/** The optional filters of a task, as short "name=value" labels for the list. */
export function filterLabels(filters: CleanupFilters | null): string[] {
  if (!filters) return []
  const labels: string[] = []
  const add = (name: string, value: unknown) => {
    if (value !== null && value !== undefined && value !== '') labels.push(`${name}=${String(value)}`)
  }
  add('user', filters.user_id)
  add('key', filters.api_key_id)
  add('account', filters.account_id)
  add('group', filters.group_id)
  add('model', filters.model)
  add('stream', filters.stream)
  add('billing', filters.billing_type)
  return labels
}
