// The per-user attributes dialog: loads enabled definitions and the user's values (multi_select from its JSON
// array, numbers as numbers) and saves every field by attribute id, an emptied one as null.
import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { defineComponent, h, ref } from 'vue'
import { i18n } from '@/i18n'
import UserAttributesDialog from './UserAttributesDialog.vue'

const definitions = [
  { id: 1, key: 'company', name: 'Company', description: '', type: 'text', options: [], required: true, validation: {}, placeholder: '', display_order: 0, enabled: true, created_at: '', updated_at: '' },
  { id: 2, key: 'age', name: 'Age', description: '', type: 'number', options: [], required: false, validation: {}, placeholder: '', display_order: 1, enabled: true, created_at: '', updated_at: '' },
  { id: 3, key: 'tags', name: 'Tags', description: '', type: 'multi_select', options: [{ value: 'x', label: 'X' }, { value: 'y', label: 'Y' }], required: false, validation: {}, placeholder: '', display_order: 2, enabled: true, created_at: '', updated_at: '' },
]
const stored = [
  { id: 10, user_id: 7, attribute_id: 1, value: 'ACME', created_at: '', updated_at: '' },
  { id: 11, user_id: 7, attribute_id: 3, value: '["y"]', created_at: '', updated_at: '' },
]

describe('UserAttributesDialog', () => {
  it('loads values and saves them by attribute id', async () => {
    const sent: { url: string; method: string; body: unknown }[] = []
    const fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
      sent.push({ url, method: init?.method ?? 'GET', body: init?.body ? JSON.parse(String(init.body)) : undefined })
      const data = url.startsWith('/api/v1/admin/user-attributes') ? definitions : stored
      return new Response(JSON.stringify({ code: 0, message: 'success', data }), { status: 200, headers: { 'Content-Type': 'application/json' } })
    })
    vi.stubGlobal('fetch', fetchMock)
    const open = ref(false)
    const Host = defineComponent(() => () => h(UserAttributesDialog, {
      modelValue: open.value, 'onUpdate:modelValue': (v: boolean) => (open.value = v), userId: 7, userLabel: 'u@example.com',
    }))
    const wrapper = mount(Host, { attachTo: document.body, global: { plugins: [ElementPlus, i18n] } })
    open.value = true
    await flushPromises()
    expect(sent.map((s) => s.url)).toEqual(['/api/v1/admin/user-attributes?enabled=true', '/api/v1/admin/users/7/attributes'])
    const company = document.querySelector<HTMLInputElement>('[data-test="attr-company"]')
    expect(company?.value).toBe('ACME')

    document.querySelector<HTMLButtonElement>('[data-test="user-attributes-save"]')!.click()
    await flushPromises()
    const save = sent.find((s) => s.method === 'PUT')
    expect(save?.url).toBe('/api/v1/admin/users/7/attributes')
    expect(save?.body).toEqual({ values: { 1: 'ACME', 2: null, 3: ['y'] } })
    expect(open.value).toBe(false)
    wrapper.unmount()
    vi.unstubAllGlobals()
  })
})
