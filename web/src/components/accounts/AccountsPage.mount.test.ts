// The accounts page mounted in happy-dom against a fake API (fetch): it renders the rows the API gives, reads the
// usage windows of subscription accounts only, drives the create flows with the exact requests the gateway expects,
// and logs no Vue warning or console error on the way (the browser tests fail on any).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { i18n } from '@/i18n'
import AccountsPage from '@/pages/admin/AccountsPage.vue'

type Call = { method: string; url: string; body: unknown }

function account(id: number, over: Record<string, unknown> = {}) {
  return {
    id, name: `acc-${id}`, notes: '', platform: 'anthropic', type: 'apikey', credentials: { api_key: 'sk-an…a1' }, extra: {},
    proxy_id: null, concurrency: 3, current_concurrency: 1, priority: 50, rate_multiplier: 1, status: 'active', error_message: '',
    last_used_at: null, expires_at: null, auto_pause_on_expired: true, schedulable: true, rate_limited_at: null, rate_limit_reset_at: null,
    overload_until: null, temp_unschedulable_until: null, temp_unschedulable_reason: null, session_window_start: null,
    session_window_end: null, session_window_status: null, group_ids: [], groups: [], proxy: null, created_at: '', updated_at: '', ...over,
  }
}

const ok = (data: unknown) => new Response(JSON.stringify({ code: 0, message: 'success', data }), { status: 200, headers: { 'content-type': 'application/json' } })

let calls: Call[]
let rows: ReturnType<typeof account>[]
let problems: string[]
let wrapper: VueWrapper | null = null

function fakeApi(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const url = String(input)
  const method = init?.method ?? 'GET'
  const body = init?.body ? JSON.parse(String(init.body)) : undefined
  calls.push({ method, url, body })
  const path = url.split('?')[0]
  if (method === 'GET' && path === '/api/v1/admin/accounts') return Promise.resolve(ok({ items: rows, total: rows.length, page: 1, page_size: 20, pages: 1 }))
  if (path === '/api/v1/admin/groups/all') return Promise.resolve(ok([{ id: 5, name: 'claude-max', platform: 'anthropic' }, { id: 6, name: 'oa', platform: 'openai' }]))
  if (path === '/api/v1/admin/proxies/all') return Promise.resolve(ok([{ id: 9, name: 'egress', protocol: 'socks5', host: '10.0.0.1', port: 1080 }]))
  if (/\/usage$/.test(path)) {
    const w = { utilization: 42, resets_at: '2026-12-07T05:00:00Z', remaining_seconds: 100 }
    return Promise.resolve(ok({ source: 'active', updated_at: null, five_hour: w, seven_day: { ...w, utilization: 91 }, seven_day_opus: null, seven_day_sonnet: null, error: null }))
  }
  if (path.endsWith('/generate-auth-url')) return Promise.resolve(ok({ auth_url: 'https://claude.example/oauth/authorize?x=1', session_id: 'sess-1' }))
  if (path.endsWith('/exchange-code') || path.endsWith('/cookie-auth')) {
    return Promise.resolve(ok({ access_token: 'at', token_type: 'Bearer', expires_in: 28800, expires_at: 1_900_000_000, refresh_token: 'rt', scope: 's', org_uuid: 'o', account_uuid: 'a', email_address: 'me@example.com' }))
  }
  if (path.endsWith('/test')) {
    // The stream arrives in pieces cut mid-event, as it does over the network.
    const pieces = ['data: {"type":"test_start","model":"claude-haiku"}\n\ndata: {"type":"con', 'tent","text":"Hel"}\n\n', 'data: {"type":"content","text":"lo!"}\n\ndata: {"type":"test_complete","success":true}\n\n']
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        for (const piece of pieces) c.enqueue(new TextEncoder().encode(piece))
        c.close()
      },
    })
    return Promise.resolve(new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } }))
  }
  if (method === 'GET' && path === '/api/v1/admin/error-passthrough-rules') {
    return Promise.resolve(ok([{
      id: 1, name: 'overload', enabled: true, priority: 0, error_codes: [529], keywords: ['overloaded'], match_mode: 'any', platforms: [],
      passthrough_code: true, response_code: null, passthrough_body: false, custom_message: 'busy', skip_monitoring: false, description: null,
      created_at: '', updated_at: '',
    }]))
  }
  if (method === 'POST' && path === '/api/v1/admin/accounts') return Promise.resolve(ok(account(99, body)))
  return Promise.resolve(ok({}))
}

