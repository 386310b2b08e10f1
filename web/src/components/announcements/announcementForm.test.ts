import { describe, expect, it } from 'vitest'
import { announcementToForm, emptyAnnouncementForm, targetingComplete, toAnnouncementRequest } from './announcementForm'
import type { AdminAnnouncement } from '@/api/announcements'

const stored: AdminAnnouncement = {
  id: 1, title: 'T', content: 'a\nb', status: 'active',
  targeting: { any_of: [{ all_of: [{ type: 'balance', operator: 'gte', value: 5 }] }] },
  starts_at: '2026-01-01T00:00:00Z', ends_at: null, created_by: 1, updated_by: 1, created_at: '', updated_at: '',
}

describe('announcement form', () => {
  it('sends Unix seconds, and 0 for an empty time (clears it)', () => {
    const body = toAnnouncementRequest(announcementToForm(stored))
    expect(body.starts_at).toBe(Date.UTC(2026, 0, 1) / 1000)
    expect(body.ends_at).toBe(0)
    expect(body.targeting).toEqual(stored.targeting)
  })

  it('copies the targeting so editing the form does not change the row', () => {
    const form = announcementToForm(stored)
    form.targeting.any_of.push({ all_of: [] })
    expect(stored.targeting.any_of).toHaveLength(1)
  })

  it('trims the title and defaults to a draft for everyone', () => {
    const form = emptyAnnouncementForm()
    form.title = '  hi  '
    const body = toAnnouncementRequest(form)
    expect(body).toMatchObject({ title: 'hi', status: 'draft', targeting: { any_of: [] } })
  })

  it('refuses subscription conditions without groups', () => {
    expect(targetingComplete({ any_of: [{ all_of: [{ type: 'subscription', operator: 'in', group_ids: [] }] }] })).toBe(false)
    expect(targetingComplete({ any_of: [{ all_of: [{ type: 'subscription', operator: 'in', group_ids: [3] }] }] })).toBe(true)
  })
})
