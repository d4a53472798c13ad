import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { router } from './router'
import { i18n, applyLocale, currentLocale } from './i18n'
import { setMetadataVersionHandler, setUnauthorizedHandler } from './api/client'
import { resetSessionState } from './stores/reset'
import { useMetadataStore } from './stores/metadata'
import { useSessionStore } from './stores/session'
import { createVersionWatcher } from './metadata/versionWatch'
import './styles/main.css'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia)
app.use(i18n)
app.use(router)

applyLocale(currentLocale())

// A token that stops working (expired, revoked) sends the user to sign in again.
setUnauthorizedHandler(() => {
  resetSessionState()
  const current = router.currentRoute.value
  if (current.name !== 'login') {
    void router.push({ name: 'login', query: { redirect: current.fullPath, expired: '1' } })
  }
})

// An admin's change made in another tab or on another device: the server's
// metadata version moves on, so fetch the metadata (and the tenant) again.
const metadata = useMetadataStore(pinia)
const session = useSessionStore(pinia)
const versionWatch = createVersionWatcher({
  held: () => (metadata.loaded ? metadata.version : null),
  reload: () => Promise.all([metadata.reload(), session.refreshTenant()]),
})
setMetadataVersionHandler(versionWatch.observe)

app.mount('#app')
