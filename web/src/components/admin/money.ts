// Money typed by an admin is sent as a JSON number, which JavaScript holds as a double. The server stores 12
// integer and 12 fractional digits and refuses (never rounds) anything else; a double keeps only ~15 significant
// digits. So an amount is accepted here only if the number sent is exactly the decimal typed: otherwise the
// admin is asked to shorten it instead of the app silently sending a different amount.

export const MAX_AMOUNT = 999_999_999_999
export const MAX_MULTIPLIER = 10_000
export const MAX_FRACTION_DIGITS = 12

export type MoneyError = 'required' | 'format' | 'range' | 'decimals' | 'precision' | 'positive'

export type MoneyResult = { ok: true; value: number } | { ok: false; error: MoneyError }

export interface MoneyOptions {
  max?: number
  /** An empty input is an error (otherwise it is "no value", see {@link parseOptionalMoney}). */
  required?: boolean
  /** The value must be above zero (a balance adjustment). */
  positive?: boolean
}

const DECIMAL = /^(\d+)(?:\.(\d+))?$/

/** Parses "12.5", " 0.0000001 " (not "1e3", "-1", "1,5") into the exact number the server will receive. */
export function parseMoney(input: string | number | null | undefined, options: MoneyOptions = {}): MoneyResult {
  const text = input === null || input === undefined ? '' : String(input).trim()
  if (text === '') return { ok: false, error: 'required' }
  const match = DECIMAL.exec(text)
  if (!match) return { ok: false, error: 'format' }
  const fraction = match[2] ?? ''
  if (fraction.length > MAX_FRACTION_DIGITS) return { ok: false, error: 'decimals' }
  const value = Number(text)
  if (value > (options.max ?? MAX_AMOUNT)) return { ok: false, error: 'range' }
  if (options.positive && value <= 0) return { ok: false, error: 'positive' }
  // toFixed prints the double's exact decimal expansion rounded to that many places: equal only if nothing was lost.
  const integer = match[1].replace(/^0+(?=\d)/, '')
  const typed = fraction ? `${integer}.${fraction}` : integer
  if (value.toFixed(fraction.length) !== typed) return { ok: false, error: 'precision' }
  return { ok: true, value }
}

/** Like {@link parseMoney}, but an empty input is a valid "no value" (null). */
export function parseOptionalMoney(
  input: string | number | null | undefined,
  options: MoneyOptions = {},
): { ok: true; value: number | null } | { ok: false; error: MoneyError } {
  const text = input === null || input === undefined ? '' : String(input).trim()
  if (text === '') return options.required ? { ok: false, error: 'required' } : { ok: true, value: null }
  return parseMoney(text, options)
}

/** A number from the API back into the text an input shows (no exponent: 1e-7 → "0.0000001"). */
export function moneyToInput(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return ''
  const fixed = value.toFixed(MAX_FRACTION_DIGITS)
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed
}

/**
 * An el-form validator for an amount input. `message` turns an error into the text shown (the page's i18n);
 * an empty input passes unless `required`.
 */
export function moneyValidator(message: (error: MoneyError) => string, options: MoneyOptions = {}) {
  return (_rule: unknown, value: string | number | null | undefined, callback: (error?: Error) => void) => {
    const result = parseOptionalMoney(value, options)
    if (result.ok) callback()
    else callback(new Error(message(result.error)))
  }
}
