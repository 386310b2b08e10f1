// The four admin CRUD pages mounted for real (Element Plus, i18n, Pinia) against a fake fetch that answers like
// the gateway: they render the API's rows, send the requests the forms build, and log no Vue warning or error.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createPinia, setActivePinia } from 'pinia'
import type { Component } from 'vue'
import { i18n, setLocale } from '@/i18n'
import { useAuthStore } from '@/stores/auth'
import UsersPage from './UsersPage.vue'
import GroupsPage from './GroupsPage.vue'
import ProxiesPage from './ProxiesPage.vue'
import SettingsPage from './SettingsPage.vue'

/** Mounting Element Plus pages takes ~1 s each on an idle machine; leave room for a loaded CI box. */
const PAGE_TEST_TIMEOUT = 30_000

interface Call {
  method: string
  path: string
  body: unknown
}

type Handler = (call: Call) => unknown

let calls: Call[] = []
let routes: Record<string, Handler> = {}
const consoleProblems: string[] = []

const page = <T>(items: T[]) => ({ items, total: items.length, page: 1, page_size: 20, pages: 1 })
const ok = (data: unknown) => new Response(JSON.stringify({ code: 0, message: 'success', data }), { status: 200, headers: { 'Content-Type': 'application/json' } })

const user = {
  id: 2, email: 'alice@example.com', username: 'alice', notes: '', role: 'user', balance: 12.3456789012, concurrency: 3,
  status: 'active', totp_enabled: false, allowed_groups: [5], group_rates: {}, created_at: '2026-12-01T00:00:00Z', updated_at: '',
}
const group = {
  id: 5, name: 'vip', description: 'VIP', platform: 'anthropic', rate_multiplier: 1.5, is_exclusive: true, status: 'active',
  subscription_type: 'standard', daily_limit_usd: null, weekly_limit_usd: null, monthly_limit_usd: null, default_validity_days: 30,
  image_price_1k: null, image_price_2k: null, image_price_4k: null, claude_code_only: false, fallback_group_id: null,
  fallback_group_id_on_invalid_request: null, model_routing: {}, model_routing_enabled: false, mcp_xml_inject: true,
  supported_model_scopes: ['claude'], sort_order: 0, account_count: 4, created_at: '', updated_at: '',
}
const group2 = { ...group, id: 6, name: 'team', is_exclusive: false, account_count: 0 }
const proxy = {
  id: 3, name: 'tokyo', protocol: 'socks5', host: '10.0.0.2', port: 1080, username: 'bob', password: 'se****et', status: 'active',
  account_count: 2, created_at: '', updated_at: '',
}
const settings = {
  api_base_url: '', contact_info: '', default_balance: 0, default_concurrency: 5, doc_url: '', registration_enabled: false,
  site_logo: '', site_name: 'Sub2API', site_subtitle: '',
}

function mountPage(component: Component): VueWrapper {
  const pinia = createPinia()
  setActivePinia(pinia)
  useAuthStore().user = { id: 1, email: 'admin@example.com', username: 'admin', role: 'admin', balance: 0, concurrency: 5, status: 'active', created_at: '' }
  return mount(component, { attachTo: document.body, global: { plugins: [ElementPlus, i18n, pinia] } })
}

const $ = <T extends Element = HTMLElement>(selector: string) => document.body.querySelector<T>(selector)

async function type(selector: string, value: string) {
  const input = $<HTMLInputElement>(`${selector}`)
  expect(input, selector).not.toBeNull()
  input!.value = value
  input!.dispatchEvent(new Event('input'))
  await flushPromises()
}

async function click(selector: string) {
  const element = $(selector)
  expect(element, selector).not.toBeNull()
  element!.click()
  await flushPromises()
}

/** Element Plus validates asynchronously and dialogs animate: let both settle. */
async function settle() {
  for (let i = 0; i < 5; i++) {
    await flushPromises()
    await new Promise((r) => setTimeout(r, 0))
  }
}

/** Vue passes component instances (no prototype, so String() throws) along with its warnings. */
function describeArgs(args: unknown[]) {
  return args.map((a) => (typeof a === 'string' ? a : Object.prototype.toString.call(a))).join(' ')
}

/** Polls a condition until it holds or the deadline passes (Element Plus shows field errors after a debounce). */
async function until(condition: () => boolean, timeoutMs = 2000) {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 20))
  }
}

