import { api } from './client'
import type { TokenPair } from './auth'

/** What /auth/login answers instead of tokens when the account has TOTP on. */
export interface TwoFactorChallenge {
  requires_2fa: true
  temp_token: string
  user_email_masked?: string
}

export type LoginAnswer = TokenPair | TwoFactorChallenge

export function needsSecondFactor(answer: LoginAnswer): answer is TwoFactorChallenge {
  return (answer as TwoFactorChallenge).requires_2fa === true
}

export interface RegisterExtras {
  verify_code?: string
  promo_code?: string
  invitation_code?: string
}

export interface TotpStatus {
  enabled: boolean
  enabled_at?: number
  feature_enabled: boolean
}

export interface TotpSetup {
  secret: string
  qr_code_url: string
  setup_token: string
  countdown: number
}

/** The identity proof setup and disable take: an emailed code or the password, as verification-method says. */
export interface TotpProof {
  email_code?: string
  password?: string
}

export const securityApi = {
  sendVerifyCode: (email: string) => api.post<{ message: string; countdown: number }>('/auth/send-verify-code', { email }),
  forgotPassword: (email: string) => api.post<{ message: string }>('/auth/forgot-password', { email }),
  resetPassword: (email: string, token: string, new_password: string) =>
    api.post<{ message: string }>('/auth/reset-password', { email, token, new_password }),
  login2fa: (temp_token: string, totp_code: string) => api.post<TokenPair>('/auth/login/2fa', { temp_token, totp_code }),
  revokeAllSessions: () => api.post<{ message: string }>('/auth/revoke-all-sessions'),
  validatePromoCode: (code: string) => api.post<{ valid: boolean; bonus_amount?: number; error_code?: string }>('/auth/validate-promo-code', { code }),
  totpStatus: () => api.get<TotpStatus>('/user/totp/status'),
  totpMethod: () => api.get<{ method: 'email' | 'password' }>('/user/totp/verification-method'),
  totpSendCode: () => api.post<{ success: boolean }>('/user/totp/send-code'),
  totpSetup: (proof: TotpProof) => api.post<TotpSetup>('/user/totp/setup', proof),
  totpEnable: (totp_code: string, setup_token: string) => api.post<{ success: boolean }>('/user/totp/enable', { totp_code, setup_token }),
  totpDisable: (proof: TotpProof) => api.post<{ success: boolean }>('/user/totp/disable', proof),
}
