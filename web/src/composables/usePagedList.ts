import { reactive, ref, type Ref } from 'vue'
import { ElMessage } from 'element-plus'
import type { Paged } from '@/api/client'
import { confirmAndRun } from '@/composables/confirmAndRun'

/** What a list fetcher receives: the page, the page size and every filter (in that order). */
export type PagedQuery<F> = { page: number; page_size: number } & F

/**
 * Server-side paged list state shared by the list pages: `load()` fetches the current page with the
 * current filters (loading flag, errors shown with ElMessage.error), `applyFilters()` goes back to page 1,
 * `resetFilters()` restores the filter defaults. When loads overlap, only the newest answer is shown
 * (and only it reaches `onLoaded`).
 */
export function usePagedList<T, F extends object>(
  fetcher: (query: PagedQuery<F>) => Promise<Paged<T>>,
  defaults: F,
  options: { pageSize?: number; onLoaded?: (result: Paged<T>) => void } = {},
) {
  const filters = reactive({ ...defaults }) as F
  const rows = ref([]) as Ref<T[]>
  const total = ref(0)
  const page = ref(1)
  const pageSize = ref(options.pageSize ?? 20)
  const loading = ref(false)
  let latest = 0

  async function load(): Promise<void> {
    const ticket = ++latest
    loading.value = true
    try {
      const result = await fetcher({ page: page.value, page_size: pageSize.value, ...filters })
      if (ticket !== latest) return
      rows.value = result.items
      total.value = result.total
      options.onLoaded?.(result)
    } catch (e) {
      if (ticket === latest) ElMessage.error((e as Error).message)
    } finally {
      if (ticket === latest) loading.value = false
    }
  }

  function applyFilters() {
    page.value = 1
    void load()
  }

  function resetFilters() {
    Object.assign(filters, defaults)
    applyFilters()
  }

  /** A row's delete: confirm, run, then reload — a page back when the page's last row went. Whether it was removed. */
  async function removeRow(message: string, run: () => Promise<unknown>, options: { action?: string; done?: string } = {}): Promise<boolean> {
    const lastOnPage = rows.value.length === 1 && page.value > 1
    if (!(await confirmAndRun(message, run, options))) return false
    if (lastOnPage) page.value--
    await load()
    return true
  }

  return { filters, rows, total, page, pageSize, loading, load, applyFilters, resetFilters, removeRow }
}
