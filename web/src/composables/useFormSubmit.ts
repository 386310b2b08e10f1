import { ref } from 'vue'
import { ElMessage, type FormInstance } from 'element-plus'

/**
 * The submit of a dialog form: `run(work)` validates the form (bound with `ref="formRef"`), then runs
 * `work` with `busy` on; an error it throws is shown with ElMessage.error. `work` does the rest
 * (the request, the success message, emitting, closing) and may return early after its own checks.
 */
export function useFormSubmit() {
  const formRef = ref<FormInstance>()
  const busy = ref(false)

  async function run(work: () => Promise<void>): Promise<void> {
    if (!(await formRef.value?.validate().catch(() => false))) return
    busy.value = true
    try {
      await work()
    } catch (e) {
      ElMessage.error((e as Error).message)
    } finally {
      busy.value = false
    }
  }

  return { formRef, busy, run }
}
