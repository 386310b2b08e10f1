import type { AdminAnnouncement, AnnouncementRequest, AnnouncementTargeting } from '@/api/announcements'

/** What the dialog edits: times as Dates (null: none), targeting as a deep copy. */
export interface AnnouncementForm {
  title: string
  content: string
  status: string
  starts_at: Date | null
  ends_at: Date | null
  targeting: AnnouncementTargeting
}

export const emptyAnnouncementForm = (): AnnouncementForm => ({
  title: '',
  content: '',
  status: 'draft',
  starts_at: null,
  ends_at: null,
  targeting: { any_of: [] },
})

export function announcementToForm(a: AdminAnnouncement): AnnouncementForm {
  return {
    title: a.title,
    content: a.content,
    status: a.status,
    starts_at: a.starts_at ? new Date(a.starts_at) : null,
    ends_at: a.ends_at ? new Date(a.ends_at) : null,
    targeting: { any_of: JSON.parse(JSON.stringify(a.targeting?.any_of ?? [])) },
  }
}

/** Unix seconds; 0 means "no time" (on update it clears the stored one). */
const seconds = (d: Date | null) => (d ? Math.floor(d.getTime() / 1000) : 0)

export function toAnnouncementRequest(form: AnnouncementForm): AnnouncementRequest {
  return {
    title: form.title.trim(),
    content: form.content,
    status: form.status,
    starts_at: seconds(form.starts_at),
    ends_at: seconds(form.ends_at),
    targeting: form.targeting,
  }
}

/** A subscription condition without groups would never match anyone: the server refuses it too. */
export const targetingComplete = (targeting: AnnouncementTargeting) =>
  targeting.any_of.every((g) => g.all_of.every((c) => c.type !== 'subscription' || c.group_ids.length > 0))
