import type { UserAttributeDefinition, UserAttributeOption, UserAttributeRequest, UserAttributeType, UserAttributeValidation } from '@/api/userAttributes'
import { isSelectType } from '@/api/userAttributes'

export const KEY_PATTERN = /^[a-z][a-z0-9_]{0,63}$/

/** What the definition dialog edits; empty validation numbers are undefined (not sent). */
export interface UserAttributeForm {
  key: string
  name: string
  description: string
  type: UserAttributeType
  options: UserAttributeOption[]
  required: boolean
  enabled: boolean
  placeholder: string
  validation: { min_length?: number; max_length?: number; min?: number; max?: number; pattern: string; message: string }
}

export const emptyUserAttributeForm = (): UserAttributeForm => ({
  key: '',
  name: '',
  description: '',
  type: 'text',
  options: [],
  required: false,
  enabled: true,
  placeholder: '',
  validation: { pattern: '', message: '' },
})

const num = (v: number | null | undefined) => (v === null || v === undefined ? undefined : v)

export function definitionToForm(d: UserAttributeDefinition): UserAttributeForm {
  const v = d.validation ?? {}
  return {
    key: d.key,
    name: d.name,
    description: d.description,
    type: d.type,
    options: (d.options ?? []).map((o) => ({ ...o })),
    required: d.required,
    enabled: d.enabled,
    placeholder: d.placeholder,
    validation: {
      min_length: num(v.min_length), max_length: num(v.max_length), min: num(v.min), max: num(v.max),
      pattern: v.pattern ?? '', message: v.message ?? '',
    },
  }
}

export function toUserAttributeRequest(form: UserAttributeForm, creating: boolean): UserAttributeRequest {
  const v = form.validation
  const validation: UserAttributeValidation = {}
  if (v.min_length !== undefined) validation.min_length = v.min_length
  if (v.max_length !== undefined) validation.max_length = v.max_length
  if (form.type === 'number') {
    if (v.min !== undefined) validation.min = v.min
    if (v.max !== undefined) validation.max = v.max
  }
  if (v.pattern.trim()) {
    validation.pattern = v.pattern
    if (v.message.trim()) validation.message = v.message.trim()
  }
  return {
    ...(creating ? { key: form.key.trim() } : {}),
    name: form.name.trim(),
    description: form.description.trim(),
    type: form.type,
    options: isSelectType(form.type) ? form.options.map((o) => ({ value: o.value.trim(), label: o.label.trim() })) : [],
    required: form.required,
    enabled: form.enabled,
    placeholder: form.placeholder.trim(),
    validation,
  }
}

/** Moves the item at `index` by `delta` places and returns the new id order. */
export function moved<T extends { id: number }>(items: T[], index: number, delta: number): number[] {
  const ids = items.map((i) => i.id)
  const target = index + delta
  if (target < 0 || target >= ids.length) return ids
  ;[ids[index], ids[target]] = [ids[target], ids[index]]
  return ids
}
