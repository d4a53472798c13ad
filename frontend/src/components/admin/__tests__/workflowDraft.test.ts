import { describe, expect, it } from 'vitest'
import type { ObjectMeta, Workflow } from '@/api/types'
import {
  actionTarget,
  blankAction,
  blankWorkflow,
  checkWorkflow,
  missingRequired,
  toWorkflow,
  valueRow,
  workflowDraftFrom,
  workflowErrors,
  type WorkflowContext,
} from '../workflowDraft'

const task: ObjectMeta = {
  api_name: 'task',
  labels: { en: 'Task' },
  name_field: 'name',
  fields: [
    { api_name: 'name', type: 'text', labels: { en: 'Name' }, required: true },
    { api_name: 'due_date', type: 'date', labels: { en: 'Due' } },
    { api_name: 'deal_id', type: 'lookup', target: 'deal', labels: { en: 'Deal' } },
    { api_name: 'number', type: 'auto_number', labels: { en: 'No.' } },
  ],
}
const deal: ObjectMeta = {
  api_name: 'deal',
  labels: { en: 'Deal' },
  name_field: 'name',
  fields: [
    { api_name: 'name', type: 'text', labels: { en: 'Name' } },
    { api_name: 'amount', type: 'currency', labels: { en: 'Amount' } },
    { api_name: 'is_key', type: 'boolean', labels: { en: 'Key' } },
    { api_name: 'close_date', type: 'date', labels: { en: 'Close date' } },
    { api_name: 'remind_at', type: 'datetime', labels: { en: 'Remind at' } },
    { api_name: 'account_id', type: 'lookup', target: 'account', labels: { en: 'Account' } },
    { api_name: 'net', type: 'currency', labels: { en: 'Net' }, formula: 'amount * 0.9' },
  ],
}
const account: ObjectMeta = { api_name: 'account', labels: { en: 'Account' }, name_field: 'name', fields: [{ api_name: 'name', type: 'text', labels: {} }] }
const objectOf = (n: string) => ({ task, deal, account })[n as 'task']

const keyFollowUp: Workflow = {
  api_name: 'key_follow_up',
  labels: { en: 'Key follow-up', 'zh-CN': '重点跟进' },
  description: 'When a deal becomes key',
  active: true,
  order: 10,
  trigger: { type: 'field_changed', field: 'is_key', to: 'true' },
  condition: 'amount > 500 && !prior.is_key',
  actions: [
    { type: 'create_record', object: 'task', values: { name: 'concat("Call about ", name)', due_date: 'add_days($today, 3)', deal_id: 'id' } },
    { type: 'notify', to: ['owner', 'role:sales_rep'], subject: { en: '{{name}} is now key', 'zh-CN': '{{name}} 已成为重点交易' }, body: { en: 'Amount {{amount}}' } },
    { type: 'webhook', url: 'https://example.com/hook' },
    { type: 'update_fields', target: 'account_id', values: { name: 'upper(account_id.name)' } },
    { type: 'email', to: ['manager'], subject: { 'zh-CN': '邮件' } },
  ],
}

function ctx(extra: Partial<WorkflowContext> = {}): WorkflowContext {
  return { taken: [], isNew: true, object: deal, objectOf, ...extra }
}

