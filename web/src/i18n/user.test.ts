import { describe, expect, it } from 'vitest'
import en from './en/user'
import zh from './zh/user'

// Every string of the user portal exists in both languages, so no page falls back to English in Chinese.
function keys(obj: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) =>
    v && typeof v === 'object' ? keys(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`],
  )
}

describe('user portal messages', () => {
  it('have the same keys in English and Chinese', () => {
    expect(keys(zh).sort()).toEqual(keys(en).sort())
  })

  it('name every client tab the snippets use', async () => {
    const { buildSnippets } = await import('@/components/keys/snippets')
    const use = en.keys.use as Record<string, string>
    for (const s of buildSnippets('http://x', 'sk-x')) expect(use[s.title.replace('keys.use.', '')]).toBeTruthy()
  })
})
