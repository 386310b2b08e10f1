import { describe, expect, it } from 'vitest'
import type { AdminSettings } from '@/api/adminSettings'
import { buildSections, isHttpUrlOrEmpty, settingsToForm, toSettingsRequest } from './settingsForm'

const server: AdminSettings = {
  registration_enabled: false, site_name: 'Sub2API', default_balance: 0.0000001, default_concurrency: 5, doc_url: '',
  smtp_port: 587, some_new_flag: true,
}

describe('buildSections', () => {
  it('shows only the settings the server returned, unknown ones in "other" typed by value', () => {
    const sections = buildSections(server)
    expect(sections.map((s) => s.key)).toEqual(['registration', 'site', 'defaults', 'other'])
    expect(sections[0].fields).toEqual([{ key: 'registration_enabled', kind: 'bool' }])
    expect(sections[3].fields).toEqual([{ key: 'smtp_port', kind: 'number' }, { key: 'some_new_flag', kind: 'bool' }])
  })

  it('skips values no input can edit', () => {
    const sections = buildSections({ site_name: 'x', nested: { a: 1 } as never })
    expect(sections.flatMap((s) => s.fields.map((f) => f.key))).toEqual(['site_name'])
  })
})

describe('toSettingsRequest', () => {
  it('sends nothing when nothing changed (money shown as exact text)', () => {
    const sections = buildSections(server)
    const form = settingsToForm(server, sections)
    expect(form.default_balance).toBe('0.0000001')
    expect(toSettingsRequest(form, server, sections)).toEqual({})
  })

  it('sends only changed keys, converted back to the API types', () => {
    const sections = buildSections(server)
    const form = { ...settingsToForm(server, sections), registration_enabled: true, default_balance: '2.50', site_name: ' Relay ', smtp_port: 465 }
    expect(toSettingsRequest(form, server, sections)).toEqual({ registration_enabled: true, default_balance: 2.5, site_name: 'Relay', smtp_port: 465 })
  })

  it('refuses an amount the rules should have caught', () => {
    const sections = buildSections(server)
    expect(() => toSettingsRequest({ ...settingsToForm(server, sections), default_balance: '-1' }, server, sections)).toThrow(/default_balance/)
  })
})

describe('isHttpUrlOrEmpty', () => {
  it('accepts http(s) URLs and empty', () => {
    expect(isHttpUrlOrEmpty('')).toBe(true)
    expect(isHttpUrlOrEmpty('https://docs.example.com/x')).toBe(true)
    expect(isHttpUrlOrEmpty('javascript:alert(1)')).toBe(false)
    expect(isHttpUrlOrEmpty('docs.example.com')).toBe(false)
  })
})
