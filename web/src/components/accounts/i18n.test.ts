import { describe, expect, it } from 'vitest'
import en from '@/i18n/en/accounts'
import zh from '@/i18n/zh/accounts'

function keys(o: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`]))
}

describe('accounts translations', () => {
  it('has every English string in Chinese too, and no empty one', () => {
    expect(keys(zh).sort()).toEqual(keys(en).sort())
    expect(keys(en).length).toBeGreaterThan(100)
    const empty = (o: Record<string, unknown>): boolean => Object.values(o).some((v) => (v && typeof v === 'object' ? empty(v as Record<string, unknown>) : v === ''))
    expect(empty(zh)).toBe(false)
  })
})
