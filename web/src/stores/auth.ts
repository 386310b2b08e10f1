import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { authApi, type TokenPair, type User } from '@/api/auth'
import { useTokenSource } from '@/api/client'
import { needsSecondFactor, securityApi, type LoginAnswer, type RegisterExtras, type TwoFactorChallenge } from '@/api/security'

const STORAGE_KEY = 'sub2api.session'

interface Session {
  access_token: string
  refresh_token: string
}

function load(): Session | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY)
    return raw ? (JSON.parse(raw) as Session) : null
  } catch {
    return null
  }
}

/** Who is logged in. Tokens live in localStorage so a reload keeps the session; the user is re-read from /auth/me. */
export const useAuthStore = defineStore('auth', () => {
  const session = ref<Session | null>(load())
  const user = ref<User | null>(null)
  const isLoggedIn = computed(() => session.value !== null)
  const isAdmin = computed(() => user.value?.role === 'admin')
  let refreshing: Promise<boolean> | null = null

  function save(pair: TokenPair | null) {
    session.value = pair ? { access_token: pair.access_token, refresh_token: pair.refresh_token } : null
    if (pair) {
      user.value = pair.user
      localStorage.setItem(STORAGE_KEY, JSON.stringify(session.value))
    } else {
      user.value = null
      localStorage.removeItem(STORAGE_KEY)
    }
  }

  /** Logs in, or returns the 2FA challenge when the account has TOTP on (finish with completeSecondFactor). */
  async function login(email: string, password: string): Promise<TwoFactorChallenge | null> {
    const answer = (await authApi.login(email, password)) as LoginAnswer
    if (needsSecondFactor(answer)) return answer
    save(answer)
    return null
  }

  async function completeSecondFactor(tempToken: string, code: string) {
    save(await securityApi.login2fa(tempToken, code))
  }

  async function register(email: string, password: string, username?: string, extras?: RegisterExtras) {
    save(await authApi.register(email, password, username, extras))
  }

  async function logout() {
    const token = session.value?.refresh_token
    save(null)
    if (token) await authApi.logout(token).catch(() => undefined)
  }

  /** Loads the user behind a stored session (after a reload); a dead session is dropped. */
  async function ensureUser(): Promise<User | null> {
    if (!session.value) return null
    if (user.value) return user.value
    try {
      user.value = await authApi.me()
    } catch {
      save(null)
    }
    return user.value
  }

  async function refreshUser() {
    if (session.value) user.value = await authApi.me()
  }

  // One rotation at a time: parallel 401s share it (a refresh token is single-use).
  function refresh(): Promise<boolean> {
    const token = session.value?.refresh_token
    if (!token) return Promise.resolve(false)
    refreshing ??= authApi
      .refresh(token)
      .then((pair) => {
        save(pair)
        return true
      })
      .catch(() => false)
      .finally(() => {
        refreshing = null
      })
    return refreshing
  }

  useTokenSource({
    accessToken: () => session.value?.access_token ?? null,
    refresh,
    expired: () => {
      save(null)
      if (!location.pathname.startsWith('/login')) location.assign(`/login?redirect=${encodeURIComponent(location.pathname)}`)
    },
  })

  return { session, user, isLoggedIn, isAdmin, login, completeSecondFactor, register, logout, ensureUser, refreshUser }
})
