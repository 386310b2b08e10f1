// The shared admin pager: attributes and listeners reach the el-pagination, and paging updates the v-models
// before @current-change runs (the pages reload from the page number in their own state).
import { describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { defineComponent, h, ref } from 'vue'
import TablePager from './TablePager.vue'

describe('TablePager', () => {
  it('passes data-test and listeners to el-pagination and keeps the page in sync', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const page = ref(1)
    const pageSize = ref(20)
    const seen: number[] = []
    const Host = defineComponent(() => () => h(TablePager, {
      page: page.value, 'onUpdate:page': (v: number) => (page.value = v),
      pageSize: pageSize.value, 'onUpdate:pageSize': (v: number) => (pageSize.value = v),
      total: 95, 'data-test': 'user-pager', onCurrentChange: () => seen.push(page.value),
    }))
    const wrapper = mount(Host, { attachTo: document.body, global: { plugins: [ElementPlus] } })
    const pager = wrapper.find('[data-test="user-pager"]')
    expect(pager.classes()).toContain('el-pagination')
    expect(wrapper.find('.table-pager').attributes('data-test')).toBeUndefined()
    await wrapper.find('.btn-next').trigger('click')
    expect(page.value).toBe(2)
    expect(seen).toEqual([2])
    expect(warn).not.toHaveBeenCalled()
    wrapper.unmount()
    warn.mockRestore()
  })
})
