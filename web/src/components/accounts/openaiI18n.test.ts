import { describe, expect, it } from 'vitest'
import en from '@/i18n/en/openaiOAuth'
import zh from '@/i18n/zh/openaiOAuth'

function keys(o: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`]))
}

describe('ChatGPT OAuth translations', () => {
  it('has every English string in Chinese too, and no empty one', () => {
    expect(keys(zh).sort()).toEqual(keys(en).sort())
    const values = (o: Record<string, unknown>): unknown[] => Object.values(o).flatMap((v) => (v && typeof v === 'object' ? values(v as Record<string, unknown>) : [v]))
    expect(values(zh).every((v) => typeof v === 'string' && v !== '')).toBe(true)
  })
})