beforeEach(() => {
  setLocale('en')
  calls = []
  consoleProblems.length = 0
  vi.spyOn(console, 'warn').mockImplementation((...args) => void consoleProblems.push(describeArgs(args)))
  vi.spyOn(console, 'error').mockImplementation((...args) => void consoleProblems.push(describeArgs(args)))
  vi.stubGlobal('fetch', async (input: string, init?: RequestInit) => {
    const url = new URL(input, 'http://localhost')
    const call = { method: init?.method ?? 'GET', path: url.pathname + url.search, body: init?.body ? JSON.parse(String(init.body)) : undefined }
    calls.push(call)
    const handler = routes[`${call.method} ${url.pathname}`]
    if (!handler) return new Response(JSON.stringify({ code: 404, message: `no fake for ${call.method} ${url.pathname}` }), { status: 404 })
    return ok(handler(call))
  })
})

afterEach(() => {
  document.body.innerHTML = ''
  vi.restoreAllMocks()
  vi.unstubAllGlobals()
})

describe('UsersPage', { timeout: PAGE_TEST_TIMEOUT }, () => {
  beforeEach(() => {
    routes = {
      'GET /api/v1/admin/users': () => page([user]),
      'GET /api/v1/admin/groups/all': () => [group],
      'POST /api/v1/admin/users': (c) => ({ ...user, id: 9, ...(c.body as object) }),
      'PUT /api/v1/admin/users/2': (c) => ({ ...user, ...(c.body as object) }),
      'POST /api/v1/admin/users/2/balance': () => ({ ...user, balance: 13.3456789012 }),
      'GET /api/v1/admin/users/2/balance-history': () => page([{ id: 1, code: 'X', type: 'admin_balance', value: 1, status: 'used', used_by: 2, used_at: '2026-12-02T00:00:00Z', notes: 'gift', created_at: '' }]),
    }
  })

  it('shows users with exact balances and group names, filtered on the server', async () => {
    const wrapper = mountPage(UsersPage)
    await settle()
    const table = $('[data-test="user-table"]')!
    expect(table.textContent).toContain('alice@example.com')
    expect(table.textContent).toContain('$12.3456789012')
    expect(table.textContent).toContain('vip')
    await type('[data-test="user-search"]', 'ali')
    await click('[data-test="user-search-submit"]')
    expect(calls.at(-1)?.path).toBe('/api/v1/admin/users?page=1&page_size=20&search=ali')
    expect(consoleProblems).toEqual([])
    wrapper.unmount()
  })

  it('creates a user with the mapped request', async () => {
    const wrapper = mountPage(UsersPage)
    await settle()
    await click('[data-test="user-create"]')
    await settle()
    await type('[data-test="user-form-email"]', 'new@example.com')
    await type('[data-test="user-form-password"]', 'secret-123')
    await type('[data-test="user-form-balance"]', '0.5')
    await click('[data-test="user-form-submit"]')
    await settle()
    const post = calls.find((c) => c.method === 'POST')
    expect(post?.body).toEqual({ email: 'new@example.com', password: 'secret-123', balance: 0.5, concurrency: 5, role: 'user' })
    expect(consoleProblems).toEqual([])
    wrapper.unmount()
  })

  it('edits a user: every shown field sent, the empty password and untouched rates left out', async () => {
    const wrapper = mountPage(UsersPage)
    await settle()
    await click('[data-test="user-edit"]')
    await settle()
    expect($<HTMLInputElement>('[data-test="user-form-password"]')?.value).toBe('')
    await type('[data-test="user-form-username"]', 'alice2')
    await click('[data-test="user-form-submit"]')
    await settle()
    expect(calls.find((c) => c.method === 'PUT')?.body).toEqual({
      email: 'alice@example.com', username: 'alice2', notes: '', concurrency: 3, role: 'user', status: 'active', allowed_groups: [5],
    })
    expect($('[data-test="user-table"]')?.textContent).toContain('alice2')
    expect(consoleProblems).toEqual([])
    wrapper.unmount()
  })

  it('adjusts a balance and shows the history', async () => {
    const wrapper = mountPage(UsersPage)
    await settle()
    await click('[data-test="user-balance"]')
    await settle()
    expect($('[data-test="balance-history-table"]')?.textContent).toContain('+$1.00')
    await type('[data-test="balance-form-amount"]', '1')
    await click('[data-test="balance-form-submit"]')
    await settle()
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ balance: 1, operation: 'add' })
    expect($('[data-test="balance-current"]')?.textContent).toBe('$13.3456789012')
    expect(consoleProblems).toEqual([])
    wrapper.unmount()
  })

  it('refuses a malformed amount without calling the API', async () => {
    const wrapper = mountPage(UsersPage)
    await settle()
    await click('[data-test="user-balance"]')
    await settle()
    await type('[data-test="balance-form-amount"]', '1e3')
    await click('[data-test="balance-form-submit"]')
    await settle()
    await until(() => document.body.textContent!.includes('A plain number'))
    expect(calls.some((c) => c.method === 'POST')).toBe(false)
    wrapper.unmount()
  })
})