describe('workflow drafts', () => {
  it('round-trip a workflow with every kind of action', () => {
    expect(toWorkflow(workflowDraftFrom(keyFollowUp, deal), deal)).toEqual(keyFollowUp)
  })

  it('round-trip the triggers of the sales template', () => {
    const triggers = [
      { type: 'schedule', cron: '0 9 * * 1', filter: 'last_activity_at < days_ago(30)' },
      { type: 'date_relative', field: 'close_date', offset_days: 1, hour: 9 },
      { type: 'date_relative', field: 'remind_at', offset_minutes: -30 },
      { type: 'date_relative', field: 'remind_at', offset_days: -1, offset_minutes: -90 },
      { type: 'schedule', cron: '*/15 * * * *' },
      { type: 'manual' },
      { type: 'before_save' },
      { type: 'field_changed', field: 'amount' },
    ] as const
    for (const trigger of triggers) {
      const w: Workflow = { ...keyFollowUp, trigger, condition: undefined, description: undefined }
      delete w.condition
      delete w.description
      expect(toWorkflow(workflowDraftFrom(w, deal), deal).trigger).toEqual(trigger)
    }
  })

  it('write date offsets by the field’s type', () => {
    const d = blankWorkflow()
    d.trigger.type = 'date_relative'
    d.trigger.field = 'close_date'
    d.trigger.offset = { amount: 2, unit: 'days', direction: 'before' }
    d.trigger.hour = 8
    expect(toWorkflow(d, deal).trigger).toEqual({ type: 'date_relative', field: 'close_date', offset_days: -2, hour: 8 })
    d.trigger.field = 'remind_at'
    d.trigger.offset = { amount: 26, unit: 'hours', direction: 'before' }
    expect(toWorkflow(d, deal).trigger).toEqual({ type: 'date_relative', field: 'remind_at', offset_days: -1, offset_minutes: -120 })
  })

  it('leave out empty rows, empty languages and what a type does not use', () => {
    const d = blankWorkflow(20)
    d.api_name = ' bump '
    d.labels.en = 'Bump'
    d.trigger.type = 'manual'
    d.trigger.field = 'left over'
    const a = blankAction('update_fields')
    a.values = [valueRow('amount', ' amount + 1 '), valueRow()]
    a.url = 'left over'
    d.actions = [a]
    expect(toWorkflow(d, deal)).toEqual({
      api_name: 'bump',
      labels: { en: 'Bump' },
      active: true,
      order: 20,
      trigger: { type: 'manual' },
      actions: [{ type: 'update_fields', values: { amount: 'amount + 1' } }],
    })
  })

  it('keep actions the form does not edit, and what a newer server adds', () => {
    const kept = [
      { type: 'plugin', plugin: 'erp.sync', params: { mode: 'full' } },
      { type: 'start_approval', process: 'discount_approval' },
      { type: 'future_action', anything: [1, 2] },
    ] as unknown as Workflow['actions']
    const w = { ...keyFollowUp, actions: kept, owner_note: 'x', trigger: { ...keyFollowUp.trigger, jitter: 5 } } as unknown as Workflow
    const back = toWorkflow(workflowDraftFrom(w, deal), deal)
    expect(back.actions).toEqual(kept)
    expect(back).toMatchObject({ owner_note: 'x', trigger: { type: 'field_changed', jitter: 5 } })
    // An unknown property of an action the form edits stays with it.
    const notify = { type: 'notify', to: ['owner'], subject: { en: 'x' }, priority: 'high' } as unknown as Workflow['actions'][0]
    expect(toWorkflow(workflowDraftFrom({ ...keyFollowUp, actions: [notify] }, deal), deal).actions).toEqual([notify])
  })

  it('round-trip an assignment in turn, and clear a pool of what it cannot hold', () => {
    const assign: Workflow['actions'][0] = { type: 'assign_owner', to: ['role:sales_rep', 'user:u1'], match_field: 'name' }
    const d = workflowDraftFrom({ ...keyFollowUp, actions: [assign] }, deal)
    expect(toWorkflow(d, deal).actions).toEqual([assign])
    d.actions[0].to = ['owner']
    expect(checkWorkflow(d, ctx({ isNew: false })).map((p) => p.key)).toEqual(['automation.check.poolInvalid'])
    d.actions[0].to = []
    expect(checkWorkflow(d, ctx({ isNew: false })).map((p) => p.key)).toEqual(['automation.check.poolRequired'])
  })

  it('know where values go and which required fields a create misses', () => {
    const d = workflowDraftFrom(keyFollowUp, deal)
    expect(actionTarget(d.actions[0], deal, objectOf)?.api_name).toBe('task')
    expect(actionTarget(d.actions[3], deal, objectOf)?.api_name).toBe('account')
    expect(actionTarget(blankAction('update_fields'), deal, objectOf)?.api_name).toBe('deal')
    expect(missingRequired(d.actions[0], task)).toEqual([])
    const bare = blankAction('create_record')
    bare.object = 'task'
    expect(missingRequired(bare, task).map((f) => f.api_name)).toEqual(['name'])
  })
})

