import { describe, expect, it } from 'vitest'
import {
  blankErrorFilters, blankRequestFilters, errorQuery, parseStatusCodes, requestQuery, severityTagType, statusTagType,
} from './filters'

describe('parseStatusCodes', () => {
  it('accepts codes separated by commas or spaces, once each', () => {
    expect(parseStatusCodes('500, 502 429')).toBe('500,502,429')
    expect(parseStatusCodes('401，401')).toBe('401')
    expect(parseStatusCodes('  ')).toBe('')
  })

  it('refuses anything that is not an HTTP status', () => {
    expect(parseStatusCodes('50')).toBeNull()
    expect(parseStatusCodes('abc')).toBeNull()
    expect(parseStatusCodes('700')).toBeNull()
    expect(parseStatusCodes('500,5000')).toBeNull()
  })
})

describe('errorQuery', () => {
  it('sends only the filters that are set, trimmed', () => {
    expect(errorQuery(blankErrorFilters(), '1h', 1, 20)).toEqual({
      page: 1, page_size: 20, time_range: '1h', platform: undefined, phase: undefined, error_owner: undefined,
      status_codes: undefined, resolved: undefined, model: undefined, q: undefined, account_id: undefined,
    })
  })

  it('maps every field to the route\'s parameter name', () => {
    const q = errorQuery({
      platform: 'anthropic', phase: 'upstream', owner: 'provider', statusCodes: '401 500', resolved: 'false',
      model: ' claude-sonnet-4-5 ', q: ' req-1 ', accountId: 7,
    }, '24h', 3, 50)
    expect(q).toEqual({
      page: 3, page_size: 50, time_range: '24h', platform: 'anthropic', phase: 'upstream', error_owner: 'provider',
      status_codes: '401,500', resolved: 'false', model: 'claude-sonnet-4-5', q: 'req-1', account_id: 7,
    })
  })

  it('drops bad status codes instead of sending them', () => {
    expect(errorQuery({ ...blankErrorFilters(), statusCodes: 'x' }, '1h', 1, 20).status_codes).toBeUndefined()
  })
})

describe('requestQuery', () => {
  it('maps the drilldown filters', () => {
    expect(requestQuery({ kind: 'error', platform: '', model: 'm', userId: 3, accountId: undefined, q: 'abc' }, '6h', 2, 20)).toEqual({
      page: 2, page_size: 20, time_range: '6h', kind: 'error', platform: undefined, model: 'm', user_id: 3,
      account_id: undefined, q: 'abc',
    })
    expect(requestQuery(blankRequestFilters(), '5m', 1, 20).kind).toBeUndefined()
  })
})

describe('tag colours', () => {
  it('grade statuses and severities', () => {
    expect(statusTagType(502)).toBe('danger')
    expect(statusTagType(429)).toBe('warning')
    expect(statusTagType(200)).toBe('success')
    expect(statusTagType(null)).toBe('info')
    expect(severityTagType('P0')).toBe('danger')
    expect(severityTagType('P2')).toBe('warning')
    expect(severityTagType('P3')).toBe('primary')
    expect(severityTagType(undefined)).toBe('info')
  })
})
