// The board offers moving cards (drag and drop, "Move to…") only to users
// who may edit the object's records and its stage field.
import { describe, expect, it } from 'vitest'
import type { ObjectMeta, OptionMeta, RecordData } from '@/api/types'
import { normalisePermissions, PermissionView } from '@/access/permissions'
import { mountApp } from '@/test/mountApp'
import { canMoveCards } from './movable'
import KanbanCard from './KanbanCard.vue'
import KanbanColumn from './KanbanColumn.vue'

const perms = normalisePermissions({
  capabilities: [],
  objects: {
    opportunity: { read: true, edit: true },
    lead: { read: true },
    account: { read: true, modify_all: true },
    contract: { read: true, edit: true },
  },
  fields: { contract: { status: 'read_only' }, opportunity: { stage: 'editable' } },
})
const member = new PermissionView(perms, 'member')

describe('canMoveCards', () => {
  it('needs edit on the object', () => {
    expect(canMoveCards(member, 'opportunity', 'stage')).toBe(true)
    expect(canMoveCards(member, 'lead', 'status')).toBe(false)
    expect(canMoveCards(member, 'unknown', 'stage')).toBe(false)
  })

  it('needs the stage field to be editable', () => {
    expect(canMoveCards(member, 'contract', 'status')).toBe(false)
    expect(canMoveCards(new PermissionView(normalisePermissions({ objects: { contract: { edit: true } }, fields: { contract: { status: 'hidden' } } }), 'member'), 'contract', 'status')).toBe(false)
    expect(canMoveCards(member, 'contract', undefined)).toBe(true)
  })

  it('lets admins move anything', () => {
    expect(canMoveCards(new PermissionView(perms, 'admin'), 'lead', 'status')).toBe(true)
  })
})

const object: ObjectMeta = {
  api_name: 'opportunity',
  labels: { en: 'Opportunity' },
  name_field: 'name',
  fields: [{ api_name: 'name', type: 'text', labels: { en: 'Name' } }],
} as ObjectMeta
const stages: OptionMeta[] = [
  { api_name: 'qualification', labels: { en: 'Qualification' } },
  { api_name: 'proposal', labels: { en: 'Proposal' } },
]
const record = { id: 'r1', name: 'Big deal', stage: 'qualification', version: 1 } as unknown as RecordData

function card(movable: boolean) {
  return mountApp(KanbanCard, { props: { object, record, stages, current: 'qualification', movable } })
}

describe('KanbanCard', () => {
  it('is draggable with a "Move to" menu when the user may move it', () => {
    const w = card(true)
    expect(w.find('[data-testid=kanban-card]').attributes('draggable')).toBe('true')
    expect(w.find('.kanban-card-menu').exists()).toBe(true)
  })

  it('is neither draggable nor offers "Move to" when the user may not', async () => {
    const w = card(false)
    const el = w.find('[data-testid=kanban-card]')
    expect(el.attributes('draggable')).toBe('false')
    expect(w.find('.kanban-card-menu').exists()).toBe(false)
    await el.trigger('dragstart')
    expect(w.emitted('dragstart')).toBeUndefined()
    // Still opens the record.
    await el.trigger('click')
    expect(w.emitted('open')).toHaveLength(1)
  })
})

describe('KanbanColumn', () => {
  function column(movable: boolean) {
    return mountApp(KanbanColumn, {
      props: { object, stage: stages[1], stages, records: [record], count: 1, total: null, loading: false, hasMore: false, movable },
    })
  }
  const drop = { dataTransfer: { getData: () => 'r1' } }

  it('passes the flag to its cards and takes drops when cards move', async () => {
    const w = column(true)
    expect(w.findComponent(KanbanCard).props('movable')).toBe(true)
    await w.find('[data-testid=kanban-column]').trigger('drop', drop)
    expect(w.emitted('drop')?.[0]).toEqual(['r1'])
  })

  it('is no drop target when cards do not move', async () => {
    const w = column(false)
    expect(w.findComponent(KanbanCard).props('movable')).toBe(false)
    await w.find('[data-testid=kanban-column]').trigger('drop', drop)
    expect(w.emitted('drop')).toBeUndefined()
  })
})
