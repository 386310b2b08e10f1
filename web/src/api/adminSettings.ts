import { api } from './client'

/** GET /admin/settings: every setting this build implements, typed (booleans, numbers, strings). */
export type SettingValue = boolean | number | string
export type AdminSettings = Record<string, SettingValue>

export const adminSettingsApi = {
  get: () => api.get<AdminSettings>('/admin/settings'),
  /** Only the keys sent are changed; the answer is the whole set after the save. */
  update: (values: Partial<AdminSettings>) => api.put<AdminSettings>('/admin/settings', values),
}
