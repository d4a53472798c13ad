// Toasts, confirmations and the one mapping of API errors to messages.
import { ElMessage, ElMessageBox } from 'element-plus'
import 'element-plus/es/components/message/style/css'
import 'element-plus/es/components/message-box/style/css'
import 'element-plus/es/components/button/style/css'
import 'element-plus/es/components/input/style/css'
import { useI18n } from 'vue-i18n'
import { ApiError } from '@/api/client'

export function useFeedback() {
  const { t } = useI18n()

  function errorText(err: unknown): string {
    if (err instanceof ApiError) {
      if (err.status === 0) return t('common.state.offline')
      if (err.isCsrfFailure) return t('access.errors.csrf')
      if (err.isLockedOut) return lockoutText(err.retryAfter)
      if (err.status === 403) return t('common.error.forbidden')
      if (err.status === 503) return t('common.error.busy')
      if (err.status === 413) return t('common.error.tooLarge')
      if (err.code === 'not_found') return t('common.error.notFound')
      const detail = err.errors.length ? err.errors.map((e) => e.message).join('; ') : err.detail || err.code
      return t('common.error.generic', { detail })
    }
    return t('common.error.generic', { detail: err instanceof Error ? err.message : String(err) })
  }

  /** "Too many attempts: try again in N minutes" from Retry-After seconds. */
  function lockoutText(seconds: number | undefined): string {
    if (seconds === undefined) return t('access.errors.lockedOut')
    return t('access.errors.lockedOutMinutes', { n: lockoutMinutes(seconds) })
  }

  function success(message: string): void {
    ElMessage({ type: 'success', message, grouping: true })
  }

  function info(message: string): void {
    ElMessage({ type: 'info', message, grouping: true })
  }

  function error(err: unknown): void {
    ElMessage({ type: 'error', message: errorText(err), grouping: true, duration: 5000, showClose: true })
  }

  /** Asks before a destructive action; resolves true when confirmed. */
  async function confirmDanger(message: string, confirmText = t('common.action.delete')): Promise<boolean> {
    try {
      await ElMessageBox.confirm(message, t('common.confirm.title'), {
        type: 'warning',
        confirmButtonText: confirmText,
        cancelButtonText: t('common.action.cancel'),
        confirmButtonClass: 'el-button--danger',
        autofocus: false,
      })
      return true
    } catch {
      return false
    }
  }

  async function confirm(message: string, confirmText = t('common.action.confirm')): Promise<boolean> {
    try {
      await ElMessageBox.confirm(message, t('common.confirm.title'), {
        type: 'info',
        confirmButtonText: confirmText,
        cancelButtonText: t('common.action.cancel'),
      })
      return true
    } catch {
      return false
    }
  }

  /** Explains a 412 and offers to reload; resolves true when the user wants the latest. */
  async function explainConflict(): Promise<boolean> {
    try {
      await ElMessageBox.confirm(t('common.conflict.message'), t('common.conflict.title'), {
        type: 'warning',
        confirmButtonText: t('common.conflict.reload'),
        cancelButtonText: t('common.action.cancel'),
      })
      return true
    } catch {
      return false
    }
  }

  async function prompt(title: string, label: string, initial = '', placeholder = ''): Promise<string | null> {
    try {
      const res = (await ElMessageBox.prompt(label, title, {
        inputValue: initial,
        inputPlaceholder: placeholder,
        confirmButtonText: t('common.action.save'),
        cancelButtonText: t('common.action.cancel'),
        inputValidator: (v: string) => (v && v.trim() ? true : t('workspace.view.nameRequired')),
      })) as { value: string }
      return res.value.trim()
    } catch {
      return null
    }
  }

  return { success, info, error, errorText, lockoutText, confirm, confirmDanger, explainConflict, prompt }
}

/** Retry-After seconds as whole minutes (at least 1). */
export function lockoutMinutes(seconds: number): number {
  return Math.max(1, Math.ceil(seconds / 60))
}
