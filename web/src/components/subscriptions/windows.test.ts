import { describe, expect, it } from 'vitest'
import { barStatus, daysLeft, formatDurationShort, usedPercent } from './windows'

describe('subscription windows', () => {
  it('computes the used share of a limit', () => {
    expect(usedPercent(2.5, 10)).toBe(25)
    expect(usedPercent(12, 10)).toBe(100)
    expect(usedPercent(5, null)).toBe(0)
    expect(usedPercent(0, 0)).toBe(100)
  })

  it('colours bars by how full they are', () => {
    expect(barStatus(10)).toBe('')
    expect(barStatus(70)).toBe('warning')
    expect(barStatus(95)).toBe('exception')
  })

  it('formats a reset countdown with two units', () => {
    expect(formatDurationShort(22 * 3600)).toBe('22h')
    expect(formatDurationShort(2 * 86400 + 5 * 3600 + 60)).toBe('2d 5h')
    expect(formatDurationShort(3 * 3600 + 20 * 60)).toBe('3h 20m')
    expect(formatDurationShort(30)).toBe('<1m')
  })

  it('counts whole days left', () => {
    const now = Date.parse('2026-06-10T12:00:00Z')
    expect(daysLeft('2026-06-13T13:00:00Z', now)).toBe(3)
    expect(daysLeft('2026-06-09T00:00:00Z', now)).toBe(0)
  })
})
