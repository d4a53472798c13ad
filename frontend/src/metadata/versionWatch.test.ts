import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createVersionWatcher, isNewerVersion, parseMetadataVersion } from './versionWatch'

describe('parseMetadataVersion', () => {
  it('reads non-negative integers only', () => {
    expect(parseMetadataVersion('12')).toBe(12)
    expect(parseMetadataVersion(' 7 ')).toBe(7)
    expect(parseMetadataVersion('0')).toBe(0)
    expect(parseMetadataVersion(null)).toBeNull()
    expect(parseMetadataVersion('')).toBeNull()
    expect(parseMetadataVersion('-1')).toBeNull()
    expect(parseMetadataVersion('1.5')).toBeNull()
    expect(parseMetadataVersion('abc')).toBeNull()
  })
})

describe('isNewerVersion', () => {
  it('is true only for a newer version of loaded metadata', () => {
    expect(isNewerVersion(5, 4)).toBe(true)
    expect(isNewerVersion(4, 4)).toBe(false)
    expect(isNewerVersion(3, 4)).toBe(false)
    expect(isNewerVersion(5, null)).toBe(false)
    expect(isNewerVersion(null, 4)).toBe(false)
  })
})

describe('createVersionWatcher', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  function setup(held: number | null) {
    const state = { held }
    const reload = vi.fn(async () => {
      state.held = 9
    })
    const watcher = createVersionWatcher({ held: () => state.held, reload, delay: 300 })
    return { state, reload, watcher }
  }

  it('reloads once, after the delay, for a burst of newer versions', async () => {
    const { reload, watcher } = setup(4)
    watcher.observe('5')
    watcher.observe('5')
    vi.advanceTimersByTime(200)
    watcher.observe('6')
    expect(reload).not.toHaveBeenCalled()
    vi.advanceTimersByTime(299)
    expect(reload).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(reload).toHaveBeenCalledTimes(1)
  })

  it('ignores the same, older or missing versions and unloaded metadata', () => {
    const { reload, watcher } = setup(4)
    watcher.observe('4')
    watcher.observe('3')
    watcher.observe(null)
    watcher.observe('x')
    vi.advanceTimersByTime(1000)
    expect(reload).not.toHaveBeenCalled()

    const unloaded = setup(null)
    unloaded.watcher.observe('8')
    vi.advanceTimersByTime(1000)
    expect(unloaded.reload).not.toHaveBeenCalled()
  })

  it('does not schedule again for a version already being fetched, but does for a later one', async () => {
    const { reload, watcher, state } = setup(4)
    watcher.observe('5')
    vi.advanceTimersByTime(300)
    expect(reload).toHaveBeenCalledTimes(1)
    await vi.runAllTimersAsync()
    expect(state.held).toBe(9)
    watcher.observe('9')
    vi.advanceTimersByTime(1000)
    expect(reload).toHaveBeenCalledTimes(1)
    watcher.observe('10')
    vi.advanceTimersByTime(300)
    expect(reload).toHaveBeenCalledTimes(2)
  })

  it('cancel drops a scheduled reload', () => {
    const { reload, watcher } = setup(4)
    watcher.observe('5')
    watcher.cancel()
    vi.advanceTimersByTime(1000)
    expect(reload).not.toHaveBeenCalled()
  })
})
