// The ops console's strings: the same keys in English and Chinese, none empty, and every message compiles and
// renders (vue-i18n treats @ $ | { } as syntax, and a bad message only fails when a page first renders it).
import { describe, expect, it } from 'vitest'
import { i18n, setLocale } from '@/i18n'
import en from '@/i18n/en/ops'
import zh from '@/i18n/zh/ops'
import { METRIC_TYPES, SEVERITIES } from './alertForm'
import { OWNERS, PHASES } from './filters'
import { TIME_RANGES } from '@/api/ops'

function leaves(node: unknown, prefix = ''): string[] {
  if (typeof node === 'string') return [prefix]
  return Object.entries(node as Record<string, unknown>).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k))
}

describe('ops messages', () => {
  it('have the same keys in both locales, none empty', () => {
    expect(leaves(zh).sort()).toEqual(leaves(en).sort())
    expect(Object.keys(en)).toEqual(['ops'])
    const empty = leaves(zh).filter((k) => !k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], zh))
    expect(empty).toEqual([])
  })

  it('name every option the console offers', () => {
    for (const r of TIME_RANGES) expect(en.ops.range[r]).toBeTruthy()
    for (const m of METRIC_TYPES) expect(en.ops.alerts.metric[m]).toBeTruthy()
    for (const p of PHASES) expect(en.ops.phase[p]).toBeTruthy()
    for (const o of OWNERS) expect(en.ops.owner[o]).toBeTruthy()
    expect(SEVERITIES).toHaveLength(4)
  })

  it.each(['en', 'zh-CN'] as const)('all compile and render in %s', (locale) => {
    setLocale(locale)
    const { t } = i18n.global as unknown as { t: (key: string, values: Record<string, unknown>) => string }
    const values = {
      time: '08:00', what: 'x', message: 'm', success: 1, errors: 2, count: 3, p50: '1 ms', p99: '2 ms', tps: 4,
      limited: 1, error: 1, queue: 0, inUse: 1, waiting: 0, name: 'n', status: 500, id: 7, bytes: 10, title: 't',
      masked: '***abcd', email: 'a',
    }
    for (const key of leaves(en)) {
      const text = t(key, values)
      expect(text, key).not.toBe(key)
      expect(text, key).not.toMatch(/[{}]/)
    }
    setLocale('en')
  })
})
