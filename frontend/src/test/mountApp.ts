// Mounting components in unit tests with the app's plugins: Pinia, vue-i18n
// and a memory router with the routes the components link to.
import { mount, type ComponentMountingOptions } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { defineComponent, h, type Component } from 'vue'
import { i18n } from '@/i18n'

const Stub = defineComponent({ render: () => h('div') })

export function testRouter() {
  return createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', name: 'home', component: Stub },
      { path: '/o/:object', name: 'object-list', component: Stub },
      { path: '/o/:object/new', name: 'record-new', component: Stub },
      { path: '/o/:object/:id', name: 'record', component: Stub },
    ],
  })
}

export function mountApp<C extends Component>(component: C, options: ComponentMountingOptions<C> = {} as ComponentMountingOptions<C>) {
  const pinia = createPinia()
  setActivePinia(pinia)
  i18n.global.locale.value = 'en'
  return mount(component, {
    ...options,
    global: { plugins: [pinia, i18n, testRouter()], ...(options.global ?? {}) },
  } as ComponentMountingOptions<C>)
}
