import { describe, expect, it } from 'vitest'
import { parseTestEvent, readSse, SseParser, type SseEvent } from './sse'

describe('SseParser', () => {
  it('emits an event only at its blank line, across arbitrary chunk cuts', () => {
    const p = new SseParser()
    expect(p.push('data: {"type":"con')).toEqual([])
    expect(p.push('tent","text":"hi"}\n')).toEqual([])
    expect(p.push('\ndata: second\n\n')).toEqual([
      { event: 'message', data: '{"type":"content","text":"hi"}' },
      { event: 'message', data: 'second' },
    ])
  })

  it('handles CRLF split between chunks, comments, event names and multi-line data', () => {
    const p = new SseParser()
    const out = [...p.push(': keep-alive\r'), ...p.push('\nevent: ping\r\ndata: a\r\ndata: b\r'), ...p.push('\n\r\n')]
    expect(out).toEqual([{ event: 'ping', data: 'a\nb' }])
  })

  it('keeps a last event that lacks its blank line when the stream ends', () => {
    const p = new SseParser()
    expect(p.push('data: tail')).toEqual([])
    expect(p.end()).toEqual([{ event: 'message', data: 'tail' }])
  })
})

describe('parseTestEvent', () => {
  it('reads the account test events', () => {
    expect(parseTestEvent('{"type":"test_start","model":"claude-haiku"}')).toEqual({ type: 'test_start', model: 'claude-haiku' })
    expect(parseTestEvent('{"type":"content","text":"Hello"}')).toEqual({ type: 'content', text: 'Hello' })
    expect(parseTestEvent('{"type":"error","error":"401 bad key"}')).toEqual({ type: 'error', error: '401 bad key' })
    expect(parseTestEvent('{"type":"test_complete","success":true}')).toEqual({ type: 'test_complete', success: true, error: undefined })
    expect(parseTestEvent('{"type":"test_complete","success":false,"error":"x"}')).toEqual({ type: 'test_complete', success: false, error: 'x' })
  })

  it('keeps what it cannot read as raw text', () => {
    expect(parseTestEvent('not json')).toEqual({ type: 'unknown', raw: 'not json' })
    expect(parseTestEvent('{"no":"type"}')).toEqual({ type: 'unknown', raw: '{"no":"type"}' })
  })
})

describe('readSse', () => {
  it('decodes a byte stream whose chunks split a multi-byte character', async () => {
    const bytes = new TextEncoder().encode('data: {"type":"content","text":"你好"}\n\ndata: {"type":"test_complete","success":true}\n\n')
    const cut = bytes.indexOf(0xe4) + 1 // inside the first Chinese character
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(bytes.slice(0, cut))
        c.enqueue(bytes.slice(cut))
        c.close()
      },
    })
    const events: SseEvent[] = []
    await readSse(body, (e) => events.push(e))
    expect(events.map((e) => parseTestEvent(e.data))).toEqual([
      { type: 'content', text: '你好' },
      { type: 'test_complete', success: true, error: undefined },
    ])
  })
})