describe('GroupsPage', { timeout: PAGE_TEST_TIMEOUT }, () => {
  beforeEach(() => {
    routes = {
      'GET /api/v1/admin/groups': () => page([group, group2]),
      'GET /api/v1/admin/groups/all': () => [group, group2],
      'PUT /api/v1/admin/groups/sort-order': () => ({ message: 'ok', updated: 2 }),
      'POST /api/v1/admin/groups': (c) => ({ ...group, id: 7, ...(c.body as object) }),
    }
  })

  it('lists groups and moves one up through the sort-order endpoint', async () => {
    const wrapper = mountPage(GroupsPage)
    await settle()
    expect($('[data-test="group-table"]')?.textContent).toContain('team')
    const ups = document.body.querySelectorAll<HTMLButtonElement>('[data-test="group-move-up"]')
    ups[1].click()
    await settle()
    const put = calls.find((c) => c.method === 'PUT')
    // Both started at 0 (ordered by id): 6 goes first by moving 5 after it; 6 keeps its 0.
    expect(put?.body).toEqual({ updates: [{ id: 5, sort_order: 1 }] })
    expect(consoleProblems).toEqual([])
    wrapper.unmount()
  })

  it('creates a group with exact numbers and null limits', async () => {
    const wrapper = mountPage(GroupsPage)
    await settle()
    await click('[data-test="group-create"]')
    await settle()
    await type('[data-test="group-form-name"]', 'new')
    await type('[data-test="group-form-rate"]', '0.75')
    await click('[data-test="group-form-submit"]')
    await settle()
    const post = calls.find((c) => c.method === 'POST')
    expect(post?.body).toMatchObject({ name: 'new', platform: 'anthropic', rate_multiplier: 0.75, daily_limit_usd: null, model_routing: {} })
    expect(consoleProblems).toEqual([])
    wrapper.unmount()
  })
})

describe('ProxiesPage', { timeout: PAGE_TEST_TIMEOUT }, () => {
  beforeEach(() => {
    routes = {
      'GET /api/v1/admin/proxies': () => page([proxy]),
      'PUT /api/v1/admin/proxies/3': (c) => ({ ...proxy, ...(c.body as object), password: 'se****et' }),
    }
  })

  it('edits a proxy without sending the masked password back', async () => {
    const wrapper = mountPage(ProxiesPage)
    await settle()
    expect($('[data-test="proxy-table"]')?.textContent).toContain('10.0.0.2:1080')
    await click('[data-test="proxy-edit"]')
    await settle()
    expect($<HTMLInputElement>('[data-test="proxy-form-password"]')?.value).toBe('')
    await type('[data-test="proxy-form-name"]', 'osaka')
    await click('[data-test="proxy-form-submit"]')
    await settle()
    const put = calls.find((c) => c.method === 'PUT')
    expect(put?.body).toEqual({ name: 'osaka', protocol: 'socks5', host: '10.0.0.2', port: 1080, username: 'bob', status: 'active' })
    expect(consoleProblems).toEqual([])
    wrapper.unmount()
  })
})

describe('SettingsPage', { timeout: PAGE_TEST_TIMEOUT }, () => {
  beforeEach(() => {
    routes = {
      'GET /api/v1/admin/settings': () => settings,
      'PUT /api/v1/admin/settings': (c) => ({ ...settings, ...(c.body as object) }),
    }
  })

  it('saves only the changed settings', async () => {
    const wrapper = mountPage(SettingsPage)
    await settle()
    expect($<HTMLInputElement>('[data-test="settings-site-name"]')?.value).toBe('Sub2API')
    await type('[data-test="settings-site-name"]', 'My Relay')
    await click('[data-test="settings-registration-enabled"]')
    await click('[data-test="settings-save"]')
    await settle()
    const put = calls.find((c) => c.method === 'PUT')
    expect(put?.body).toEqual({ site_name: 'My Relay', registration_enabled: true })
    expect(consoleProblems).toEqual([])
    wrapper.unmount()
  })
})
