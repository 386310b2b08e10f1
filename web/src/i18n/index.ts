import { createI18n } from 'vue-i18n'

// Messages are split by feature: src/i18n/<locale>/<feature>.ts each export default { <feature>: {...} }.
// Every file of a locale is merged here, so a page's strings live next to its siblings, not in one huge file.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Messages = Record<string, any>
const load = (files: Record<string, { default: Messages }>): Messages =>
  Object.values(files).reduce<Messages>((all, file) => ({ ...all, ...file.default }), {})

const en = load(import.meta.glob('./en/*.ts', { eager: true }))
const zh = load(import.meta.glob('./zh/*.ts', { eager: true }))

export const LOCALES = [
  { code: 'en', label: 'English' },
  { code: 'zh-CN', label: '简体中文' },
] as const
export type LocaleCode = (typeof LOCALES)[number]['code']

const STORAGE_KEY = 'sub2api.locale'

export function initialLocale(): LocaleCode {
  const saved = localStorage.getItem(STORAGE_KEY)
  if (saved === 'en' || saved === 'zh-CN') return saved
  return navigator.language?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en'
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'en',
  messages: { en, 'zh-CN': zh } as Record<string, Messages> as never,
  missingWarn: false,
  fallbackWarn: false,
})

export function setLocale(code: LocaleCode) {
  ;(i18n.global.locale as unknown as { value: string }).value = code
  localStorage.setItem(STORAGE_KEY, code)
  document.documentElement.lang = code
}
