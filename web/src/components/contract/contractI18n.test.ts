// The contract pages' strings: the same keys in English and Chinese, and every message compiles.
import { describe, expect, it } from 'vitest'
import { i18n, setLocale } from '@/i18n'
import en from '@/i18n/en/contract'
import zh from '@/i18n/zh/contract'

function leaves(node: unknown, prefix = ''): string[] {
  if (typeof node === 'string') return [prefix]
  return Object.entries(node as Record<string, unknown>).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k))
}

describe('contract messages', () => {
  it('have the same keys in both locales', () => {
    expect(leaves(zh).sort()).toEqual(leaves(en).sort())
  })

  it.each(['en', 'zh-CN'] as const)('all compile and render in %s', (locale) => {
    setLocale(locale)
    const { t } = i18n.global as unknown as { t: (key: string, values: Record<string, unknown>) => string }
    for (const key of leaves(en)) {
      const text = t(key, { email: 'a@b.c', name: 'n', id: 1, start: '2026-01-01', end: '2026-01-02' })
      expect(text, key).not.toBe(key)
      expect(text, key).not.toMatch(/[{}]/)
    }
    setLocale('en')
  })
})
