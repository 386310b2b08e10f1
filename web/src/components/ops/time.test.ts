import { describe, expect, it } from 'vitest'
import { bucketLabel, formatRelative, formatWhen, isFuture, spansDays } from './time'

const now = Date.parse('2026-12-07T08:00:00Z')

describe('formatRelative', () => {
  it('says how far in the future or past, in the largest whole unit', () => {
    expect(formatRelative('2026-12-07T08:05:00Z', now)).toBe('in 5 minutes')
    expect(formatRelative('2026-12-07T06:00:00Z', now)).toBe('2 hours ago')
    expect(formatRelative('2026-12-09T08:00:00Z', now)).toBe('in 2 days')
    expect(formatRelative('2026-12-07T07:59:30Z', now)).toBe('30 seconds ago')
    expect(formatRelative('2026-12-07T08:00:00.400Z', now)).toBe('now')
  })

  it('speaks Chinese', () => {
    expect(formatRelative('2026-12-07T08:05:00Z', now, 'zh-CN')).toBe('5分钟后')
    expect(formatRelative('2026-12-07T06:00:00Z', now, 'zh-CN')).toBe('2小时前')
  })

  it('shows a dash for no time or a bad one', () => {
    expect(formatRelative(null, now)).toBe('-')
    expect(formatRelative('', now)).toBe('-')
    expect(formatRelative('not a time', now)).toBe('-')
  })
})

describe('formatWhen', () => {
  it('puts the absolute local time next to the relative one', () => {
    const text = formatWhen('2026-12-07T08:05:00Z', now)
    expect(text.startsWith('in 5 minutes (')).toBe(true)
    expect(text).toMatch(/\(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\)$/)
    expect(formatWhen(undefined, now)).toBe('-')
  })
})

describe('isFuture', () => {
  it('is true only for a later time', () => {
    expect(isFuture('2026-12-07T08:00:01Z', now)).toBe(true)
    expect(isFuture('2026-12-07T07:59:59Z', now)).toBe(false)
    expect(isFuture(null, now)).toBe(false)
  })
})

describe('bucket labels', () => {
  it('uses the clock within a day, adds the date across days, and only the date for day buckets', () => {
    const t = new Date(2026, 11, 7, 8, 5).toISOString()
    expect(bucketLabel(t, 60, false)).toBe('08:05')
    expect(bucketLabel(t, 3600, true)).toBe('12-07 08:05')
    expect(bucketLabel(t, 86_400, true)).toBe('12-07')
    expect(bucketLabel('garbage', 60, false)).toBe('garbage')
  })

  it('knows when times cover more than one day', () => {
    expect(spansDays([new Date(2026, 11, 7, 1).toISOString(), new Date(2026, 11, 7, 23).toISOString()])).toBe(false)
    expect(spansDays([new Date(2026, 11, 7, 1).toISOString(), new Date(2026, 11, 8, 1).toISOString()])).toBe(true)
  })
})
