import { describe, expect, it } from 'vitest'
import { parseProxyLines } from '@/api/adminProxiesBulk'

describe('parseProxyLines', () => {
  it('reads full URLs, bare host:port as http, and reports unreadable lines', () => {
    const { items, invalid } = parseProxyLines('socks5://al%40ice:p%3Ass@10.0.0.1:1080\n\n 10.0.0.2:8080 \nftp://x:21\nnot a proxy\nhttp://[::1]:3128')
    expect(items).toEqual([
      { protocol: 'socks5', host: '10.0.0.1', port: 1080, username: 'al@ice', password: 'p:ss' },
      { protocol: 'http', host: '10.0.0.2', port: 8080, username: undefined, password: undefined },
      { protocol: 'http', host: '::1', port: 3128, username: undefined, password: undefined },
    ])
    expect(invalid).toEqual(['ftp://x:21', 'not a proxy'])
  })
})
