import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { useAuthStore } from '@/stores/auth'

// The original's paths (users' bookmarks keep working). meta.auth: needs a login; meta.admin: admins only.
const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('@/pages/LoginPage.vue'), meta: { title: 'auth.login' } },
  { path: '/register', name: 'register', component: () => import('@/pages/RegisterPage.vue'), meta: { title: 'auth.register' } },
  { path: '/forgot-password', name: 'forgot-password', component: () => import('@/pages/ForgotPasswordPage.vue'), meta: { title: 'nav.forgotPassword' } },
  { path: '/reset-password', name: 'reset-password', component: () => import('@/pages/ResetPasswordPage.vue'), meta: { title: 'nav.resetPassword' } },
  {
    path: '/',
    component: () => import('@/layouts/AppLayout.vue'),
    meta: { auth: true },
    children: [
      // A guard, not a redirect: redirects are resolved before beforeEach has loaded the user, which sent an admin
      // opening "/" (logged out, or after a reload) to the user dashboard.
      { path: '', name: 'home', component: { render: () => null }, beforeEnter: () => ({ name: useAuthStore().isAdmin ? 'admin-dashboard' : 'dashboard' }) },
      { path: 'dashboard', name: 'dashboard', component: () => import('@/pages/user/DashboardPage.vue'), meta: { title: 'nav.dashboard' } },
      { path: 'keys', name: 'keys', component: () => import('@/pages/user/KeysPage.vue'), meta: { title: 'nav.keys' } },
      { path: 'usage', name: 'usage', component: () => import('@/pages/user/UsagePage.vue'), meta: { title: 'nav.usage' } },
      { path: 'profile', name: 'profile', component: () => import('@/pages/user/ProfilePage.vue'), meta: { title: 'nav.profile' } },
      { path: 'subscriptions', name: 'subscriptions', component: () => import('@/pages/user/SubscriptionsPage.vue'), meta: { title: 'nav.subscriptions' } },
      { path: 'redeem', name: 'redeem', component: () => import('@/pages/user/RedeemPage.vue'), meta: { title: 'nav.redeem' } },
      {
        path: 'admin',
        meta: { admin: true },
        children: [
          { path: '', redirect: { name: 'admin-dashboard' } },
          { path: 'dashboard', name: 'admin-dashboard', component: () => import('@/pages/admin/DashboardPage.vue'), meta: { title: 'nav.adminDashboard' } },
          { path: 'users', name: 'admin-users', component: () => import('@/pages/admin/UsersPage.vue'), meta: { title: 'nav.users' } },
          { path: 'groups', name: 'admin-groups', component: () => import('@/pages/admin/GroupsPage.vue'), meta: { title: 'nav.groups' } },
          { path: 'accounts', name: 'admin-accounts', component: () => import('@/pages/admin/AccountsPage.vue'), meta: { title: 'nav.accounts' } },
          { path: 'subscriptions', name: 'admin-subscriptions', component: () => import('@/pages/admin/SubscriptionsPage.vue'), meta: { title: 'nav.adminSubscriptions' } },
          { path: 'redeem', name: 'admin-redeem', component: () => import('@/pages/admin/RedeemCodesPage.vue'), meta: { title: 'nav.redeemCodes' } },
          { path: 'promo-codes', name: 'admin-promo-codes', component: () => import('@/pages/admin/PromoCodesPage.vue'), meta: { title: 'nav.promoCodes' } },
          { path: 'announcements', name: 'admin-announcements', component: () => import('@/pages/admin/AnnouncementsPage.vue'), meta: { title: 'nav.announcements' } },
          { path: 'user-attributes', name: 'admin-user-attributes', component: () => import('@/pages/admin/UserAttributesPage.vue'), meta: { title: 'nav.userAttributes' } },
          { path: 'proxies', name: 'admin-proxies', component: () => import('@/pages/admin/ProxiesPage.vue'), meta: { title: 'nav.proxies' } },
          { path: 'usage', name: 'admin-usage', component: () => import('@/pages/admin/UsagePage.vue'), meta: { title: 'nav.adminUsage' } },
          { path: 'ops', name: 'admin-ops', component: () => import('@/pages/admin/ops/OpsPage.vue'), meta: { title: 'ops.title' } },
          { path: 'settings', name: 'admin-settings', component: () => import('@/pages/admin/SettingsPage.vue'), meta: { title: 'nav.settings' } },
        ],
      },
      { path: ':pathMatch(.*)*', name: 'not-found', component: () => import('@/pages/NotFoundPage.vue'), meta: { title: 'nav.notFound' } },
    ],
  },
]

export const router = createRouter({ history: createWebHistory(), routes })

router.beforeEach(async (to) => {
  const auth = useAuthStore()
  const needsLogin = to.matched.some((r) => r.meta.auth)
  if (needsLogin) {
    const user = await auth.ensureUser()
    if (!user) return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
    // Admin pages are refused by the API anyway; the app does not show them to users either.
    if (to.matched.some((r) => r.meta.admin) && user.role !== 'admin') return { name: 'dashboard' }
  } else if ((to.name === 'login' || to.name === 'register') && (await auth.ensureUser())) {
    return { name: 'home' }
  }
  return true
})