const show = (a: unknown[]) =>
  a.map((x) => {
    try {
      return typeof x === 'string' ? x : x instanceof Error ? x.message : JSON.stringify(x)
    } catch {
      return Object.prototype.toString.call(x)
    }
  }).join(' ')

/** Element Plus puts a data-test given to el-input on the native input itself. */
const inputOf = (testId: string) => {
  const el = byTest(testId)
  return (el?.matches('input, textarea') ? el : el?.querySelector('input, textarea')) as HTMLInputElement | null
}

const byTest = (name: string) => document.querySelector<HTMLElement>(`[data-test="${name}"]`)
const allByTest = (name: string) => [...document.querySelectorAll<HTMLElement>(`[data-test="${name}"]`)]

async function settle() {
  for (let i = 0; i < 3; i++) {
    await flushPromises()
    await new Promise((r) => setTimeout(r, 0))
  }
}

async function type(testId: string, value: string) {
  const input = inputOf(testId)!
  expect(input, testId).toBeTruthy()
  input.value = value
  input.dispatchEvent(new Event('input'))
  await settle()
}

async function click(testId: string) {
  const el = byTest(testId)
  expect(el, testId).toBeTruthy()
  el!.click()
  await settle()
}

beforeEach(() => {
  calls = []
  problems = []
  rows = [
    account(1, { name: 'key-1', groups: [{ id: 5, name: 'claude-max', platform: 'anthropic' }], proxy: { id: 9, name: 'egress', protocol: 'socks5', host: '10.0.0.1', port: 1080 } }),
    account(2, {
      type: 'oauth', status: 'error', error_message: 'refresh token revoked', schedulable: false,
      rate_limit_reset_at: new Date(Date.now() + 3600_000).toISOString(),
    }),
    account(3, { type: 'setup-token' }),
  ]
  vi.stubGlobal('fetch', vi.fn(fakeApi))
  vi.spyOn(console, 'warn').mockImplementation((...a) => void problems.push(show(a)))
  vi.spyOn(console, 'error').mockImplementation((...a) => void problems.push(show(a)))
  i18n.global.locale.value = 'en'
})

afterEach(() => {
  wrapper?.unmount()
  wrapper = null
  document.body.innerHTML = ''
  vi.restoreAllMocks()
  vi.unstubAllGlobals()
})

async function mountPage() {
  wrapper = mount(AccountsPage, { global: { plugins: [ElementPlus, i18n] }, attachTo: document.body })
  await settle()
}

