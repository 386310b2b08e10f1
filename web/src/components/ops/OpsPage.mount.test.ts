// The ops page mounted in happy-dom against a fake API (fetch): the failing account, its error and the stat cards
// show; a route that is missing (404 while the backend is being deployed) shows its error in its own card without
// breaking the rest; the error log opens a row's detail and resolves it with the exact request; no Vue warning or
// console error on the way (the browser tests fail on any).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createMemoryHistory, createRouter } from 'vue-router'
import { i18n } from '@/i18n'
import OpsPage from '@/pages/admin/ops/OpsPage.vue'

type Call = { method: string; url: string; body: unknown }

const ok = (data: unknown) => new Response(JSON.stringify({ code: 0, message: 'success', data }), { status: 200, headers: { 'content-type': 'application/json' } })
const notFound = () => new Response(JSON.stringify({ code: 404, message: 'Not Found' }), { status: 404, headers: { 'content-type': 'application/json' } })

const soon = () => new Date(Date.now() + 10 * 60_000 + 30_000).toISOString()
const errorRow = {
  id: 41, created_at: '2026-12-07T07:00:00Z', kind: 'request', phase: 'upstream', type: 'api_error', error_owner: 'provider',
  severity: 'P1', status_code: 502, platform: 'anthropic', model: 'claude-sonnet-4-5', request_id: 'req-abc',
  message: 'Upstream authentication failed', user_id: 3, user_email: 'u@example.com', api_key_id: 4, account_id: 7,
  account_name: 'broken-key', group_id: 2, group_name: 'g', client_ip: '127.0.0.1', request_path: '/v1/messages', stream: false,
  upstream_status_code: 401, failed_over: false, attempt: 0, duration_ms: 35, resolved: false, resolved_at: null,
}

let calls: Call[]
let problems: string[]
let missing: Set<string>
let wrapper: VueWrapper | null = null

function fakeApi(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const url = String(input)
  const method = init?.method ?? 'GET'
  const body = init?.body ? JSON.parse(String(init.body)) : undefined
  calls.push({ method, url, body })
  const path = url.split('?')[0].replace('/api/v1/admin/ops/', '')
  if (missing.has(path)) return Promise.resolve(notFound())
  switch (path) {
    case 'dashboard/overview':
      return Promise.resolve(ok({
        request_count: 10, success_count: 7, error_count: 3, success_rate: 70, error_rate: 30, upstream_error_count: 3,
        upstream_error_rate: 30, qps: 0.01, tps: 5, p50_latency_ms: 100, p95_latency_ms: 900, p99_latency_ms: 1200,
        p95_ttft_ms: 300, p99_ttft_ms: 400, active_alerts: 0, accounts_total: 2, accounts_available: 1, accounts_rate_limited: 0,
        accounts_error: 1, concurrency_in_use: 0, concurrency_queue_depth: 0,
      }))
    case 'dashboard/latency-histogram':
      return Promise.resolve(ok({ buckets: [{ le_ms: 100, count: 3 }, { le_ms: null, count: 1 }], p50_ms: 90, p95_ms: 200, p99_ms: 300 }))
    case 'dashboard/error-trend':
      return Promise.resolve(ok({ bucket_seconds: 60, points: [{ time: '2026-12-07T07:00:00Z', request_errors: 3, upstream_errors: 3 }] }))
    case 'dashboard/error-distribution':
      return Promise.resolve(ok({
        by_type: [{ key: 'api_error', count: 3 }], by_status: [{ key: '502', count: 3 }],
        by_account: [{ account_id: 7, account_name: 'broken-key', platform: 'anthropic', count: 3, last_error_at: '2026-12-07T07:00:00Z', last_message: 'fake 401 from upstream' }],
      }))
    case 'account-availability':
      return Promise.resolve(ok({
        accounts: [
          { account_id: 1, name: 'fine', platform: 'anthropic', status: 'active', schedulable: true, state: 'available', until: null, reason: null, last_error_at: null, last_error_message: null },
          { account_id: 7, name: 'broken-key', platform: 'anthropic', status: 'error', schedulable: false, state: 'error', until: null, reason: 'credentials refused', last_error_at: '2026-12-07T07:00:00Z', last_error_message: 'fake 401 from upstream' },
          { account_id: 8, name: 'busy-key', platform: 'anthropic', status: 'active', schedulable: true, state: 'rate_limited', until: soon(), reason: 'rate limited', last_error_at: null, last_error_message: null },
        ],
        summary: { available: 1, error: 1, rate_limited: 1 },
      }))
    case 'concurrency':
      return Promise.resolve(ok({ accounts: [{ account_id: 1, name: 'fine', platform: 'anthropic', in_use: 1, max: 3, waiting: 0 }], total_in_use: 1, total_waiting: 0 }))
    case 'request-errors':
      return Promise.resolve(ok({ items: [errorRow], total: 1, page: 1, page_size: 20, pages: 1 }))
    case 'request-errors/41':
      return Promise.resolve(ok({
        ...errorRow, user_agent: 'curl/8', upstream_error_message: 'fake 401 from upstream', upstream_error_detail: '{"type":"error"}',
        request_body: '{"model":"claude-sonnet-4-5"}', request_body_bytes: 29, request_body_truncated: false,
        upstream_errors: [{ ...errorRow, id: 42, kind: 'upstream', message: 'fake 401 from upstream' }],
      }))
    case 'request-errors/41/resolve':
      return Promise.resolve(ok({}))
    default:
      return Promise.resolve(notFound())
  }
}

