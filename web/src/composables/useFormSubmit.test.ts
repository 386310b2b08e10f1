import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { FormInstance } from 'element-plus'

const error = vi.fn()
vi.mock('element-plus', () => ({ ElMessage: { error: (m: string) => error(m) } }))

const { useFormSubmit } = await import('./useFormSubmit')

function fakeForm(valid: boolean) {
  return { validate: () => (valid ? Promise.resolve(true) : Promise.reject(new Error('invalid'))) } as unknown as FormInstance
}

beforeEach(() => error.mockReset())

describe('useFormSubmit', () => {
  it('runs the work with busy on after a valid form, and turns busy off', async () => {
    const submit = useFormSubmit()
    submit.formRef.value = fakeForm(true)
    let busyDuring = false
    await submit.run(async () => { busyDuring = submit.busy.value })
    expect(busyDuring).toBe(true)
    expect(submit.busy.value).toBe(false)
    expect(error).not.toHaveBeenCalled()
  })

  it('does nothing when the form is invalid or not mounted', async () => {
    const work = vi.fn()
    const submit = useFormSubmit()
    await submit.run(work)
    submit.formRef.value = fakeForm(false)
    await submit.run(work)
    expect(work).not.toHaveBeenCalled()
    expect(submit.busy.value).toBe(false)
  })

  it('shows a failure with ElMessage.error and turns busy off', async () => {
    const submit = useFormSubmit()
    submit.formRef.value = fakeForm(true)
    await submit.run(async () => { throw new Error('refused') })
    expect(error).toHaveBeenCalledWith('refused')
    expect(submit.busy.value).toBe(false)
  })
})
