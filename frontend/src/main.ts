import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { router } from './router'
import { i18n, applyLocale, currentLocale } from './i18n'
import { setUnauthorizedHandler } from './api/client'
import { resetSessionState } from './stores/reset'
import './styles/main.css'

const app = createApp(App)
app.use(createPinia())
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

app.mount('#app')
