import { describe, expect, it } from 'vitest'
import type { AlertRule, NotificationConfig } from '@/api/ops'
import {
  blankRule, configToForm, describeCondition, formToConfig, formToRule, formToSilence, isEmail, parseRecipients,
  ruleToForm, secretToSend,
} from './alertForm'

const rule: AlertRule = {
  id: 4, name: 'Errors', description: 'd', enabled: true, severity: 'P1', metric_type: 'error_rate', operator: '>=',
  threshold: 10, window_minutes: 5, sustained_minutes: 2, cooldown_minutes: 15, notify_email: true, notify_webhook: false,
  filters: { platform: 'anthropic', group_id: 3 }, last_triggered_at: null, created_at: '', updated_at: '',
}

describe('alert rule form', () => {
  it('round-trips a rule with its filters', () => {
    const form = ruleToForm(rule)
    expect(form.platform).toBe('anthropic')
    expect(form.group_id).toBe(3)
    const { id: _id, last_triggered_at: _l, created_at: _c, updated_at: _u, ...input } = rule
    expect(formToRule(form)).toEqual(input)
  })

  it('leaves empty filters out and trims the name', () => {
    const out = formToRule({ ...blankRule(), name: '  High errors ', threshold: '7.5' as unknown as number, window_minutes: 5.9 })
    expect(out.name).toBe('High errors')
    expect(out.filters).toEqual({})
    expect(out.threshold).toBe(7.5)
    expect(out.window_minutes).toBe(5)
  })

  it('reads a rule without filters', () => {
    expect(ruleToForm({ ...rule, filters: null }).platform).toBe('')
  })

  it('describes the condition with a % for rate metrics', () => {
    expect(describeCondition(rule, 'Error rate', 'min')).toBe('Error rate >= 10% / 5 min')
    expect(describeCondition({ ...rule, metric_type: 'concurrency_queue_depth', threshold: 20 }, 'Queue', 'min')).toBe('Queue >= 20 / 5 min')
  })
})

describe('silence form', () => {
  it('needs a rule and a time, and sends the time as UTC', () => {
    expect(formToSilence({ rule_id: undefined, until: '2026-12-07 10:00:00', reason: '', platform: '', group_id: undefined })).toBeNull()
    expect(formToSilence({ rule_id: 1, until: '', reason: '', platform: '', group_id: undefined })).toBeNull()
    const s = formToSilence({ rule_id: 1, until: '2026-12-07 10:00:00', reason: ' maintenance ', platform: 'anthropic', group_id: 2 })
    expect(s).toEqual({
      rule_id: 1, until: new Date(2026, 11, 7, 10, 0, 0).toISOString(), reason: 'maintenance', platform: 'anthropic', group_id: 2,
    })
  })
})

describe('notification config', () => {
  const read: NotificationConfig = {
    webhook_url: 'https://hooks.example.com/x', webhook_secret: '***abcd', email_enabled: true,
    recipients: ['ops@example.com', 'b@example.com'],
    smtp: { host: 'smtp.example.com', port: 465, username: 'u', password: '***wxyz', from: 'gw@example.com', use_tls: true },
    min_severity: 'P1',
  }

  it('starts secrets empty (the masked value is only a placeholder)', () => {
    const form = configToForm(read)
    expect(form.webhook_secret).toBe('')
    expect(form.smtp_password).toBe('')
    expect(form.recipients).toBe('ops@example.com, b@example.com')
    expect(form.smtp_port).toBe(465)
  })

  it('sends the masked value back when a secret was not retyped, so the API keeps it', () => {
    const out = formToConfig(configToForm(read), read)
    expect(out).toEqual(read)
  })

  it('sends a newly typed secret', () => {
    const form = { ...configToForm(read), smtp_password: 'new-pass', webhook_secret: ' s3cret ' }
    const out = formToConfig(form, read)
    expect(out.smtp.password).toBe('new-pass')
    expect(out.webhook_secret).toBe('s3cret')
    expect(secretToSend('', undefined)).toBe('')
  })

  it('fills defaults for a missing or partial config', () => {
    const form = configToForm(null)
    expect(form.smtp_port).toBe(587)
    expect(form.min_severity).toBe('P2')
    expect(configToForm({ webhook_url: 'x' } as NotificationConfig).smtp_host).toBe('')
  })

  it('parses and checks recipients', () => {
    expect(parseRecipients('a@x.com, b@y.com;a@x.com\nc@z.com')).toEqual(['a@x.com', 'b@y.com', 'c@z.com'])
    expect(isEmail('a@x.com')).toBe(true)
    expect(isEmail('nope')).toBe(false)
  })
})