const show = (a: unknown[]) => a.map((x) => (typeof x === 'string' ? x : x instanceof Error ? x.message : String(x))).join(' ')
const byTest = (name: string) => document.querySelector<HTMLElement>(`[data-test="${name}"]`)

async function settle() {
  for (let i = 0; i < 4; i++) {
    await flushPromises()
    await new Promise((r) => setTimeout(r, 0))
  }
}

beforeEach(() => {
  calls = []
  problems = []
  missing = new Set(['dashboard/throughput-trend'])
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

async function mountPage(query = '') {
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/admin/ops', name: 'admin-ops', component: OpsPage }] })
  await router.push(`/admin/ops${query}`)
  wrapper = mount(OpsPage, {
    global: { plugins: [ElementPlus, i18n, router], stubs: { EChart: { template: '<div class="chart-stub" />', props: ['option'] } } },
    attachTo: document.body,
  })
  await settle()
}

describe('OpsPage', { timeout: 20_000 }, () => {
  it('shows which account is failing, since when and with what error, and the headline numbers', async () => {
    await mountPage()
    const failing = byTest('ops-failing-accounts')!
    expect(failing.textContent).toContain('broken-key')
    expect(failing.textContent).toContain('fake 401 from upstream')
    expect(failing.textContent).toContain('credentials refused')
    expect(failing.textContent).toContain('busy-key')
    expect(failing.textContent).toContain('in 10 minutes')
    expect(failing.textContent).not.toContain('fine')
    expect(byTest('ops-failing-count')!.textContent).toContain('2 out of service')
    expect(byTest('stat-error-rate')!.textContent).toContain('30%')
    expect(byTest('stat-accounts')!.textContent).toContain('1 / 2')
    expect(byTest('ops-concurrency')!.textContent).toContain('1 slots in use')
    // The one missing route shows its error in its own card; the others still drew.
    expect(byTest('ops-throughput-chart')!.textContent).toContain('Not Found')
    expect(byTest('ops-latency-chart')!.querySelector('.chart-stub')).toBeTruthy()
    expect(calls.filter((c) => c.url.includes('time_range=1h')).length).toBe(5)
    expect(problems).toEqual([])
  })

  it('stays usable when no ops route exists yet', async () => {
    missing = new Set(['dashboard/overview', 'dashboard/throughput-trend', 'dashboard/latency-histogram', 'dashboard/error-trend',
      'dashboard/error-distribution', 'account-availability', 'concurrency'])
    await mountPage()
    expect(byTest('ops-overview-error')!.textContent).toContain('Not Found')
    expect(byTest('ops-failing-accounts')!.textContent).toContain('Not Found')
    expect(byTest('stat-requests')!.textContent).toContain('0')
    expect(problems).toEqual([])
  })

  it('asks again for the new time range', async () => {
    await mountPage()
    calls = []
    ;(byTest('ops-time-range-24h')!.querySelector('input') as HTMLInputElement).click()
    await settle()
    expect(calls.some((c) => c.url.startsWith('/api/v1/admin/ops/dashboard/overview?time_range=24h'))).toBe(true)
  })

  it('lists errors, opens one in the drawer with all its parts, and resolves it', async () => {
    await mountPage('?tab=errors')
    const table = byTest('ops-error-table')!
    expect(table.textContent).toContain('broken-key')
    expect(table.textContent).toContain('Upstream authentication failed')
    expect(calls.some((c) => c.url.startsWith('/api/v1/admin/ops/request-errors?page=1&page_size=20&time_range=1h'))).toBe(true)

    ;(table.querySelector('.el-table__row') as HTMLElement).click()
    await settle()
    const detail = byTest('ops-error-detail')!
    expect(detail.textContent).toContain('curl/8')
    expect(detail.textContent).toContain('req-abc')
    expect(byTest('ops-error-detail-body')!.tagName).toBe('PRE')
    expect(byTest('ops-error-detail-body')!.textContent).toContain('claude-sonnet-4-5')
    expect(byTest('ops-error-detail-upstream-body')!.textContent).toContain('{"type":"error"}')
    expect(byTest('ops-error-detail-upstream-errors')!.textContent).toContain('fake 401 from upstream')

    byTest('ops-error-resolve')!.click()
    await settle()
    expect(calls).toContainEqual({ method: 'PUT', url: '/api/v1/admin/ops/request-errors/41/resolve', body: { resolved: true } })
    expect(problems).toEqual([])
  })

  it('filters the error log by account from the failing-accounts card', async () => {
    await mountPage()
    ;(byTest('ops-failing-account-name') as HTMLElement).click()
    await settle()
    expect(byTest('ops-error-account-filter')!.textContent).toContain('broken-key')
    expect(calls.some((c) => c.url.includes('/request-errors?') && c.url.includes('account_id=7'))).toBe(true)
    expect(problems).toEqual([])
  })
})
