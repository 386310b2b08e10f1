import { ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElMessage } from 'element-plus'
import { readJsonFile } from '@/api/accountsBulk'
import type { AdminDataImportResult, AdminDataPayload } from '@/api/adminProxiesBulk'

/**
 * A hidden file input that reads a JSON export and hands it to `importer`; the result message is built by `describe`.
 * Failed items are listed (at most five) so the admin sees why.
 */
export function useDataFileImport(importer: (data: AdminDataPayload) => Promise<AdminDataImportResult>,
  describe: (r: AdminDataImportResult) => string, done: () => void) {
  const { t } = useI18n()
  const input = ref<HTMLInputElement | null>(null)
  const importing = ref(false)

  function choose() {
    input.value?.click()
  }

  async function onFile(event: Event) {
    const target = event.target as HTMLInputElement
    const file = target.files?.[0]
    target.value = ''
    if (!file) return
    let data: AdminDataPayload
    try {
      data = await readJsonFile(file)
    } catch {
      ElMessage.error(t('proxiesBulk.importNotJson'))
      return
    }
    importing.value = true
    try {
      const result = await importer(data)
      ElMessage.success(describe(result))
      if (result.errors?.length) {
        ElMessage.warning(t('proxiesBulk.importFailedItems', {
          errors: result.errors.slice(0, 5).map((e) => `${e.name || e.kind}: ${e.message}`).join('; '),
        }))
      }
      done()
    } catch (e) {
      ElMessage.error((e as Error).message)
    } finally {
      importing.value = false
    }
  }

  return { input, importing, choose, onFile }
}
