// Server-sent events read from a fetch body: chunks arrive cut anywhere (mid-line, mid-character), so the parser
// keeps the unfinished tail and emits an event only at its blank line. Also the account test's event shapes.

export interface SseEvent {
  event: string
  data: string
}

export class SseParser {
  private buffer = ''
  private data: string[] = []
  private event = ''

  /** Feeds decoded text; returns the events completed by it. */
  push(text: string): SseEvent[] {
    this.buffer += text
    const out: SseEvent[] = []
    let newline: number
    while ((newline = this.nextLineEnd()) >= 0) {
      const line = this.buffer.slice(0, newline)
      // A CRLF pair is one line end; a lone CR is one too.
      const skip = this.buffer[newline] === '\r' && this.buffer[newline + 1] === '\n' ? 2 : 1
      this.buffer = this.buffer.slice(newline + skip)
      this.line(line, out)
    }
    return out
  }

  /** The stream ended: an event without its closing blank line still counts. */
  end(): SseEvent[] {
    const out: SseEvent[] = []
    if (this.buffer) {
      this.line(this.buffer, out)
      this.buffer = ''
    }
    this.line('', out)
    return out
  }

  private nextLineEnd(): number {
    const n = this.buffer.indexOf('\n')
    const r = this.buffer.indexOf('\r')
    const first = r < 0 ? n : n < 0 ? r : Math.min(n, r)
    // A CR at the very end may be the first half of a CRLF: wait for the next chunk before deciding.
    if (first >= 0 && first === r && r === this.buffer.length - 1) return -1
    return first
  }

  private line(line: string, out: SseEvent[]) {
    if (line === '') {
      if (this.data.length > 0) out.push({ event: this.event || 'message', data: this.data.join('\n') })
      this.data = []
      this.event = ''
      return
    }
    if (line.startsWith(':')) return
    const colon = line.indexOf(':')
    const field = colon < 0 ? line : line.slice(0, colon)
    let value = colon < 0 ? '' : line.slice(colon + 1)
    if (value.startsWith(' ')) value = value.slice(1)
    if (field === 'data') this.data.push(value)
    else if (field === 'event') this.event = value
  }
}

/** The account test's events (JSON in each data line). */
export type TestEvent =
  | { type: 'test_start'; model?: string }
  | { type: 'content'; text: string }
  | { type: 'error'; error: string }
  | { type: 'test_complete'; success: boolean; error?: string }
  | { type: 'unknown'; raw: string }

export function parseTestEvent(data: string): TestEvent {
  try {
    const json = JSON.parse(data)
    if (json && typeof json === 'object' && typeof json.type === 'string') {
      switch (json.type) {
        case 'test_start':
          return { type: 'test_start', model: typeof json.model === 'string' ? json.model : undefined }
        case 'content':
          return { type: 'content', text: String(json.text ?? '') }
        case 'error':
          return { type: 'error', error: String(json.error ?? '') }
        case 'test_complete':
          return { type: 'test_complete', success: json.success === true, error: json.error ? String(json.error) : undefined }
      }
    }
  } catch {
    /* not JSON: shown raw */
  }
  return { type: 'unknown', raw: data }
}

/** Reads a streamed response body to the end, calling back per event. Cancel by cancelling the returned reader. */
export async function readSse(
  body: ReadableStream<Uint8Array>,
  onEvent: (e: SseEvent) => void,
  onReader?: (reader: ReadableStreamDefaultReader<Uint8Array>) => void,
): Promise<void> {
  const reader = body.getReader()
  onReader?.(reader)
  const decoder = new TextDecoder()
  const parser = new SseParser()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    for (const e of parser.push(decoder.decode(value, { stream: true }))) onEvent(e)
  }
  for (const e of parser.push(decoder.decode())) onEvent(e)
  for (const e of parser.end()) onEvent(e)
}
