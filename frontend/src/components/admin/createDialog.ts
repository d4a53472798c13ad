// What the admin "create" dialogs share: the submit flow (saving, the
// server's errors by path, a toast for anything no input shows) and an api
// name suggested from the English label until the admin edits it.
import { computed, ref, shallowRef, watch, type Ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { useFeedback } from '@/composables/useFeedback'
import { apiNameProblem, suggestApiName } from './apiName'
import { labelsOf, type BilingualText } from './fieldDraft'
import { pathErrors, PathErrors } from './problemPaths'

/** `submitted` once the admin tried, `saving` while the request runs, and the server's errors by path. */
export function useDialogSubmit() {
  const feedback = useFeedback()
  const submitted = ref(false)
  const saving = ref(false)
  const errors = shallowRef(new PathErrors())

  /** Back to untried and error-free (when the dialog opens). */
  function reset(): void {
    submitted.value = false
    errors.value = new PathErrors()
  }

  /** Runs the request; its field errors land in `errors`, any other failure is a toast. */
  async function run(action: () => Promise<void>): Promise<void> {
    saving.value = true
    errors.value = new PathErrors()
    try {
      await action()
    } catch (e) {
      errors.value = pathErrors(e)
      if (errors.value.empty) feedback.error(e)
    } finally {
      saving.value = false
    }
  }

  return { submitted, saving, errors, reset, run }
}

/** An api name that follows the English label until edited, and its error (the server's first). */
export function useApiName(labelEn: () => string, taken: () => string[], errors: Ref<PathErrors>, submitted: Ref<boolean>) {
  const { t } = useI18n()
  const apiName = ref('')
  const nameEdited = ref(false)

  watch(labelEn, (en) => {
    if (!nameEdited.value) apiName.value = suggestApiName(en, taken())
  })

  const apiNameError = computed(() => {
    const server = errors.value.at('api_name')
    if (server) return server
    if (!apiName.value && !submitted.value) return ''
    const p = apiNameProblem(apiName.value, taken())
    return p ? t(`admin.apiName.${p.key}`, p.params ?? {}) : ''
  })

  /** What the admin typed: clearing the input brings the suggestion back. */
  function edit(value: string): void {
    apiName.value = value
    nameEdited.value = value !== ''
  }

  /** A fresh start (when the dialog opens), optionally with a suggestion already in. */
  function reset(value = ''): void {
    apiName.value = value
    nameEdited.value = false
  }

  return { apiName, apiNameError, edit, reset }
}

/** The label's error: the server's at one of `paths`, else "required" once submitted with neither language. */
export function useLabelError(labels: () => BilingualText, errors: Ref<PathErrors>, submitted: Ref<boolean>, paths: string[]) {
  const { t } = useI18n()
  return computed(() => {
    const server = errors.value.at(...paths)
    if (server) return server
    const l = labelsOf(labels())
    return submitted.value && !l.en && !l['zh-CN'] ? t('admin.check.labelRequired') : ''
  })
}
