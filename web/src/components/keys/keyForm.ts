// The create/edit key dialog's model and its mapping to the API's request bodies.

import type { ApiKey, CreateKeyRequest, UpdateKeyRequest } from '@/api/user'

export interface KeyForm {
  name: string
  group_id: number | null
  /** USD; 0 = no quota. */
  quota: number
  /** Create only: days until the key expires; null = never. */
  expires_in_days: number | null
  /** Edit only: ISO time the key expires; null = never. */
  expires_at: string | null
  /** One IP or CIDR per line (commas and spaces also separate). */
  ip_whitelist: string
  ip_blacklist: string
  /** Create only: a key of the user's choosing; empty = generated. */
  custom_key: string
  /** Edit only. */
  status: 'active' | 'disabled'
}

export function emptyKeyForm(): KeyForm {
  return {
    name: '', group_id: null, quota: 0, expires_in_days: null, expires_at: null,
    ip_whitelist: '', ip_blacklist: '', custom_key: '', status: 'active',
  }
}

export function keyFormFrom(key: ApiKey): KeyForm {
  return {
    name: key.name,
    group_id: key.group_id,
    quota: Number(key.quota) || 0,
    expires_in_days: null,
    expires_at: key.expires_at,
    ip_whitelist: key.ip_whitelist.join('\n'),
    ip_blacklist: key.ip_blacklist.join('\n'),
    custom_key: '',
    // An expired or exhausted key is not "disabled": saving it as active lets the server re-derive its status.
    status: key.status === 'disabled' ? 'disabled' : 'active',
  }
}

/** Splits a textarea of IPs/CIDRs into entries: newlines, commas and spaces separate, blanks and repeats drop. */
export function parseIpList(text: string): string[] {
  const seen = new Set<string>()
  for (const entry of text.split(/[\s,;]+/)) {
    const e = entry.trim()
    if (e) seen.add(e)
  }
  return [...seen]
}

export function toCreateRequest(f: KeyForm): CreateKeyRequest {
  const body: CreateKeyRequest = {
    name: f.name.trim(),
    group_id: f.group_id,
    ip_whitelist: parseIpList(f.ip_whitelist),
    ip_blacklist: parseIpList(f.ip_blacklist),
    quota: f.quota || 0,
  }
  if (f.expires_in_days) body.expires_in_days = f.expires_in_days
  if (f.custom_key.trim()) body.custom_key = f.custom_key.trim()
  return body
}

/** Every field is sent, so clearing the group, the expiry or a list in the form clears it on the server. */
export function toUpdateRequest(f: KeyForm): UpdateKeyRequest {
  return {
    name: f.name.trim(),
    // 0/null unbinds the group.
    group_id: f.group_id ?? null,
    status: f.status,
    ip_whitelist: parseIpList(f.ip_whitelist),
    ip_blacklist: parseIpList(f.ip_blacklist),
    quota: f.quota || 0,
    expires_at: f.expires_at || null,
  }
}

/** "$1.5 / $10" style data for the quota column: null limit means no quota. */
export function quotaProgress(used: number, quota: number): number | null {
  if (!quota || quota <= 0) return null
  return Math.min(100, Math.round((used / quota) * 1000) / 10)
}
