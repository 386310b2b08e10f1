// The admin settings page: which setting goes in which section and as which kind of input, and the mapping of
// the edited form to PUT /admin/settings. Settings the page does not know (a newer server) still show, in an
// "other" section, with an input chosen from the value's JSON type.
import type { AdminSettings, SettingValue } from '@/api/adminSettings'
import { moneyToInput, parseMoney } from './money'

export type SettingKind = 'bool' | 'string' | 'url' | 'text' | 'image' | 'int' | 'money' | 'number'

export interface SettingField {
  key: string
  kind: SettingKind
}

export interface SettingSection {
  key: string
  fields: SettingField[]
}

const f = (key: string, kind: SettingKind): SettingField => ({ key, kind })

export const SETTINGS_SECTIONS: SettingSection[] = [
  {
    key: 'registration',
    fields: [
      f('registration_enabled', 'bool'), f('email_verify_enabled', 'bool'), f('promo_code_enabled', 'bool'),
      f('password_reset_enabled', 'bool'), f('invitation_code_enabled', 'bool'), f('totp_enabled', 'bool'),
    ],
  },
  {
    key: 'security',
    fields: [f('turnstile_enabled', 'bool'), f('turnstile_site_key', 'string'), f('linuxdo_oauth_enabled', 'bool')],
  },
  {
    key: 'site',
    fields: [
      f('site_name', 'string'), f('site_subtitle', 'string'), f('site_logo', 'image'), f('api_base_url', 'url'),
      f('contact_info', 'string'), f('doc_url', 'url'), f('home_content', 'text'), f('hide_ccs_import_button', 'bool'),
    ],
  },
  {
    key: 'purchase',
    fields: [f('purchase_subscription_enabled', 'bool'), f('purchase_subscription_url', 'url')],
  },
  {
    key: 'defaults',
    fields: [f('default_balance', 'money'), f('default_concurrency', 'int')],
  },
]

const KNOWN = new Map(SETTINGS_SECTIONS.flatMap((s) => s.fields).map((field) => [field.key, field]))

function kindOf(value: SettingValue): SettingKind {
  if (typeof value === 'boolean') return 'bool'
  if (typeof value === 'number') return 'number'
  return 'string'
}

/** The sections to show for what the server returned: known fields it has, then everything else as "other". */
export function buildSections(values: AdminSettings): SettingSection[] {
  const sections = SETTINGS_SECTIONS.map((s) => ({ key: s.key, fields: s.fields.filter((field) => field.key in values) }))
  const other = Object.keys(values)
    .filter((key) => !KNOWN.has(key) && isSettingValue(values[key]))
    .sort()
    .map((key) => f(key, kindOf(values[key])))
  if (other.length) sections.push({ key: 'other', fields: other })
  return sections.filter((s) => s.fields.length > 0)
}

function isSettingValue(value: unknown): value is SettingValue {
  return typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string'
}

/** What the inputs hold: money as text (exact, see money.ts), everything else as its own type. */
export type SettingsForm = Record<string, SettingValue>

export function settingsToForm(values: AdminSettings, sections: SettingSection[]): SettingsForm {
  const form: SettingsForm = {}
  for (const field of sections.flatMap((s) => s.fields)) {
    const value = values[field.key]
    form[field.key] = field.kind === 'money' ? moneyToInput(Number(value)) : value
  }
  return form
}

/**
 * The changed settings only, converted back to the API's types: the server changes only the keys it is sent,
 * so an untouched setting can never be overwritten by a stale page. Throws on an amount the form rules refuse.
 */
export function toSettingsRequest(form: SettingsForm, original: AdminSettings, sections: SettingSection[]): Partial<AdminSettings> {
  const changes: Partial<AdminSettings> = {}
  for (const field of sections.flatMap((s) => s.fields)) {
    let value = form[field.key]
    if (field.kind === 'money') {
      const parsed = parseMoney(value as string)
      if (!parsed.ok) throw new Error(`${field.key}: ${parsed.error}`)
      value = parsed.value
    } else if (typeof value === 'string' && field.kind !== 'text' && field.kind !== 'image') {
      value = value.trim()
    }
    if (value !== original[field.key]) changes[field.key] = value
  }
  return changes
}

/** Logos are stored inline as data URLs; past this size they slow down every page that shows them. */
export const MAX_LOGO_BYTES = 300 * 1024

/** An http(s) URL, or empty (not set). */
export function isHttpUrlOrEmpty(text: string): boolean {
  const trimmed = text.trim()
  if (!trimmed) return true
  try {
    const url = new URL(trimmed)
    return url.protocol === 'http:' || url.protocol === 'https:'
  } catch {
    return false
  }
}
