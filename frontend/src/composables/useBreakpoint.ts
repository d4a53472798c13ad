// Phone-width detection shared by every view (one media query listener).
import { ref } from 'vue'

const PHONE_QUERY = '(max-width: 768px)'
const isPhone = ref(false)
let installed = false

function install(): void {
  if (installed || typeof window === 'undefined' || !window.matchMedia) return
  installed = true
  const mq = window.matchMedia(PHONE_QUERY)
  isPhone.value = mq.matches
  mq.addEventListener('change', (e) => (isPhone.value = e.matches))
}

export function useBreakpoint() {
  install()
  return { isPhone }
}
