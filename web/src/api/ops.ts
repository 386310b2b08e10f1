import { api, type Paged } from './client'

// The ops console's routes, all under /admin/ops (admin only). Time windows are a `time_range` preset
// (5m … 7d) or start_time/end_time; lists are the usual paged shape. Rates arrive as 0–100 percentages.

export const TIME_RANGES = ['5m', '30m', '1h', '6h', '24h', '7d'] as const
export type TimeRange = (typeof TIME_RANGES)[number]

/** The window and the optional dimensions every dashboard route takes. */
export interface OpsScope {
  time_range: TimeRange
  platform?: string
  group_id?: number
  account_id?: number
}

export interface OpsOverview {
  start_time: string
  end_time: string
  request_count: number
  success_count: number
  error_count: number
  success_rate: number
  error_rate: number
  upstream_error_count: number
  upstream_error_rate: number
  qps: number
  tps: number
  p50_latency_ms: number | null
  p95_latency_ms: number | null
  p99_latency_ms: number | null
  p95_ttft_ms: number | null
  p99_ttft_ms: number | null
  active_alerts: number
  accounts_total: number
  accounts_available: number
  accounts_rate_limited: number
  accounts_error: number
  concurrency_in_use: number
  concurrency_queue_depth: number
}

export interface ThroughputPoint {
  time: string
  request_count: number
  success_count: number
  error_count: number
  tokens: number
  qps: number
}
export interface ThroughputTrend {
  bucket_seconds: number
  points: ThroughputPoint[]
}

export interface LatencyBucket {
  le_ms: number | null
  count: number
}
export interface LatencyHistogram {
  buckets: LatencyBucket[]
  p50_ms: number | null
  p95_ms: number | null
  p99_ms: number | null
}

export interface ErrorTrendPoint {
  time: string
  request_errors: number
  upstream_errors: number
}
export interface ErrorTrend {
  bucket_seconds: number
  points: ErrorTrendPoint[]
}

export interface KeyCount {
  key: string
  count: number
}
export interface AccountErrors {
  account_id: number | null
  account_name: string | null
  platform: string | null
  count: number
  last_error_at: string | null
  last_message: string | null
}
export interface ErrorDistribution {
  by_type: KeyCount[]
  by_status: KeyCount[]
  by_account: AccountErrors[]
}

export interface AccountConcurrency {
  account_id: number
  name: string
  platform: string
  in_use: number
  max: number
  waiting: number
}
export interface Concurrency {
  accounts: AccountConcurrency[]
  total_in_use: number
  total_waiting: number
}

export type AvailabilityState =
  | 'available' | 'rate_limited' | 'overloaded' | 'temp_unschedulable' | 'error' | 'disabled' | 'expired'

export interface AccountAvailability {
  account_id: number
  name: string
  platform: string
  status: string
  schedulable: boolean
  state: AvailabilityState
  until: string | null
  reason: string | null
  last_error_at: string | null
  last_error_message: string | null
}
export interface Availability {
  accounts: AccountAvailability[]
  summary: Partial<Record<Exclude<AvailabilityState, 'expired'>, number>>
}

export type ErrorKind = 'request' | 'upstream'

export interface OpsError {
  id: number
  created_at: string
  kind: ErrorKind
  phase: string
  type: string
  error_owner: string
  severity: string
  status_code: number
  platform: string | null
  model: string | null
  request_id: string
  message: string
  user_id: number | null
  user_email: string | null
  api_key_id: number | null
  account_id: number | null
  account_name: string | null
  group_id: number | null
  group_name: string | null
  client_ip: string | null
  request_path: string | null
  stream: boolean
  upstream_status_code: number | null
  failed_over: boolean
  attempt: number
  duration_ms: number | null
  resolved: boolean
  resolved_at: string | null
}

export interface OpsErrorDetail extends OpsError {
  user_agent: string | null
  upstream_error_message: string | null
  upstream_error_detail: string | null
  request_body: string | null
  request_body_bytes: number | null
  request_body_truncated: boolean
  upstream_errors?: OpsError[] | null
}

/** The error log's query: paging, window and filters, as the routes read them. */
export interface ErrorQuery {
  page: number
  page_size: number
  time_range: TimeRange
  platform?: string
  phase?: string
  error_owner?: string
  status_codes?: string
  resolved?: 'true' | 'false'
  model?: string
  q?: string
  account_id?: number
}

export interface OpsRequestRow {
  request_id: string
  created_at: string
  kind: 'success' | 'error'
  platform: string | null
  model: string | null
  status_code: number | null
  duration_ms: number | null
  ttft_ms: number | null
  user_id: number | null
  user_email: string | null
  api_key_id: number | null
  account_id: number | null
  account_name: string | null
  group_id: number | null
  tokens: number | null
  cost: number | null
  error_type: string | null
  message: string | null
  stream: boolean
}

export interface RequestQuery {
  page: number
  page_size: number
  time_range: TimeRange
  kind?: 'success' | 'error'
  platform?: string
  model?: string
  user_id?: number
  account_id?: number
  q?: string
}

