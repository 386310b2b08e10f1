import { describe, expect, it } from 'vitest'
import { emptyUserAttributeForm, KEY_PATTERN, moved, toUserAttributeRequest } from './userAttributeForm'

describe('user attribute form', () => {
  it('sends the key only on create and drops options of non-select types', () => {
    const form = emptyUserAttributeForm()
    Object.assign(form, { key: 'company', name: ' Company ', options: [{ value: 'x', label: 'X' }] })
    expect(toUserAttributeRequest(form, true)).toMatchObject({ key: 'company', name: 'Company', options: [] })
    expect(toUserAttributeRequest(form, false)).not.toHaveProperty('key')
  })

  it('sends only the validation rules that are set, min/max only for numbers', () => {
    const form = emptyUserAttributeForm()
    form.validation = { min_length: 2, min: 1, max: 9, pattern: '^a', message: ' bad ' }
    expect(toUserAttributeRequest(form, true).validation).toEqual({ min_length: 2, pattern: '^a', message: 'bad' })
    form.type = 'number'
    expect(toUserAttributeRequest(form, true).validation).toMatchObject({ min: 1, max: 9 })
  })

  it('checks keys like the server', () => {
    expect(KEY_PATTERN.test('a_1')).toBe(true)
    expect(KEY_PATTERN.test('1a')).toBe(false)
    expect(KEY_PATTERN.test('A')).toBe(false)
    expect(KEY_PATTERN.test('a'.repeat(65))).toBe(false)
  })

  it('moves a row up or down, never past the ends', () => {
    const rows = [{ id: 1 }, { id: 2 }, { id: 3 }]
    expect(moved(rows, 2, -1)).toEqual([1, 3, 2])
    expect(moved(rows, 0, -1)).toEqual([1, 2, 3])
  })
})
