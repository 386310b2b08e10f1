// The admin group dialog's form model, its mapping to POST/PUT /admin/groups, and the sort-order moves.
import type { AdminGroup, GroupRequest, SortOrderUpdate } from '@/api/adminGroups'
import { MAX_MULTIPLIER, moneyToInput, parseMoney, parseOptionalMoney } from './money'

/** One model-routing rule as edited: a model pattern and the account ids as typed ("1, 2 3"). */
export interface RoutingRow {
  pattern: string
  accounts: string
}

export interface GroupFormModel {
  name: string
  description: string
  platform: string
  rate_multiplier: string
  is_exclusive: boolean
  status: 'active' | 'disabled'
  subscription_type: 'standard' | 'subscription'
  /** Empty = no limit. */
  daily_limit_usd: string
  weekly_limit_usd: string
  monthly_limit_usd: string
  default_validity_days: number
  /** Empty = the price table's price. */
  image_price_1k: string
  image_price_2k: string
  image_price_4k: string
  claude_code_only: boolean
  fallback_group_id: number | null
  fallback_group_id_on_invalid_request: number | null
  model_routing_enabled: boolean
  model_routing: RoutingRow[]
  mcp_xml_inject: boolean
  supported_model_scopes: string[]
}

export function emptyGroupForm(): GroupFormModel {
  return {
    name: '', description: '', platform: 'anthropic', rate_multiplier: '1', is_exclusive: false, status: 'active',
    subscription_type: 'standard', daily_limit_usd: '', weekly_limit_usd: '', monthly_limit_usd: '',
    default_validity_days: 30, image_price_1k: '', image_price_2k: '', image_price_4k: '', claude_code_only: false,
    fallback_group_id: null, fallback_group_id_on_invalid_request: null, model_routing_enabled: false, model_routing: [],
    mcp_xml_inject: true, supported_model_scopes: ['claude', 'gemini_text', 'gemini_image'],
  }
}

export function groupToForm(g: AdminGroup): GroupFormModel {
  return {
    name: g.name,
    description: g.description ?? '',
    platform: g.platform,
    rate_multiplier: moneyToInput(g.rate_multiplier),
    is_exclusive: g.is_exclusive,
    status: g.status === 'disabled' ? 'disabled' : 'active',
    subscription_type: g.subscription_type === 'subscription' ? 'subscription' : 'standard',
    daily_limit_usd: moneyToInput(g.daily_limit_usd),
    weekly_limit_usd: moneyToInput(g.weekly_limit_usd),
    monthly_limit_usd: moneyToInput(g.monthly_limit_usd),
    default_validity_days: g.default_validity_days,
    image_price_1k: moneyToInput(g.image_price_1k),
    image_price_2k: moneyToInput(g.image_price_2k),
    image_price_4k: moneyToInput(g.image_price_4k),
    claude_code_only: g.claude_code_only,
    fallback_group_id: g.fallback_group_id ?? null,
    fallback_group_id_on_invalid_request: g.fallback_group_id_on_invalid_request ?? null,
    model_routing_enabled: g.model_routing_enabled,
    model_routing: Object.entries(g.model_routing ?? {}).map(([pattern, ids]) => ({ pattern, accounts: ids.join(', ') })),
    mcp_xml_inject: g.mcp_xml_inject,
    supported_model_scopes: [...(g.supported_model_scopes ?? [])],
  }
}

/** "1, 2 3" → [1, 2, 3]; null when something is not a positive whole number. */
export function parseAccountIds(text: string): number[] | null {
  const parts = text.split(/[\s,，;]+/).filter(Boolean)
  const ids: number[] = []
  for (const part of parts) {
    if (!/^\d+$/.test(part) || Number(part) <= 0 || !Number.isSafeInteger(Number(part))) return null
    if (!ids.includes(Number(part))) ids.push(Number(part))
  }
  return ids
}

export type RoutingError = { row: number; error: 'pattern' | 'accounts' | 'duplicate' }

