import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { Paged } from '@/api/client'

const error = vi.fn()
vi.mock('element-plus', () => ({ ElMessage: { error: (m: string) => error(m) } }))

const { usePagedList } = await import('./usePagedList')

function paged<T>(items: T[], total = items.length): Paged<T> {
  return { items, total, page: 1, page_size: 20, pages: 1 }
}

function deferred<T>() {
  let resolve!: (v: T) => void
  let reject!: (e: unknown) => void
  const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej })
  return { promise, resolve, reject }
}

beforeEach(() => error.mockReset())

describe('usePagedList', () => {
  it('loads the current page with the filters and fills rows/total', async () => {
    const fetcher = vi.fn().mockResolvedValue(paged(['a', 'b'], 42))
    const list = usePagedList(fetcher, { search: '', status: '' })
    list.filters.search = 'x'
    list.page.value = 3
    const loading = list.load()
    expect(list.loading.value).toBe(true)
    await loading
    expect(fetcher).toHaveBeenCalledWith({ page: 3, page_size: 20, search: 'x', status: '' })
    expect(Object.keys(fetcher.mock.calls[0][0])).toEqual(['page', 'page_size', 'search', 'status'])
    expect(list.rows.value).toEqual(['a', 'b'])
    expect(list.total.value).toBe(42)
    expect(list.loading.value).toBe(false)
  })

  it('applyFilters goes back to page 1; resetFilters restores the defaults', async () => {
    const fetcher = vi.fn().mockResolvedValue(paged([]))
    const list = usePagedList(fetcher, { search: '', role: 'user' }, { pageSize: 50 })
    list.page.value = 4
    list.filters.search = 'abc'
    list.applyFilters()
    expect(list.page.value).toBe(1)
    expect(fetcher).toHaveBeenLastCalledWith({ page: 1, page_size: 50, search: 'abc', role: 'user' })
    list.page.value = 2
    list.filters.role = 'admin'
    list.resetFilters()
    expect(list.filters).toEqual({ search: '', role: 'user' })
    expect(list.page.value).toBe(1)
    expect(fetcher).toHaveBeenLastCalledWith({ page: 1, page_size: 50, search: '', role: 'user' })
  })

  it('shows an error with ElMessage.error and turns loading off', async () => {
    const fetcher = vi.fn().mockRejectedValue(new Error('boom'))
    const list = usePagedList(fetcher, {})
    await list.load()
    expect(error).toHaveBeenCalledWith('boom')
    expect(list.loading.value).toBe(false)
    expect(list.rows.value).toEqual([])
  })

  it('a stale answer does not overwrite a newer one', async () => {
    const first = deferred<Paged<string>>()
    const second = deferred<Paged<string>>()
    const fetcher = vi.fn().mockReturnValueOnce(first.promise).mockReturnValueOnce(second.promise)
    const onLoaded = vi.fn()
    const list = usePagedList(fetcher, {}, { onLoaded })
    const a = list.load()
    const b = list.load()
    second.resolve(paged(['new'], 1))
    await b
    expect(list.rows.value).toEqual(['new'])
    expect(list.loading.value).toBe(false)
    first.resolve(paged(['old', 'old'], 2))
    await a
    expect(list.rows.value).toEqual(['new'])
    expect(list.total.value).toBe(1)
    expect(onLoaded).toHaveBeenCalledTimes(1)
    expect(onLoaded).toHaveBeenCalledWith(paged(['new'], 1))
  })

  it('a stale failure shows no error and keeps the newer load running', async () => {
    const first = deferred<Paged<string>>()
    const second = deferred<Paged<string>>()
    const fetcher = vi.fn().mockReturnValueOnce(first.promise).mockReturnValueOnce(second.promise)
    const list = usePagedList(fetcher, {})
    const a = list.load()
    const b = list.load()
    first.reject(new Error('old'))
    await a
    expect(error).not.toHaveBeenCalled()
    expect(list.loading.value).toBe(true)
    second.resolve(paged(['x']))
    await b
    expect(list.loading.value).toBe(false)
  })
})
