// The code pages' strings (same keys in both locales, every message compiles) and how a code's value reads.
import { describe, expect, it } from 'vitest'
import { i18n, setLocale } from '@/i18n'
import en from '@/i18n/en/codes'
import zh from '@/i18n/zh/codes'
import { formatCodeValue } from './codeValue'

function leaves(node: unknown, prefix = ''): string[] {
  if (typeof node === 'string') return [prefix]
  return Object.entries(node as Record<string, unknown>).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k))
}

describe('codes messages', () => {
  it('have the same keys in both locales', () => {
    expect(leaves(zh).sort()).toEqual(leaves(en).sort())
  })

  it.each(['en', 'zh-CN'] as const)('all compile and render in %s', (locale) => {
    setLocale(locale)
    const { t } = i18n.global as unknown as { t: (key: string, values: Record<string, unknown>) => string }
    for (const key of leaves(en)) {
      const text = t(key, { n: 2, code: 'ABC', value: '$1.00', balance: '$2.00', concurrency: 3, group: 'g', until: 'x' })
      expect(text, key).not.toBe(key)
      expect(text, key).not.toMatch(/[{}]/)
    }
    setLocale('en')
  })
})

describe('formatCodeValue', () => {
  const days = (n: number) => `${n} days`
  it('shows money exactly, slots as a number, subscriptions in days and invitations as nothing', () => {
    expect(formatCodeValue({ type: 'balance', value: 0.000000123 }, days)).toBe('$0.000000123')
    expect(formatCodeValue({ type: 'concurrency', value: 3 }, days)).toBe('3')
    expect(formatCodeValue({ type: 'subscription', value: 1, validity_days: 90 }, days)).toBe('90 days')
    expect(formatCodeValue({ type: 'invitation', value: 0 }, days)).toBe('-')
  })
})
