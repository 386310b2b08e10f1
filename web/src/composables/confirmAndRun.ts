import { ElMessage, ElMessageBox } from 'element-plus'
import { i18n } from '@/i18n'

// The app's one i18n instance, typed loosely: its message schema is too deep for the compiler to instantiate here.
const t = (key: string): string => (i18n.global as unknown as { t: (key: string) => string }).t(key)

/** The danger-styled confirmation every destructive action asks for; false when the user cancels. */
export async function confirmDanger(message: string, action = t('common.delete')): Promise<boolean> {
  return ElMessageBox.confirm(message, action, {
    type: 'warning', confirmButtonText: action, cancelButtonText: t('common.cancel'), confirmButtonClass: 'el-button--danger',
  }).then(() => true, () => false)
}

/**
 * Confirm, run, and say it is done (`done`, else "Deleted"); a failure is shown with its message. Returns whether
 * the action ran and succeeded.
 */
export async function confirmAndRun(message: string, run: () => Promise<unknown>,
  options: { action?: string; done?: string } = {}): Promise<boolean> {
  if (!(await confirmDanger(message, options.action))) return false
  try {
    await run()
    ElMessage.success(options.done ?? t('common.deleted'))
    return true
  } catch (e) {
    ElMessage.error((e as Error).message)
    return false
  }
}