/** The rows as the API's {pattern: [account ids]}; rows left completely empty are dropped. */
export function routingToRequest(rows: RoutingRow[]): { ok: true; value: Record<string, number[]> } | ({ ok: false } & RoutingError) {
  const value: Record<string, number[]> = {}
  for (let i = 0; i < rows.length; i++) {
    const pattern = rows[i].pattern.trim()
    if (!pattern && !rows[i].accounts.trim()) continue
    if (!pattern || pattern.length > 200) return { ok: false, row: i, error: 'pattern' }
    const ids = parseAccountIds(rows[i].accounts)
    if (!ids || ids.length === 0) return { ok: false, row: i, error: 'accounts' }
    if (Object.hasOwn(value, pattern)) return { ok: false, row: i, error: 'duplicate' }
    value[pattern] = ids
  }
  return { ok: true, value }
}

/**
 * POST/PUT /admin/groups. Every field is sent: an emptied limit or price goes as null (which clears it on
 * update), and "no fallback" as null. Throws on values the form rules should already have refused.
 */
export function toGroupRequest(form: GroupFormModel): GroupRequest {
  const money = (text: string, field: string) => {
    const parsed = parseOptionalMoney(text)
    if (!parsed.ok) throw new Error(`${field}: ${parsed.error}`)
    return parsed.value
  }
  const rate = parseMoney(form.rate_multiplier, { max: MAX_MULTIPLIER })
  if (!rate.ok) throw new Error(`rate_multiplier: ${rate.error}`)
  const routing = routingToRequest(form.model_routing)
  if (!routing.ok) throw new Error(`model_routing[${routing.row}]: ${routing.error}`)
  return {
    name: form.name.trim(),
    description: form.description,
    platform: form.platform,
    rate_multiplier: rate.value,
    is_exclusive: form.is_exclusive,
    status: form.status,
    subscription_type: form.subscription_type,
    daily_limit_usd: money(form.daily_limit_usd, 'daily_limit_usd'),
    weekly_limit_usd: money(form.weekly_limit_usd, 'weekly_limit_usd'),
    monthly_limit_usd: money(form.monthly_limit_usd, 'monthly_limit_usd'),
    default_validity_days: form.default_validity_days,
    image_price_1k: money(form.image_price_1k, 'image_price_1k'),
    image_price_2k: money(form.image_price_2k, 'image_price_2k'),
    image_price_4k: money(form.image_price_4k, 'image_price_4k'),
    claude_code_only: form.claude_code_only,
    fallback_group_id: form.fallback_group_id || null,
    fallback_group_id_on_invalid_request: form.fallback_group_id_on_invalid_request || null,
    model_routing: routing.value,
    model_routing_enabled: form.model_routing_enabled,
    mcp_xml_inject: form.mcp_xml_inject,
    supported_model_scopes: [...form.supported_model_scopes],
  }
}

/**
 * Moves one group next to a neighbour (the row above or below it on screen) in the full ordering, then numbers
 * every group 0..n-1 and returns only the changes. Renumbering the whole list keeps the order strict even when
 * groups started out sharing a sort_order (all new groups have 0).
 */
export function moveGroup(all: Pick<AdminGroup, 'id' | 'sort_order'>[], movingId: number, neighbourId: number): SortOrderUpdate[] {
  const ordered = [...all].sort((a, b) => a.sort_order - b.sort_order || a.id - b.id)
  const from = ordered.findIndex((g) => g.id === movingId)
  const to = ordered.findIndex((g) => g.id === neighbourId)
  if (from < 0 || to < 0 || from === to) return []
  const [moving] = ordered.splice(from, 1)
  ordered.splice(to, 0, moving)
  return ordered.map((g, index) => ({ id: g.id, sort_order: index })).filter((u, index) => ordered[index].sort_order !== u.sort_order)
}

/** The groups another group may fall back to: not itself, and (for the Claude-Code fallback) not Claude-Code-only. */
export function fallbackCandidates(groups: AdminGroup[], selfId: number | null, forClaudeCode: boolean): AdminGroup[] {
  return groups.filter((g) => g.id !== selfId && (!forClaudeCode || !g.claude_code_only))
}
