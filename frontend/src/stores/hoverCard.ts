// One shared hover card for lookup links: a list of 50 rows with lookups
// creates no popovers; the card moves to whichever link is hovered.
import { defineStore } from 'pinia'
import { ref } from 'vue'

export interface HoverTarget {
  object: string
  id: string
  rect: { top: number; left: number; bottom: number; right: number }
}

export const useHoverCardStore = defineStore('hoverCard', () => {
  const target = ref<HoverTarget | null>(null)
  let showTimer: ReturnType<typeof setTimeout> | undefined
  let hideTimer: ReturnType<typeof setTimeout> | undefined

  function show(el: HTMLElement, object: string, id: string): void {
    clearTimeout(hideTimer)
    clearTimeout(showTimer)
    showTimer = setTimeout(() => {
      const r = el.getBoundingClientRect()
      target.value = { object, id, rect: { top: r.top, left: r.left, bottom: r.bottom, right: r.right } }
    }, 350)
  }

  function hide(): void {
    clearTimeout(showTimer)
    clearTimeout(hideTimer)
    hideTimer = setTimeout(() => (target.value = null), 200)
  }

  function keep(): void {
    clearTimeout(hideTimer)
  }

  function close(): void {
    clearTimeout(showTimer)
    clearTimeout(hideTimer)
    target.value = null
  }

  return { target, show, hide, keep, close }
})
