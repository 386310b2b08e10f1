// The admin CRUD pages' strings: the same keys in English and Chinese, and every message compiles (vue-i18n
// treats @ $ | { } as syntax, and a bad message only fails when a page first renders it).
import { describe, expect, it } from 'vitest'
import { i18n, setLocale } from '@/i18n'
import en from '@/i18n/en/adminCrud'
import zh from '@/i18n/zh/adminCrud'

function leaves(node: unknown, prefix = ''): string[] {
  if (typeof node === 'string') return [prefix]
  return Object.entries(node as Record<string, unknown>).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k))
}

describe('adminCrud messages', () => {
  it('have the same keys in both locales', () => {
    expect(leaves(zh).sort()).toEqual(leaves(en).sort())
    expect(Object.keys(en).sort()).toEqual(['adminGroups', 'adminProxies', 'adminSettings', 'adminUsers'])
  })

  it.each(['en', 'zh-CN'] as const)('all compile and render in %s', (locale) => {
    setLocale(locale)
    // Untyped: the typed overloads of t() recurse through every message key.
    const { t } = i18n.global as unknown as { t: (key: string, values: Record<string, unknown>) => string }
    for (const key of leaves(en)) {
      const text = t(key, { email: 'a@b.c', name: 'n', row: 1 })
      expect(text, key).not.toBe(key)
      expect(text, key).not.toMatch(/[{}]/)
    }
    setLocale('en')
  })
})
