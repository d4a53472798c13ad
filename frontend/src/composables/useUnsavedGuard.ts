// Keeps people from losing edits: asks before leaving the route, and lets
// the browser ask before closing or reloading the tab.
import { onBeforeUnmount, onMounted, type Ref } from 'vue'
import { onBeforeRouteLeave } from 'vue-router'
import { ElMessageBox } from 'element-plus'
import 'element-plus/es/components/message-box/style/css'
import { useI18n } from 'vue-i18n'

export function useUnsavedGuard(dirty: Ref<boolean>) {
  const { t } = useI18n()

  function onBeforeUnload(e: BeforeUnloadEvent): void {
    if (!dirty.value) return
    e.preventDefault()
    e.returnValue = ''
  }

  onMounted(() => window.addEventListener('beforeunload', onBeforeUnload))
  onBeforeUnmount(() => window.removeEventListener('beforeunload', onBeforeUnload))

  onBeforeRouteLeave(async () => {
    if (!dirty.value) return true
    try {
      await ElMessageBox.confirm(t('common.confirm.discard'), t('common.confirm.discardTitle'), {
        type: 'warning',
        confirmButtonText: t('common.confirm.discardOk'),
        cancelButtonText: t('common.confirm.keepEditing'),
      })
      return true
    } catch {
      return false
    }
  })
}
