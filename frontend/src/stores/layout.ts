// Shell state: the side navigation (collapsed on desktop, a drawer on phones).
import { defineStore } from 'pinia'
import { ref, watch } from 'vue'

const KEY = 'tessera.navCollapsed'

export const useLayoutStore = defineStore('layout', () => {
  const navCollapsed = ref(localStorage.getItem(KEY) === '1')
  const mobileNavOpen = ref(false)

  watch(navCollapsed, (v) => localStorage.setItem(KEY, v ? '1' : '0'))

  function toggleNav(): void {
    navCollapsed.value = !navCollapsed.value
  }

  return { navCollapsed, mobileNavOpen, toggleNav }
})
