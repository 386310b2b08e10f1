// Account-security strings and the login answer check: both locales carry the same keys, none empty, every message
// compiles and renders; a 2FA answer is told apart from a token pair.
import { describe, expect, it } from 'vitest'
import { i18n, setLocale } from '@/i18n'
import en from '@/i18n/en/security'
import zh from '@/i18n/zh/security'
import { needsSecondFactor, type LoginAnswer } from '@/api/security'

function leaves(node: unknown, prefix = ''): string[] {
  if (typeof node === 'string') return [prefix]
  return Object.entries(node as Record<string, unknown>).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k))
}

describe('security messages', () => {
  it('have the same keys in both locales, none empty', () => {
    expect(leaves(zh).sort()).toEqual(leaves(en).sort())
    const empty = leaves(zh).filter((k) => !k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], zh))
    expect(empty).toEqual([])
  })

  it.each(['en', 'zh-CN'] as const)('all compile and render in %s', (locale) => {
    setLocale(locale)
    const { t } = i18n.global as unknown as { t: (key: string, values: Record<string, unknown>) => string }
    for (const key of leaves(en)) {
      const text = t(key, { email: 'a***b@example.com', seconds: 42, amount: '$5', time: '2026-12-07 10:00' })
      expect(text).not.toBe(key)
      expect(text).not.toMatch(/[{}]/)
    }
    setLocale('en')
  })
})

describe('needsSecondFactor', () => {
  it('tells a 2FA challenge from a token pair', () => {
    expect(needsSecondFactor({ requires_2fa: true, temp_token: 't' } as LoginAnswer)).toBe(true)
    expect(needsSecondFactor({ access_token: 'a', refresh_token: 'r', expires_in: 1, token_type: 'Bearer', user: {} } as unknown as LoginAnswer)).toBe(false)
  })
})