describe('what the server would refuse', () => {
  const keys = (d: ReturnType<typeof blankWorkflow>, c = ctx()) => checkWorkflow(d, c).map((p) => `${p.field.replace(/action:[^.]+/, 'action').replace(/:v\d+/, ':row')} ${p.key}`)

  it('a blank workflow: name, label and the recipients are set by default', () => {
    const d = blankWorkflow()
    expect(keys(d)).toEqual(['api_name admin.apiName.empty', 'labels admin.check.labelRequired', 'action.subject automation.check.subjectRequired'])
  })

  it('triggers without what they need', () => {
    const d = workflowDraftFrom(keyFollowUp, deal)
    d.trigger.type = 'field_changed'
    d.trigger.field = ''
    expect(keys(d, ctx({ isNew: false }))).toEqual(['trigger.field automation.check.fieldRequired'])
    d.trigger.type = 'date_relative'
    d.trigger.field = 'amount'
    d.trigger.hour = 24
    expect(keys(d, ctx({ isNew: false }))).toEqual(['trigger.field automation.check.dateFieldRequired', 'trigger.hour automation.check.hourRange'])
    d.trigger.field = 'close_date'
    d.trigger.hour = 9
    d.trigger.offset = { amount: 4000, unit: 'days', direction: 'after' }
    expect(keys(d, ctx({ isNew: false }))).toEqual(['trigger.offset automation.check.offsetRange'])
    d.trigger.type = 'schedule'
    d.trigger.schedule = { ...d.trigger.schedule, mode: 'custom', raw: 'every day' }
    expect(keys(d, ctx({ isNew: false }))).toEqual(['trigger.cron automation.check.cron'])
  })

  it('actions without what they need, and before-save limits', () => {
    const d = workflowDraftFrom(keyFollowUp, deal)
    d.actions[0].object = ''
    d.actions[0].values = [valueRow('name', 'x'), valueRow('name', ''), valueRow('', 'y')]
    d.actions[1].to = ['owner', 'field:account_id']
    d.actions[2].url = 'ftp://x'
    d.trigger.type = 'before_save'
    expect(keys(d, ctx({ isNew: false }))).toEqual([
      'action.type automation.check.beforeSaveOnlyUpdates',
      'action.object automation.check.objectRequired',
      'action.field:row automation.check.valueFieldTwice',
      'action.value:row automation.check.valueRequired',
      'action.field:row automation.check.valueFieldRequired',
      'action.type automation.check.beforeSaveOnlyUpdates',
      'action.to automation.check.recipientInvalid',
      'action.type automation.check.beforeSaveOnlyUpdates',
      'action.url automation.check.url',
      'action.target automation.check.beforeSaveOwnRecord',
      'action.type automation.check.beforeSaveOnlyUpdates',
    ])
    d.actions = []
    expect(keys(d, ctx({ isNew: false }))).toEqual(['actions automation.check.actionsRequired'])
  })
})

describe('server errors on the workflow dialog', () => {
  it('go to their inputs, and stay with their action when it moves', () => {
    const d = workflowDraftFrom(keyFollowUp, deal)
    const [create, notify, hook, update] = d.actions
    const out = workflowErrors(
      [
        { field: 'condition', code: 'invalid_expression', message: 'unknown field `amout`, did you mean `amount`?', position: 0, end: 5, suggestion: 'amount' },
        { field: 'trigger.cron', code: 'invalid_value', message: 'cron must be five fields' },
        { field: 'trigger.offset_days', code: 'out_of_range', message: 'within ten years' },
        { field: 'api_name', code: 'conflict', message: 'taken' },
        { field: 'actions[0].values.due_date', code: 'invalid_expression', message: 'unknown function', position: 0, end: 3 },
        { field: 'actions[0].values.name', code: 'read_only', message: 'name is computed' },
        { field: 'actions[1].to[1]', code: 'invalid_value', message: 'a recipient is owner, …' },
        { field: 'actions[1].template.zh-CN[0]', code: 'invalid_expression', message: 'unknown field `nam`', position: 0 },
        { field: 'actions[2].url', code: 'invalid_value', message: 'url must be absolute' },
        { field: 'actions[3].target', code: 'invalid_value', message: 'target must be a lookup' },
        { field: 'actions[9].url', code: 'invalid_value', message: 'no such action' },
        { field: 'actions[0].values.gone', code: 'unknown_field', message: 'no field gone' },
        { field: '', code: 'x', message: 'general' },
      ],
      d,
    )
    expect(out.expressions.condition).toEqual({ message: 'unknown field `amout`, did you mean `amount`?', position: 0, end: 5, suggestion: 'amount' })
    expect(out.messages).toMatchObject({ 'trigger.cron': 'cron must be five fields', 'trigger.offset': 'within ten years', api_name: 'taken' })
    const due = create.values.find((r) => r.field === 'due_date')!
    const name = create.values.find((r) => r.field === 'name')!
    expect(out.expressions[`action:${create.key}.value:${due.key}`]).toMatchObject({ message: 'unknown function', position: 0, end: 3 })
    expect(out.messages[`action:${create.key}.field:${name.key}`]).toBe('name is computed')
    expect(out.messages[`action:${notify.key}.to`]).toBe('role:sales_rep: a recipient is owner, …')
    expect(out.messages[`action:${notify.key}.templates`]).toBe('{{ name }} unknown field `nam`')
    expect(out.messages[`action:${hook.key}.url`]).toBe('url must be absolute')
    expect(out.messages[`action:${update.key}.target`]).toBe('target must be a lookup')
    expect(out.rest.map((e) => e.message)).toEqual(['no such action', 'no field gone', 'general'])
  })
})
