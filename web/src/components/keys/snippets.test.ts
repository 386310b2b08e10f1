import { describe, expect, it } from 'vitest'
import { buildSnippets, gatewayBaseUrl, isFullKey, KEY_PLACEHOLDER, shellQuote, snippetKey } from './snippets'

const KEY = 'sk-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'
const code = (id: string) => buildSnippets('https://gw.example.com', KEY).find((s) => s.id === id)!.blocks.map((b) => b.code).join('\n')

describe('gatewayBaseUrl', () => {
  it('prefers the configured api_base_url and drops trailing slashes', () => {
    expect(gatewayBaseUrl('https://api.example.com/', 'http://localhost:5173')).toBe('https://api.example.com')
    expect(gatewayBaseUrl('  ', 'http://localhost:5173')).toBe('http://localhost:5173')
    expect(gatewayBaseUrl(undefined, 'http://localhost:5173/')).toBe('http://localhost:5173')
  })
})

describe('isFullKey / snippetKey', () => {
  it('treats masked hints as unknown keys', () => {
    expect(isFullKey('sk-0123…cdef')).toBe(false)
    expect(isFullKey('********')).toBe(false)
    expect(isFullKey('')).toBe(false)
    expect(isFullKey(KEY)).toBe(true)
    expect(snippetKey('sk-0123…cdef')).toBe(KEY_PLACEHOLDER)
    expect(snippetKey(KEY)).toBe(KEY)
  })
})

describe('shellQuote', () => {
  it('escapes single quotes', () => {
    expect(shellQuote("a'b")).toBe(`'a'\\''b'`)
  })
})

describe('buildSnippets', () => {
  it('covers every client', () => {
    expect(buildSnippets('https://gw.example.com', KEY).map((s) => s.id)).toEqual([
      'claude-code', 'codex', 'gemini', 'anthropic-python', 'anthropic-ts', 'openai', 'curl',
    ])
  })

  it('points Claude Code at the gateway root', () => {
    expect(code('claude-code')).toContain("export ANTHROPIC_BASE_URL='https://gw.example.com'\n")
    expect(code('claude-code')).toContain(`export ANTHROPIC_AUTH_TOKEN='${KEY}'`)
  })

  it('gives Codex a responses provider at /v1', () => {
    const c = code('codex')
    expect(c).toContain('model_provider = "sub2api"')
    expect(c).toContain('[model_providers.sub2api]')
    expect(c).toContain('base_url = "https://gw.example.com/v1"')
    expect(c).toContain('wire_api = "responses"')
    expect(c).toContain('env_key = "OPENAI_API_KEY"')
    expect(c).toContain(`export OPENAI_API_KEY='${KEY}'`)
  })

  it('sets the Gemini CLI variables', () => {
    const c = code('gemini')
    expect(c).toContain("export GOOGLE_GEMINI_BASE_URL='https://gw.example.com'")
    expect(c).toContain(`export GEMINI_API_KEY='${KEY}'`)
    expect(c).toContain('export GEMINI_MODEL=')
  })

  it('configures both Anthropic SDKs with the root URL and the OpenAI SDK with /v1', () => {
    expect(code('anthropic-python')).toContain(`anthropic.Anthropic(base_url="https://gw.example.com", api_key="${KEY}")`)
    expect(code('anthropic-ts')).toContain(`new Anthropic({ baseURL: "https://gw.example.com", apiKey: "${KEY}" })`)
    expect(code('openai')).toContain(`OpenAI(base_url="https://gw.example.com/v1", api_key="${KEY}")`)
  })

  it('calls /v1/messages with curl and valid JSON', () => {
    const c = code('curl')
    expect(c).toContain("curl 'https://gw.example.com/v1/messages'")
    expect(c).toContain(`-H 'x-api-key: ${KEY}'`)
    const body = c.slice(c.indexOf("-d '") + 4, c.lastIndexOf("'"))
    expect(JSON.parse(body).messages[0].content).toBe('Hello')
  })

  it('fills the placeholder when the key is unknown and quotes odd base URLs safely', () => {
    const snippets = buildSnippets("https://gw.example.com/it's/", KEY_PLACEHOLDER)
    const claude = snippets[0].blocks[0].code
    expect(claude).toContain(`ANTHROPIC_BASE_URL='https://gw.example.com/it'\\''s'`)
    expect(claude).toContain("ANTHROPIC_AUTH_TOKEN='sk-...'")
  })
})
