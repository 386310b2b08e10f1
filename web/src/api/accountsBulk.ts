import { api } from './client'
import type { AdminDataImportResult, AdminDataPayload } from './adminProxiesBulk'

/** The fields POST /admin/accounts/bulk-update sets; absent ones are left alone. */
export interface BulkUpdateFields {
  priority?: number
  concurrency?: number
  rate_multiplier?: number
  status?: string
  schedulable?: boolean
  proxy_id?: number
  group_ids?: number[]
}

export interface BulkAccountsResult {
  success: number
  failed: number
  success_ids: number[]
  failed_ids: number[]
  results: { account_id: number; success: boolean; error?: string | null }[]
}

export const accountsBulkApi = {
  bulkUpdate: (accountIds: number[], fields: BulkUpdateFields) =>
    api.post<BulkAccountsResult>('/admin/accounts/bulk-update', { account_ids: accountIds, ...fields }),
  /** The migration file WITH credentials in clear: handle it as a secret. */
  exportData: (ids?: number[]) => api.get<AdminDataPayload>('/admin/accounts/data', ids?.length ? { ids: ids.join(',') } : {}),
  importData: (data: AdminDataPayload) =>
    api.post<AdminDataImportResult>('/admin/accounts/data', { data, skip_default_group_bind: true }),
}

/** Saves JSON as a file download. */
export function downloadJson(fileName: string, data: unknown) {
  const blob = new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' })
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.click()
  URL.revokeObjectURL(url)
}

/** Reads a chosen file as JSON (throws on a file that is not). */
export async function readJsonFile(file: File): Promise<AdminDataPayload> {
  return JSON.parse(await file.text()) as AdminDataPayload
}
