import { describe, expect, it } from 'vitest'
import { emptyCleanupForm, filterLabels, rangeDays, toCleanupRequest } from './cleanupForm'

describe('cleanup task form', () => {
  it('counts inclusive days', () => {
    expect(rangeDays(['2026-05-01', '2026-05-01'])).toBe(1)
    expect(rangeDays(['2026-05-01', '2026-05-31'])).toBe(31)
    expect(rangeDays(['2026-02-01', '2026-03-04'])).toBe(32)
  })

  it('sends only the filters that are set', () => {
    const form = { ...emptyCleanupForm(), range: ['2026-05-01', '2026-05-02'] as [string, string], userId: 3, model: ' m ', stream: 'false' as const, billingType: '1' as const }
    expect(toCleanupRequest(form)).toEqual({ start_date: '2026-05-01', end_date: '2026-05-02', user_id: 3, model: 'm', stream: false, billing_type: 1 })
    expect(toCleanupRequest({ ...emptyCleanupForm(), range: ['2026-05-01', '2026-05-01'] })).toEqual({ start_date: '2026-05-01', end_date: '2026-05-01' })
  })

  it('labels the filters of a task', () => {
    expect(filterLabels(null)).toEqual([])
    expect(filterLabels({ start_time: 'a', end_time: 'b', user_id: 7, stream: false, model: null })).toEqual(['user=7', 'stream=false'])
  })
})