describe('AccountsPage', { timeout: 20_000 }, () => {
  it('lists the accounts with their marks, groups, proxy, capacity, and reads usage windows only for subscription accounts', async () => {
    await mountPage()
    expect(byTest('page-admin-accounts')).toBeTruthy()
    const text = byTest('account-table')!.textContent!
    expect(text).toContain('key-1')
    expect(text).toContain('claude-max')
    expect(text).toContain('egress')
    expect(text).toContain('1 / 3')
    expect(text).toContain('refresh token revoked')
    expect(byTest('account-mark-rateLimited')?.textContent).toMatch(/Rate limited until \d{4}-\d\d-\d\d/)
    expect(allByTest('account-clear-error')).toHaveLength(1)
    expect(allByTest('account-clear-rate-limit')).toHaveLength(1)
    expect(allByTest('account-refresh')).toHaveLength(2)
    const usageCalls = calls.filter((c) => c.url.endsWith('/usage')).map((c) => c.url)
    expect(usageCalls.sort()).toEqual(['/api/v1/admin/accounts/2/usage', '/api/v1/admin/accounts/3/usage'])
    expect(problems).toEqual([])
  })

  it('sends the filters to the server and starts again from page 1', async () => {
    await mountPage()
    await type('account-filter-search', 'max')
    await new Promise((r) => setTimeout(r, 350))
    await settle()
    const last = calls.filter((c) => c.method === 'GET' && c.url.startsWith('/api/v1/admin/accounts?')).pop()!
    expect(last.url).toContain('search=max')
    expect(last.url).toContain('page=1')
    expect(problems).toEqual([])
  })

  it('creates an API-key account from the form', async () => {
    await mountPage()
    await click('account-create')
    await click('account-create-apikey')
    await type('account-form-name', 'new-key')
    await type('account-form-api-key', 'sk-ant-api03-secret')
    await type('account-form-base-url', 'https://relay.example')
    await click('account-form-submit')
    const post = calls.find((c) => c.method === 'POST' && c.url === '/api/v1/admin/accounts')
    expect(post?.body).toEqual({
      name: 'new-key', notes: '', platform: 'anthropic', type: 'apikey',
      credentials: { api_key: 'sk-ant-api03-secret', base_url: 'https://relay.example' },
      group_ids: [], proxy_id: null, concurrency: 3, priority: 50,
    })
    expect(problems).toEqual([])
  })

  it('runs the OAuth wizard: link, code exchange with the session id, then creates the account from the tokens', async () => {
    await mountPage()
    await click('account-create')
    await click('account-create-oauth')
    await click('oauth-method-link')
    await click('oauth-generate-link')
    expect(inputOf('oauth-auth-url')?.value).toBe('https://claude.example/oauth/authorize?x=1')
    await type('oauth-code-input', 'abc#state')
    await click('oauth-exchange')
    expect(calls.find((c) => c.url.endsWith('/exchange-code'))?.body).toEqual({ session_id: 'sess-1', code: 'abc#state' })
    expect(inputOf('oauth-name-input')?.value).toBe('claude-me@example.com')
    await type('oauth-name-input', 'max-1')
    await click('oauth-submit')
    const post = calls.find((c) => c.method === 'POST' && c.url === '/api/v1/admin/accounts')
    expect(post?.body).toMatchObject({
      name: 'max-1', platform: 'anthropic', type: 'oauth',
      credentials: { access_token: 'at', refresh_token: 'rt', expires_at: 1_900_000_000 },
      extra: { org_uuid: 'o', account_uuid: 'a', email_address: 'me@example.com' },
    })
    expect(problems).toEqual([])
  })

  it('runs the cookie method of the wizard', async () => {
    await mountPage()
    await click('account-create')
    await click('account-create-oauth')
    await click('oauth-method-cookie')
    await type('oauth-cookie-input', 'sessionKey=sk-ant-sid01-x')
    await click('oauth-cookie-submit')
    expect(calls.find((c) => c.url.endsWith('/cookie-auth'))?.body).toEqual({ code: 'sk-ant-sid01-x' })
    expect(byTest('oauth-name-input')).toBeTruthy()
    expect(problems).toEqual([])
  })

  it('opens the error passthrough rules', async () => {
    await mountPage()
    await click('passthrough-rules-open')
    expect(byTest('passthrough-rule-table')?.textContent).toContain('overload')
    await click('passthrough-rule-create')
    await type('passthrough-rule-form-name', 'r2')
    await type('passthrough-rule-form-codes', '429, 503')
    await click('passthrough-rule-form-submit')
    expect(calls.find((c) => c.method === 'POST' && c.url === '/api/v1/admin/error-passthrough-rules')?.body).toMatchObject({
      name: 'r2', error_codes: [429, 503], keywords: [], passthrough_code: true, passthrough_body: true,
    })
    expect(calls.some((c) => c.url === '/api/v1/admin/error-passthrough-rules')).toBe(true)
    expect(problems).toEqual([])
  })

  it('shows the live test output as the events arrive', async () => {
    await mountPage()
    allByTest('account-test')[0].click()
    await settle()
    const output = byTest('account-test-output')!
    expect(output.textContent).toContain('claude-haiku')
    expect(output.textContent).toContain('Hello!')
    expect(output.textContent).toContain('Test passed')
    expect(output.dataset.outcome).toBe('success')
    expect(calls.find((c) => c.url === '/api/v1/admin/accounts/1/test')?.method).toBe('POST')
    expect(problems).toEqual([])
  })

  it('edits an API-key account keeping the stored key when the key field stays empty', async () => {
    await mountPage()
    allByTest('account-edit')[0].click()
    await settle()
    expect(inputOf('account-form-name')?.value).toBe('key-1')
    await type('account-form-name', 'key-1-renamed')
    await click('account-form-submit')
    const put = calls.find((c) => c.method === 'PUT' && c.url === '/api/v1/admin/accounts/1')
    expect(put?.body).toMatchObject({ name: 'key-1-renamed', credentials: { api_key: 'sk-an…a1' }, status: 'active' })
    expect(problems).toEqual([])
  })

  it('toggles scheduling and deletes after confirming', async () => {
    await mountPage()
    allByTest('account-schedulable')[0].click()
    await settle()
    expect(calls.find((c) => c.url === '/api/v1/admin/accounts/1/schedulable')?.body).toEqual({ schedulable: false })
    allByTest('account-delete')[0].click()
    await settle()
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false)
    const confirm = [...document.querySelectorAll<HTMLButtonElement>('.el-message-box button')].find((b) => b.textContent?.includes('Delete'))
    confirm!.click()
    await settle()
    expect(calls.find((c) => c.method === 'DELETE')?.url).toBe('/api/v1/admin/accounts/1')
    expect(problems).toEqual([])
  })
})
