import { describe, expect, it } from 'vitest'
import type { AdminProxy } from '@/api/adminProxies'
import { PROXY_PROTOCOLS } from '@/api/adminProxies'
import { emptyProxyForm, parseProxyUrl, proxyToForm, toCreateProxyRequest, toUpdateProxyRequest } from './proxyForm'

const proxy: AdminProxy = {
  id: 4, name: 'tokyo', protocol: 'socks5', host: '10.0.0.2', port: 1080, username: 'bob', password: 'se****et',
  status: 'active', account_count: 3, created_at: '', updated_at: '',
}

describe('proxy requests', () => {
  it('create leaves empty credentials out', () => {
    expect(toCreateProxyRequest({ ...emptyProxyForm(), name: ' p ', host: ' h.example ', port: 8080 })).toEqual({
      name: 'p', protocol: 'http', host: 'h.example', port: 8080, status: 'active',
    })
    expect(toCreateProxyRequest({ ...emptyProxyForm(), name: 'p', host: 'h', port: 1, username: 'u', password: 'pw' })).toMatchObject({ username: 'u', password: 'pw' })
  })

  it('the edit form never holds the masked password, and an empty one keeps the stored password', () => {
    const form = proxyToForm(proxy)
    expect(form.password).toBe('')
    const body = toUpdateProxyRequest(form)
    expect('password' in body).toBe(false)
    expect(body).toEqual({ name: 'tokyo', protocol: 'socks5', host: '10.0.0.2', port: 1080, username: 'bob', status: 'active' })
  })

  it('sends a new password, or "" to remove it, and an emptied username', () => {
    expect(toUpdateProxyRequest({ ...proxyToForm(proxy), password: 'new' }).password).toBe('new')
    expect(toUpdateProxyRequest({ ...proxyToForm(proxy), password: 'typed', clear_password: true }).password).toBe('')
    expect(toUpdateProxyRequest({ ...proxyToForm(proxy), username: ' ' }).username).toBe('')
  })
})

describe('parseProxyUrl', () => {
  it('splits a pasted proxy URL', () => {
    expect(parseProxyUrl('socks5://u%40x:p%3Aw@1.2.3.4:1080', PROXY_PROTOCOLS)).toEqual({
      protocol: 'socks5', host: '1.2.3.4', port: 1080, username: 'u@x', password: 'p:w',
    })
    expect(parseProxyUrl('HTTP://proxy.example:3128/', PROXY_PROTOCOLS)).toEqual({
      protocol: 'http', host: 'proxy.example', port: 3128, username: '', password: '',
    })
    expect(parseProxyUrl('http://[::1]:8080', PROXY_PROTOCOLS)?.host).toBe('::1')
  })

  it('is null for plain hosts, unknown schemes and bad ports', () => {
    expect(parseProxyUrl('proxy.example', PROXY_PROTOCOLS)).toBeNull()
    expect(parseProxyUrl('ftp://h:21', PROXY_PROTOCOLS)).toBeNull()
    expect(parseProxyUrl('http://h:70000', PROXY_PROTOCOLS)).toBeNull()
    expect(parseProxyUrl('http://h', PROXY_PROTOCOLS)).toBeNull()
  })
})