export type Severity = 'P0' | 'P1' | 'P2' | 'P3'

export interface AlertRuleFilters {
  platform?: string
  group_id?: number
}

export interface AlertRule {
  id: number
  name: string
  description: string
  enabled: boolean
  severity: Severity
  metric_type: string
  operator: string
  threshold: number
  window_minutes: number
  sustained_minutes: number
  cooldown_minutes: number
  notify_email: boolean
  notify_webhook: boolean
  filters: AlertRuleFilters | null
  last_triggered_at: string | null
  created_at: string
  updated_at: string
}

export type AlertRuleInput = Omit<AlertRule, 'id' | 'last_triggered_at' | 'created_at' | 'updated_at'>

export type AlertEventStatus = 'firing' | 'resolved' | 'manual_resolved'

export interface AlertEvent {
  id: number
  rule_id: number
  rule_name: string | null
  severity: Severity
  status: AlertEventStatus
  title: string
  description: string
  metric_value: number | null
  threshold_value: number | null
  dimensions: Record<string, unknown> | string | null
  fired_at: string
  resolved_at: string | null
  email_sent: boolean
  webhook_sent: boolean
}

export interface AlertSilence {
  id: number
  rule_id: number
  platform: string | null
  group_id: number | null
  until: string
  reason: string
  created_by: number | null
  created_at: string
}

export interface AlertSilenceInput {
  rule_id: number
  platform?: string
  group_id?: number
  until: string
  reason: string
}

export interface NotificationConfig {
  webhook_url: string
  webhook_secret: string
  email_enabled: boolean
  recipients: string[]
  smtp: {
    host: string
    port: number
    username: string
    password: string
    from: string
    use_tls: boolean
  }
  min_severity: Severity
}

/**
 * Lists may come as a bare array or as the paged shape: both read as the array, so the console does not depend
 * on which one a route picked, and a missing list reads as empty.
 */
export function asList<T>(value: T[] | Paged<T> | null | undefined): T[] {
  if (Array.isArray(value)) return value
  return value?.items ?? []
}

const base = '/admin/ops'
const errorsPath = (kind: ErrorKind) => `${base}/${kind}-errors`

export const opsApi = {
  overview: (scope: OpsScope) => api.get<OpsOverview>(`${base}/dashboard/overview`, { ...scope }),
  throughput: (scope: OpsScope) => api.get<ThroughputTrend>(`${base}/dashboard/throughput-trend`, { ...scope }),
  latency: (scope: OpsScope) => api.get<LatencyHistogram>(`${base}/dashboard/latency-histogram`, { ...scope }),
  errorTrend: (scope: OpsScope) => api.get<ErrorTrend>(`${base}/dashboard/error-trend`, { ...scope }),
  errorDistribution: (scope: OpsScope) => api.get<ErrorDistribution>(`${base}/dashboard/error-distribution`, { ...scope }),
  concurrency: () => api.get<Concurrency>(`${base}/concurrency`),
  availability: () => api.get<Availability>(`${base}/account-availability`),

  errors: (kind: ErrorKind, query: ErrorQuery) => api.get<Paged<OpsError>>(errorsPath(kind), { ...query }),
  error: (kind: ErrorKind, id: number) => api.get<OpsErrorDetail>(`${errorsPath(kind)}/${id}`),
  resolve: (kind: ErrorKind, id: number, resolved: boolean) => api.put<unknown>(`${errorsPath(kind)}/${id}/resolve`, { resolved }),

  requests: (query: RequestQuery) => api.get<Paged<OpsRequestRow>>(`${base}/requests`, { ...query }),

  rules: () => api.get<AlertRule[] | Paged<AlertRule>>(`${base}/alert-rules`).then(asList),
  createRule: (rule: AlertRuleInput) => api.post<AlertRule>(`${base}/alert-rules`, rule),
  updateRule: (id: number, rule: AlertRuleInput) => api.put<AlertRule>(`${base}/alert-rules/${id}`, rule),
  deleteRule: (id: number) => api.del<unknown>(`${base}/alert-rules/${id}`),

  events: (query: { time_range?: TimeRange; status?: string; page?: number; page_size?: number }) =>
    api.get<AlertEvent[] | Paged<AlertEvent>>(`${base}/alert-events`, { ...query }),
  setEventStatus: (id: number, status: 'resolved' | 'manual_resolved') =>
    api.put<unknown>(`${base}/alert-events/${id}/status`, { status }),

  silences: () => api.get<AlertSilence[] | Paged<AlertSilence>>(`${base}/alert-silences`).then(asList),
  createSilence: (silence: AlertSilenceInput) => api.post<AlertSilence>(`${base}/alert-silences`, silence),
  deleteSilence: (id: number) => api.del<unknown>(`${base}/alert-silences/${id}`),

  notificationConfig: () => api.get<NotificationConfig>(`${base}/email-notification/config`),
  saveNotificationConfig: (config: NotificationConfig) =>
    api.put<NotificationConfig>(`${base}/email-notification/config`, config),
  sendTest: () => api.post<unknown>(`${base}/email-notification/test`, {}),
}
