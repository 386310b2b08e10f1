// The password rules the server enforces, checked before the request so the form can say what is wrong.

export const PASSWORD_MIN_LENGTH = 6
/** bcrypt ignores bytes past 72, so the server refuses longer passwords (counted in UTF-8 bytes). */
export const PASSWORD_MAX_BYTES = 72

export type PasswordProblem = 'newRequired' | 'tooShort' | 'tooLong' | 'sameAsOld'

export function passwordProblem(next: string, old: string): PasswordProblem | null {
  if (!next) return 'newRequired'
  if (next.length < PASSWORD_MIN_LENGTH) return 'tooShort'
  if (new TextEncoder().encode(next).length > PASSWORD_MAX_BYTES) return 'tooLong'
  if (next === old) return 'sameAsOld'
  return null
}
