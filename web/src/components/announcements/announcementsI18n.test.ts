// Announcement and user-attribute strings: the same keys in English and Chinese, and every message compiles.
import { describe, expect, it } from 'vitest'
import { i18n, setLocale } from '@/i18n'
import enAnnouncements from '@/i18n/en/announcements'
import zhAnnouncements from '@/i18n/zh/announcements'
import enAttributes from '@/i18n/en/userAttributes'
import zhAttributes from '@/i18n/zh/userAttributes'

function leaves(node: unknown, prefix = ''): string[] {
  if (typeof node === 'string') return [prefix]
  return Object.entries(node as Record<string, unknown>).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k))
}

describe('announcement and user attribute messages', () => {
  it('have the same keys in both locales', () => {
    expect(leaves(zhAnnouncements).sort()).toEqual(leaves(enAnnouncements).sort())
    expect(leaves(zhAttributes).sort()).toEqual(leaves(enAttributes).sort())
  })

  it.each(['en', 'zh-CN'] as const)('all compile and render in %s', (locale) => {
    setLocale(locale)
    const { t } = i18n.global as unknown as { t: (key: string, values: Record<string, unknown>) => string }
    for (const key of [...leaves(enAnnouncements), ...leaves(enAttributes)]) {
      const text = t(key, { name: 'n', n: 2, time: 'x', title: 't', user: 'u' })
      expect(text, key).not.toBe(key)
      expect(text, key).not.toMatch(/[{}]/)
    }
    setLocale('en')
  })
})
