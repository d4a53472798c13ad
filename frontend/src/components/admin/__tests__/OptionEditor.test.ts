// The option editor: keyboard reordering on the handle, names suggested
// from English labels, options in use can be deactivated but not removed,
// stage columns for pipelines, server errors next to their option.
import { describe, expect, it } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { mountApp } from '@/test/mountApp'
import OptionEditor from '../OptionEditor.vue'
import { optionDraft, type OptionDraft } from '../fieldDraft'
import { PathErrors } from '../problemPaths'

function options(): OptionDraft[] {
  return [optionDraft({ api_name: 'high', labels: { en: 'High' }, color: '#dc2626' }, true), optionDraft({ api_name: 'low', labels: { en: 'Low' } }, true)]
}

function last(w: ReturnType<typeof mountApp>): OptionDraft[] {
  const events = w.emitted('update:modelValue') as OptionDraft[][][]
  return events[events.length - 1][0]
}

describe('OptionEditor', () => {
  it('moves an option with ↑ / ↓ on its handle', async () => {
    const w = mountApp(OptionEditor, { props: { modelValue: options() }, attachTo: document.body })
    await w.findAll('[data-testid=option-handle]')[1].trigger('keydown', { key: 'ArrowUp' })
    expect(last(w).map((o) => o.api_name)).toEqual(['low', 'high'])
    w.unmount()
  })

  it('suggests the api name of a new option from its English label', async () => {
    const w = mountApp(OptionEditor, { props: { modelValue: [] } })
    await w.find('[data-testid=option-add]').trigger('click')
    const added = last(w)
    expect(added).toHaveLength(1)
    expect(added[0].api_name).toBe('option_1')
    await w.setProps({ modelValue: added })
    await w.find('input[data-testid=option-label-en]').setValue('Closed Won')
    expect(last(w)[0].api_name).toBe('closed_won')
  })

  it('keeps options that records use: remove is disabled, deactivating works', async () => {
    const w = mountApp(OptionEditor, { props: { modelValue: options(), usage: { high: 12 } } })
    await flushPromises()
    const remove = w.findAll('[data-testid=option-remove]')
    expect(remove[0].attributes('disabled')).toBeDefined()
    expect(remove[1].attributes('disabled')).toBeUndefined()
    await remove[1].trigger('click')
    expect(last(w).map((o) => o.api_name)).toEqual(['high'])
  })

  it('shows stage columns for pipelines and server errors next to the option', async () => {
    const errors = new PathErrors([{ field: 'options[1].probability', code: 'out_of_range', message: 'probability must be between 0 and 100' }])
    const w = mountApp(OptionEditor, { props: { modelValue: options(), stages: true, errors } })
    await flushPromises()
    expect(w.findAll('[data-testid=option-probability]')).toHaveLength(2)
    const rows = w.findAll('.option-row')
    expect(rows[1].text()).toContain('probability must be between 0 and 100')
    expect(rows[0].text()).not.toContain('probability must be')
  })
})
