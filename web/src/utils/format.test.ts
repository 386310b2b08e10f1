import { describe, expect, it } from 'vitest'
import { formatDateTime, formatDuration, formatNumber, formatUsd } from './format'

describe('formatUsd', () => {
  it('keeps every significant decimal up to ten', () => {
    expect(formatUsd(0.0000123)).toBe('$0.0000123')
    expect(formatUsd('0.0003300000')).toBe('$0.00033')
    expect(formatUsd(1.5)).toBe('$1.50')
    expect(formatUsd(12)).toBe('$12.00')
  })
  it('shows a dash for nothing', () => {
    expect(formatUsd(null)).toBe('-')
    expect(formatUsd('abc')).toBe('-')
  })
})

describe('formatNumber', () => {
  it('groups thousands and compacts on request', () => {
    expect(formatNumber(1234567)).toBe('1,234,567')
    expect(formatNumber(1234567, true)).toBe('1.2M')
    expect(formatNumber(999, true)).toBe('999')
  })
})

describe('formatDateTime / formatDuration', () => {
  it('formats local times and durations', () => {
    expect(formatDateTime(new Date(2026, 0, 2, 3, 4, 5))).toBe('2026-01-02 03:04:05')
    expect(formatDateTime(null)).toBe('-')
    expect(formatDuration(850)).toBe('850 ms')
    expect(formatDuration(1234)).toBe('1.2 s')
  })
})
