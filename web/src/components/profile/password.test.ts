import { describe, expect, it } from 'vitest'
import { passwordProblem } from './password'

describe('passwordProblem', () => {
  it('applies the server rules', () => {
    expect(passwordProblem('', 'old')).toBe('newRequired')
    expect(passwordProblem('12345', 'old')).toBe('tooShort')
    expect(passwordProblem('a'.repeat(73), 'old')).toBe('tooLong')
    // 24 three-byte characters are 72 bytes (allowed); 25 are 75.
    expect(passwordProblem('密'.repeat(24), 'old')).toBeNull()
    expect(passwordProblem('密'.repeat(25), 'old')).toBe('tooLong')
    expect(passwordProblem('same-password', 'same-password')).toBe('sameAsOld')
    expect(passwordProblem('new-password', 'old-password')).toBeNull()
  })
})
