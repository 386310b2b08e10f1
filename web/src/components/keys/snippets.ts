// Ready-to-paste client configurations for one key against this gateway. Pure functions, so the exact text
// every user copies is covered by tests.

export type SnippetId = 'claude-code' | 'codex' | 'gemini' | 'anthropic-python' | 'anthropic-ts' | 'openai' | 'curl'

export interface Snippet {
  id: SnippetId
  /** i18n key of the tab title. */
  title: string
  /** Highlighting hint for the code block (bash, toml, python, ts). */
  language: string
  /** One or more files/blocks: label is a file name or empty. */
  blocks: { label: string; code: string }[]
}

/** Shown instead of the secret when the full key is not known (only its masked hint is stored). */
export const KEY_PLACEHOLDER = 'sk-...'

const DEFAULT_CLAUDE_MODEL = 'claude-sonnet-4-5'
const DEFAULT_OPENAI_MODEL = 'gpt-5'
const DEFAULT_GEMINI_MODEL = 'gemini-2.5-pro'

/**
 * The gateway's base URL without a trailing slash: the operator's public api_base_url when set, else the
 * origin the app was loaded from.
 */
export function gatewayBaseUrl(apiBaseUrl: string | null | undefined, origin: string): string {
  const configured = (apiBaseUrl ?? '').trim()
  return (configured || origin).replace(/\/+$/, '')
}

/**
 * A key the list returns is its masked hint ("sk-abc1…9f3e" or "********"); only the create response carries
 * the secret itself.
 */
export function isFullKey(key: string | null | undefined): key is string {
  return !!key && !key.includes('…') && !key.includes('...') && !/^\*+$/.test(key)
}

/** The key to put in the snippets: the secret when known, else a placeholder the user replaces. */
export function snippetKey(key: string | null | undefined): string {
  return isFullKey(key) ? key : KEY_PLACEHOLDER
}

/** Single-quotes a value for POSIX shells (a quote inside becomes '\''). */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`
}

/** A double-quoted string literal valid in TOML, Python and TypeScript. */
function quoted(value: string): string {
  return JSON.stringify(value)
}

export function buildSnippets(baseUrl: string, key: string): Snippet[] {
  const base = baseUrl.replace(/\/+$/, '')
  const v1 = `${base}/v1`
  return [
    {
      id: 'claude-code',
      title: 'keys.use.claudeCode',
      language: 'bash',
      blocks: [
        {
          label: '',
          code: [`export ANTHROPIC_BASE_URL=${shellQuote(base)}`, `export ANTHROPIC_AUTH_TOKEN=${shellQuote(key)}`, 'claude'].join('\n'),
        },
      ],
    },
    {
      id: 'codex',
      title: 'keys.use.codex',
      language: 'toml',
      blocks: [
        {
          label: '~/.codex/config.toml',
          code: [
            'model_provider = "sub2api"',
            `model = ${quoted(DEFAULT_OPENAI_MODEL)}`,
            '',
            '[model_providers.sub2api]',
            'name = "Sub2Api"',
            `base_url = ${quoted(v1)}`,
            'wire_api = "responses"',
            'env_key = "OPENAI_API_KEY"',
          ].join('\n'),
        },
        { label: 'shell', code: [`export OPENAI_API_KEY=${shellQuote(key)}`, 'codex'].join('\n') },
      ],
    },
    {
      id: 'gemini',
      title: 'keys.use.gemini',
      language: 'bash',
      blocks: [
        {
          label: '',
          code: [
            `export GOOGLE_GEMINI_BASE_URL=${shellQuote(base)}`,
            `export GEMINI_API_KEY=${shellQuote(key)}`,
            `export GEMINI_MODEL=${shellQuote(DEFAULT_GEMINI_MODEL)}`,
            'gemini',
          ].join('\n'),
        },
      ],
    },
    {
      id: 'anthropic-python',
      title: 'keys.use.anthropicPython',
      language: 'python',
      blocks: [
        {
          label: 'main.py',
          code: [
            'import anthropic',
            '',
            `client = anthropic.Anthropic(base_url=${quoted(base)}, api_key=${quoted(key)})`,
            'message = client.messages.create(',
            `    model=${quoted(DEFAULT_CLAUDE_MODEL)},`,
            '    max_tokens=1024,',
            '    messages=[{"role": "user", "content": "Hello"}],',
            ')',
            'print(message.content[0].text)',
          ].join('\n'),
        },
      ],
    },
    {
      id: 'anthropic-ts',
      title: 'keys.use.anthropicTs',
      language: 'ts',
      blocks: [
        {
          label: 'main.ts',
          code: [
            "import Anthropic from '@anthropic-ai/sdk'",
            '',
            `const client = new Anthropic({ baseURL: ${quoted(base)}, apiKey: ${quoted(key)} })`,
            'const message = await client.messages.create({',
            `  model: ${quoted(DEFAULT_CLAUDE_MODEL)},`,
            '  max_tokens: 1024,',
            "  messages: [{ role: 'user', content: 'Hello' }],",
            '})',
            'console.log(message.content)',
          ].join('\n'),
        },
      ],
    },
    {
      id: 'openai',
      title: 'keys.use.openai',
      language: 'python',
      blocks: [
        {
          label: 'main.py',
          code: [
            'from openai import OpenAI',
            '',
            `client = OpenAI(base_url=${quoted(v1)}, api_key=${quoted(key)})`,
            `response = client.responses.create(model=${quoted(DEFAULT_OPENAI_MODEL)}, input="Hello")`,
            'print(response.output_text)',
          ].join('\n'),
        },
      ],
    },
    {
      id: 'curl',
      title: 'keys.use.curl',
      language: 'bash',
      blocks: [
        {
          label: '',
          code: [
            `curl ${shellQuote(`${v1}/messages`)} \\`,
            `  -H ${shellQuote(`x-api-key: ${key}`)} \\`,
            "  -H 'anthropic-version: 2023-06-01' \\",
            "  -H 'content-type: application/json' \\",
            `  -d ${shellQuote(JSON.stringify({ model: DEFAULT_CLAUDE_MODEL, max_tokens: 1024, messages: [{ role: 'user', content: 'Hello' }] }))}`,
          ].join('\n'),
        },
      ],
    },
  ]
}
