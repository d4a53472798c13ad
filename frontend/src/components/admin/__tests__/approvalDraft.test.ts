import { describe, expect, it } from 'vitest'
import type { ApprovalProcess, ObjectMeta } from '@/api/types'
import { approvalDraftFrom, approvalErrors, blankProcess, blankStep, checkApproval, toApprovalProcess } from '../approvalDraft'
import { blankAction } from '../workflowDraft'

const deal: ObjectMeta = {
  api_name: 'deal',
  labels: { en: 'Deal' },
  name_field: 'name',
  fields: [
    { api_name: 'name', type: 'text', labels: { en: 'Name' } },
    { api_name: 'amount', type: 'currency', labels: { en: 'Amount' } },
    { api_name: 'next_step', type: 'text', labels: { en: 'Next step' } },
  ],
}

const review: ApprovalProcess = {
  api_name: 'deal_review',
  labels: { en: 'Deal review', 'zh-CN': '商机审批' },
  description: 'Big deals',
  active: true,
  entry_criteria: 'amount > 0',
  steps: [
    { name: 'manager', labels: { en: 'Manager' }, approvers: ['manager'], mode: 'any' },
    { name: 'director', labels: { en: 'Director' }, approvers: ['role:regional_director', 'user:u1'], mode: 'all', condition: 'amount > 100000' },
  ],
  on_approve: [{ type: 'update_fields', values: { next_step: '"Approved"' } }],
  on_reject: [{ type: 'notify', to: ['owner'], subject: { en: '{{name}} was rejected' } }],
}

const ctx = (over: Partial<Parameters<typeof checkApproval>[1]> = {}) => ({ taken: ['deal_review'], isNew: true, object: deal, objectOf: () => deal, ...over })

describe('approval process draft', () => {
  it('round-trips a process, keeping what a newer server adds', () => {
    expect(toApprovalProcess(approvalDraftFrom(review))).toEqual(review)
    const newer = { ...review, escalate_after: 'P2D', steps: [{ ...review.steps[0], sla: 3 }] } as unknown as ApprovalProcess
    expect(toApprovalProcess(approvalDraftFrom(newer))).toMatchObject({ escalate_after: 'P2D', steps: [{ name: 'manager', sla: 3 }] })
  })

  it('leaves out what is empty', () => {
    const d = blankProcess()
    d.api_name = ' small '
    d.labels.en = 'Small'
    d.steps[0].labels.en = 'Boss'
    expect(toApprovalProcess(d)).toEqual({
      api_name: 'small',
      labels: { en: 'Small' },
      active: true,
      steps: [{ name: 'step_1', labels: { en: 'Boss' }, approvers: ['manager'], mode: 'any' }],
    })
  })

  it('checks names, steps and approvers before sending', () => {
    const d = blankProcess()
    d.api_name = 'deal_review'
    d.steps[0].approvers = []
    d.steps.push({ ...blankStep(2), name: 'step_1', approvers: ['boss'] })
    const keys = checkApproval(d, ctx()).map((p) => `${p.field.replace(/step:[^.]+/, 'step')} ${p.key}`)
    expect(keys).toEqual([
      'api_name admin.apiName.taken',
      'labels admin.check.labelRequired',
      'step.labels admin.check.labelRequired',
      'step.approvers approvals.check.approversRequired',
      'step.name approvals.check.stepNameTwice',
      'step.labels admin.check.labelRequired',
      'step.approvers approvals.check.approverInvalid',
    ])
    d.steps = []
    expect(checkApproval(d, ctx({ isNew: false })).map((p) => p.key)).toContain('approvals.check.stepsRequired')
  })

  it('checks outcome actions like workflow actions, and refuses starting another approval', () => {
    const d = approvalDraftFrom(review)
    d.on_reject.push(blankAction('start_approval'))
    d.on_approve[0].values[0].expression = ''
    const keys = checkApproval(d, ctx({ isNew: false })).map((p) => p.key)
    expect(keys).toEqual(['automation.check.valueRequired', 'approvals.check.noApprovalInOutcome'])
  })
})

describe('approval process errors', () => {
  it('puts the server errors on their inputs', () => {
    const d = approvalDraftFrom(review)
    const [s0, s1] = d.steps
    const out = approvalErrors(
      [
        { field: 'entry_criteria', code: 'invalid_expression', message: 'unknown field `amout`', position: 0, end: 5, suggestion: 'amount' },
        { field: 'steps[1].approvers[0]', code: 'invalid_value', message: 'an approver is manager, user:<id> or role:<api name>' },
        { field: 'steps[0].mode', code: 'invalid_value', message: 'mode must be any or all' },
        { field: 'steps[1].condition', code: 'invalid_expression', message: 'must be a boolean', position: 3 },
        { field: 'labels.en', code: 'too_long', message: 'too long' },
        { field: 'somewhere', code: 'x', message: 'elsewhere' },
      ],
      d,
    )
    expect(out.expressions.entry_criteria).toEqual({ message: 'unknown field `amout`', position: 0, end: 5, suggestion: 'amount' })
    expect(out.messages[`step:${s1.key}.approvers`]).toBe('role:regional_director: an approver is manager, user:<id> or role:<api name>')
    expect(out.messages[`step:${s0.key}.mode`]).toBe('mode must be any or all')
    expect(out.expressions[`step:${s1.key}.condition`]?.position).toBe(3)
    expect(out.messages['labels.en']).toBe('too long')
    expect(out.rest.map((e) => e.field)).toEqual(['somewhere'])
  })

  it('maps outcome action errors, also those numbered over both lists (actions[N])', () => {
    const d = approvalDraftFrom({ ...review, on_approve: [...review.on_approve!, { type: 'webhook', url: 'https://x.test' }] })
    const [approve0, approve1] = d.on_approve
    const [reject0] = d.on_reject
    const out = approvalErrors(
      [
        { field: 'actions[0].values.next_step', code: 'invalid_expression', message: 'unknown field `nope`', position: 0, end: 4 },
        { field: 'actions[2].template.en[0]', code: 'invalid_expression', message: 'unknown field `nam`' },
        { field: 'on_approve[1].url', code: 'invalid_value', message: 'not an address' },
        { field: 'on_reject[0].to[0]', code: 'invalid_value', message: 'no such user' },
        { field: 'on_reject[0].type', code: 'invalid_value', message: 'cannot start another approval' },
      ],
      d,
    )
    expect(out.expressions[`action:${approve0.key}.value:${approve0.values[0].key}`]?.message).toBe('unknown field `nope`')
    expect(out.messages[`action:${reject0.key}.templates`]).toBe('{{ name }} unknown field `nam`')
    expect(out.messages[`action:${approve1.key}.url`]).toBe('not an address')
    expect(out.messages[`action:${reject0.key}.to`]).toBe('owner: no such user')
    expect(out.messages[`action:${reject0.key}.type`]).toBe('cannot start another approval')
    expect(out.rest).toEqual([])
  })
})
