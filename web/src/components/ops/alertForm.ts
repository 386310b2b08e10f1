// Alert rule, silence and notification forms, mapped to and from the API's shapes. Kept out of the components so
// the mapping (empty filters left out, numbers kept numbers, masked secrets sent back unchanged) is tested.
import type {
  AlertRule, AlertRuleInput, AlertSilenceInput, NotificationConfig, Severity,
} from '@/api/ops'

export const METRIC_TYPES = [
  'success_rate', 'error_rate', 'upstream_error_rate', 'concurrency_queue_depth', 'group_available_accounts',
  'group_available_ratio', 'account_rate_limited_count', 'account_error_count',
] as const
export const OPERATORS = ['>', '>=', '<', '<=', '==', '!='] as const
export const SEVERITIES: Severity[] = ['P0', 'P1', 'P2', 'P3']

/** The metrics measured in percent (the threshold field shows a % after it). */
export const PERCENT_METRICS = new Set<string>(['success_rate', 'error_rate', 'upstream_error_rate', 'group_available_ratio'])

export interface RuleForm {
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
  platform: string
  group_id: number | undefined
}

export const blankRule = (): RuleForm => ({
  name: '', description: '', enabled: true, severity: 'P2', metric_type: 'error_rate', operator: '>', threshold: 5,
  window_minutes: 5, sustained_minutes: 0, cooldown_minutes: 10, notify_email: false, notify_webhook: true,
  platform: '', group_id: undefined,
})

export function ruleToForm(rule: AlertRule): RuleForm {
  return {
    name: rule.name,
    description: rule.description ?? '',
    enabled: rule.enabled,
    severity: rule.severity,
    metric_type: rule.metric_type,
    operator: rule.operator,
    threshold: rule.threshold,
    window_minutes: rule.window_minutes,
    sustained_minutes: rule.sustained_minutes,
    cooldown_minutes: rule.cooldown_minutes,
    notify_email: rule.notify_email,
    notify_webhook: rule.notify_webhook,
    platform: rule.filters?.platform ?? '',
    group_id: rule.filters?.group_id ?? undefined,
  }
}

export function formToRule(form: RuleForm): AlertRuleInput {
  const filters: AlertRuleInput['filters'] = {}
  if (form.platform.trim()) filters.platform = form.platform.trim()
  if (form.group_id) filters.group_id = form.group_id
  return {
    name: form.name.trim(),
    description: form.description.trim(),
    enabled: form.enabled,
    severity: form.severity,
    metric_type: form.metric_type,
    operator: form.operator,
    threshold: Number(form.threshold),
    window_minutes: Math.trunc(form.window_minutes),
    sustained_minutes: Math.trunc(form.sustained_minutes),
    cooldown_minutes: Math.trunc(form.cooldown_minutes),
    notify_email: form.notify_email,
    notify_webhook: form.notify_webhook,
    filters,
  }
}

/** "error_rate > 5% over 5 min" — how a rule reads in the table. */
export function describeCondition(rule: Pick<AlertRule, 'metric_type' | 'operator' | 'threshold' | 'window_minutes'>, metricLabel: string, minutes: string): string {
  const unit = PERCENT_METRICS.has(rule.metric_type) ? '%' : ''
  return `${metricLabel} ${rule.operator} ${rule.threshold}${unit} / ${rule.window_minutes} ${minutes}`
}

export interface SilenceForm {
  rule_id: number | undefined
  /** Local time from the date picker, as "YYYY-MM-DD HH:mm:ss". */
  until: string
  reason: string
  platform: string
  group_id: number | undefined
}

export const blankSilence = (): SilenceForm => ({ rule_id: undefined, until: '', reason: '', platform: '', group_id: undefined })

/** The silence to create, with the until time as RFC 3339 (UTC); null when the rule or time is missing. */
export function formToSilence(form: SilenceForm): AlertSilenceInput | null {
  if (!form.rule_id || !form.until) return null
  const until = new Date(form.until.replace(' ', 'T'))
  if (Number.isNaN(until.getTime())) return null
  const silence: AlertSilenceInput = { rule_id: form.rule_id, until: until.toISOString(), reason: form.reason.trim() }
  if (form.platform.trim()) silence.platform = form.platform.trim()
  if (form.group_id) silence.group_id = form.group_id
  return silence
}

/** The notification form: secrets start empty, and the masked value the API sent shows as their placeholder. */
export interface NotificationForm {
  webhook_url: string
  webhook_secret: string
  email_enabled: boolean
  recipients: string
  smtp_host: string
  smtp_port: number
  smtp_username: string
  smtp_password: string
  smtp_from: string
  smtp_use_tls: boolean
  min_severity: Severity
}

export const blankNotificationConfig = (): NotificationConfig => ({
  webhook_url: '', webhook_secret: '', email_enabled: false, recipients: [],
  smtp: { host: '', port: 587, username: '', password: '', from: '', use_tls: true }, min_severity: 'P2',
})

export function configToForm(config: NotificationConfig | null | undefined): NotificationForm {
  const c = { ...blankNotificationConfig(), ...(config ?? {}) }
  const smtp = { ...blankNotificationConfig().smtp, ...(c.smtp ?? {}) }
  return {
    webhook_url: c.webhook_url ?? '',
    webhook_secret: '',
    email_enabled: !!c.email_enabled,
    recipients: (c.recipients ?? []).join(', '),
    smtp_host: smtp.host ?? '',
    smtp_port: smtp.port || 587,
    smtp_username: smtp.username ?? '',
    smtp_password: '',
    smtp_from: smtp.from ?? '',
    smtp_use_tls: !!smtp.use_tls,
    min_severity: c.min_severity ?? 'P2',
  }
}

/** What to send for a secret: the newly typed one, or else the masked value read (the API keeps the old secret). */
export function secretToSend(typed: string, masked: string | null | undefined): string {
  return typed.trim() ? typed.trim() : (masked ?? '')
}

/** "a@x.com, b@y.com; c@z.com" → the addresses, once each. */
export function parseRecipients(text: string): string[] {
  return [...new Set(text.split(/[\s,;，；]+/).map((r) => r.trim()).filter(Boolean))]
}

export function isEmail(text: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text)
}

export function formToConfig(form: NotificationForm, read: NotificationConfig | null | undefined): NotificationConfig {
  return {
    webhook_url: form.webhook_url.trim(),
    webhook_secret: secretToSend(form.webhook_secret, read?.webhook_secret),
    email_enabled: form.email_enabled,
    recipients: parseRecipients(form.recipients),
    smtp: {
      host: form.smtp_host.trim(),
      port: Math.trunc(Number(form.smtp_port)) || 587,
      username: form.smtp_username.trim(),
      password: secretToSend(form.smtp_password, read?.smtp?.password),
      from: form.smtp_from.trim(),
      use_tls: form.smtp_use_tls,
    },
    min_severity: form.min_severity,
  }
}
