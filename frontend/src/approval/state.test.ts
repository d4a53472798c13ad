import { describe, expect, it } from 'vitest'
import type { Approval, ApprovalProcess } from '@/api/types'
import { approvalButtons, isLockedFor, myTask, pendingApproval, stepViews } from './state'

function approval(over: Partial<Approval> = {}): Approval {
  return {
    id: 'a1',
    object: 'deal',
    record_id: 'r1',
    process: 'review',
    status: 'pending',
    step: 0,
    submitted_by: 'rep',
    submitted_at: '2026-01-05T08:00:00Z',
    decided_at: null,
    comment: '',
    tasks: [{ id: 't1', step: 0, approver_id: 'boss', status: 'pending', comment: '', created_at: '2026-01-05T08:00:00Z', decided_at: null }],
    ...over,
  }
}

const rep = { userId: 'rep', isAdmin: false, canEdit: true }
const boss = { userId: 'boss', isAdmin: false, canEdit: false }
const admin = { userId: 'root', isAdmin: true, canEdit: true }

describe('approval buttons', () => {
  it('offer Submit to an editor when a process is active and nothing is pending', () => {
    expect(approvalButtons([], 1, rep).submit).toBe(true)
    expect(approvalButtons([], 0, rep).submit).toBe(false)
    expect(approvalButtons([], 1, { ...rep, canEdit: false }).submit).toBe(false)
    expect(approvalButtons([approval({ status: 'rejected' })], 1, rep).submit).toBe(true)
    expect(approvalButtons([approval()], 1, rep).submit).toBe(false)
  })

  it('let the submitter and admins recall a pending approval', () => {
    expect(approvalButtons([approval()], 1, rep).recall).toBe(true)
    expect(approvalButtons([approval()], 1, admin).recall).toBe(true)
    expect(approvalButtons([approval()], 1, boss).recall).toBe(false)
    expect(approvalButtons([approval({ status: 'approved' })], 1, rep).recall).toBe(false)
  })

  it('give the current approver Approve, Reject and Reassign', () => {
    expect(approvalButtons([approval()], 1, boss)).toMatchObject({ approve: true, reject: true, reassign: true, reassignOthers: false })
    expect(approvalButtons([approval()], 1, rep)).toMatchObject({ approve: false, reject: false, reassign: false })
    // An answered task, or one of another step, is not a turn.
    const answered = approval({ tasks: [{ ...approval().tasks[0], status: 'approved' }] })
    expect(myTask(answered, 'boss')).toBeUndefined()
    const later = approval({ step: 1 })
    expect(approvalButtons([later], 1, boss).approve).toBe(false)
  })

  it('let an admin hand over someone else’s open task', () => {
    expect(approvalButtons([approval()], 1, admin)).toMatchObject({ approve: false, reassign: false, reassignOthers: true })
    expect(approvalButtons([approval({ status: 'rejected' })], 1, admin).reassignOthers).toBe(false)
  })

  it('lock a pending record for members only', () => {
    expect(isLockedFor([approval()], rep)).toBe(true)
    expect(isLockedFor([approval()], admin)).toBe(false)
    expect(isLockedFor([approval({ status: 'recalled' })], rep)).toBe(false)
    expect(pendingApproval([approval({ id: 'new', status: 'approved' }), approval({ id: 'old' })])?.id).toBe('old')
  })
})

describe('approval steps', () => {
  const process: ApprovalProcess = {
    api_name: 'review',
    labels: { en: 'Review' },
    active: true,
    steps: [
      { name: 'manager', labels: { en: 'Manager' }, approvers: ['manager'], mode: 'any' },
      { name: 'director', labels: { en: 'Director' }, approvers: ['role:director'], mode: 'any' },
      { name: 'ceo', labels: { en: 'CEO' }, approvers: ['role:ceo'], mode: 'any', condition: 'amount > 1000000' },
    ],
  }
  const name = (i: number) => process.steps[i]?.name ?? ''

  it('show each step’s state with its tasks', () => {
    const a = approval({
      step: 1,
      tasks: [
        { id: 't1', step: 0, approver_id: 'boss', status: 'approved', comment: 'ok', created_at: '', decided_at: '2026-01-05T09:00:00Z' },
        { id: 't2', step: 1, approver_id: 'd1', status: 'pending', comment: '', created_at: '', decided_at: null },
        { id: 't3', step: 1, approver_id: 'd2', status: 'pending', comment: '', created_at: '', decided_at: null },
      ],
    })
    const views = stepViews(a, process, name)
    expect(views.map((v) => [v.name, v.state, v.tasks.length])).toEqual([
      ['manager', 'approved', 1],
      ['director', 'current', 2],
      ['ceo', 'waiting', 0],
    ])
  })

  it('mark a rejection, and steps never reached once decided', () => {
    const rejected = approval({
      status: 'rejected',
      step: 1,
      tasks: [
        { id: 't1', step: 0, approver_id: 'boss', status: 'approved', comment: '', created_at: '', decided_at: '' },
        { id: 't2', step: 1, approver_id: 'd1', status: 'rejected', comment: 'too cheap', created_at: '', decided_at: '' },
      ],
    })
    expect(stepViews(rejected, process, name).map((v) => v.state)).toEqual(['approved', 'rejected', 'waiting'])
    const approved = approval({ status: 'approved', step: 1, tasks: [{ id: 't1', step: 0, approver_id: 'boss', status: 'approved', comment: '', created_at: '', decided_at: '' }, { id: 't2', step: 1, approver_id: 'd1', status: 'approved', comment: '', created_at: '', decided_at: '' }] })
    expect(stepViews(approved, process, name).map((v) => v.state)).toEqual(['approved', 'approved', 'skipped'])
    // Without the definition (members), the steps reached are still listed.
    expect(stepViews(rejected, undefined, () => '').length).toBe(2)
  })
})
