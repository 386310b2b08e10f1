import { describe, expect, it } from 'vitest'
import { moneyToInput, moneyValidator, parseMoney, parseOptionalMoney } from './money'

describe('parseMoney', () => {
  it('accepts plain decimals exactly', () => {
    expect(parseMoney('12.5')).toEqual({ ok: true, value: 12.5 })
    expect(parseMoney(' 0.000000123 ')).toEqual({ ok: true, value: 0.000000123 })
    expect(parseMoney('0012.3456789012')).toEqual({ ok: true, value: 12.3456789012 })
    expect(parseMoney('999999999999')).toEqual({ ok: true, value: 999999999999 })
    expect(parseMoney(7)).toEqual({ ok: true, value: 7 })
  })

  it('refuses what is not a plain non-negative decimal', () => {
    for (const text of ['1e3', '-1', '1,5', 'abc', '.5', '1.', ' ']) {
      expect(parseMoney(text).ok, text).toBe(false)
    }
    expect(parseMoney('')).toEqual({ ok: false, error: 'required' })
    expect(parseMoney('-1')).toEqual({ ok: false, error: 'format' })
  })

  it('refuses amounts past the bounds instead of rounding them', () => {
    expect(parseMoney('1000000000000')).toEqual({ ok: false, error: 'range' })
    expect(parseMoney('10001', { max: 10_000 })).toEqual({ ok: false, error: 'range' })
    expect(parseMoney('0.1234567890123')).toEqual({ ok: false, error: 'decimals' })
    // 18 significant digits: a double cannot carry them, so the number sent would differ from the one typed.
    expect(parseMoney('123456789012.123456')).toEqual({ ok: false, error: 'precision' })
    expect(parseMoney('0', { positive: true })).toEqual({ ok: false, error: 'positive' })
  })

  it('the number sent serializes back to the text typed', () => {
    for (const text of ['0.1', '0.3', '12.3456789012', '123456.789', '0.000000000001']) {
      const result = parseMoney(text)
      expect(result.ok).toBe(true)
      if (result.ok) expect(Number(JSON.stringify(result.value))).toBe(Number(text))
    }
  })
})

describe('parseOptionalMoney', () => {
  it('treats an empty input as no value', () => {
    expect(parseOptionalMoney('')).toEqual({ ok: true, value: null })
    expect(parseOptionalMoney(null)).toEqual({ ok: true, value: null })
    expect(parseOptionalMoney('', { required: true })).toEqual({ ok: false, error: 'required' })
    expect(parseOptionalMoney('2')).toEqual({ ok: true, value: 2 })
  })
})

describe('moneyToInput', () => {
  it('prints API numbers without exponents or trailing zeros', () => {
    expect(moneyToInput(1e-7)).toBe('0.0000001')
    expect(moneyToInput(12.5)).toBe('12.5')
    expect(moneyToInput(3)).toBe('3')
    expect(moneyToInput(null)).toBe('')
    expect(moneyToInput(0.000000000001)).toBe('0.000000000001')
  })
})

describe('moneyValidator', () => {
  it('passes valid and empty optional amounts, and reports errors through the message function', () => {
    const seen: (string | undefined)[] = []
    const optional = moneyValidator((e) => `bad:${e}`)
    const required = moneyValidator((e) => `bad:${e}`, { required: true, positive: true })
    optional({}, '', (e) => seen.push(e?.message))
    optional({}, '1.5', (e) => seen.push(e?.message))
    optional({}, 'x', (e) => seen.push(e?.message))
    required({}, '', (e) => seen.push(e?.message))
    required({}, '0', (e) => seen.push(e?.message))
    expect(seen).toEqual([undefined, undefined, 'bad:format', 'bad:required', 'bad:positive'])
  })
})
