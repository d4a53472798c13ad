// What the record page and the inbox make of a record's approvals: the
// current one, its steps with every approver's answer, whether the record
// is locked for this user, and which buttons this user gets.
import type { Approval, ApprovalProcess, ApprovalTask, ObjectMeta } from '@/api/types'

/** An answer to an approval from the record page or the inbox. */
export type DecisionKind = 'approve' | 'reject' | 'recall' | 'reassign'

export interface Viewer {
  userId: string
  isAdmin: boolean
  /** Whether the user may edit the record (GET .../access). */
  canEdit: boolean
}

/** The buttons of the approval area. */
export interface ApprovalButtons {
  submit: boolean
  recall: boolean
  approve: boolean
  reject: boolean
  /** Hand my own task to someone else. */
  reassign: boolean
  /** An admin hands someone else's task over (with `from`). */
  reassignOthers: boolean
}

/** The pending approval of a record (at most one; the list is newest first). */
export function pendingApproval(list: readonly Approval[]): Approval | null {
  return list.find((a) => a.status === 'pending') ?? null
}

/** The caller's open task on the approval's current step. */
export function myTask(a: Approval | null, userId: string): ApprovalTask | undefined {
  if (!a || a.status !== 'pending') return undefined
  return a.tasks.find((t) => t.step === a.step && t.status === 'pending' && t.approver_id === userId)
}

/** The open tasks of the current step (whom a reassignment may take over from). */
export function openTasks(a: Approval | null): ApprovalTask[] {
  if (!a || a.status !== 'pending') return []
  return a.tasks.filter((t) => t.step === a.step && t.status === 'pending')
}

export function approvalButtons(list: readonly Approval[], activeProcesses: number, viewer: Viewer): ApprovalButtons {
  const pending = pendingApproval(list)
  const mine = myTask(pending, viewer.userId)
  return {
    submit: !pending && activeProcesses > 0 && viewer.canEdit,
    recall: !!pending && (pending.submitted_by === viewer.userId || viewer.isAdmin),
    approve: !!mine,
    reject: !!mine,
    reassign: !!mine,
    reassignOthers: !mine && viewer.isAdmin && openTasks(pending).length > 0,
  }
}

/** While an approval is pending members cannot change or delete the record; admins still can. */
export function isLockedFor(list: readonly Approval[], viewer: Pick<Viewer, 'isAdmin'>): boolean {
  return !!pendingApproval(list) && !viewer.isAdmin
}

export type StepState = 'approved' | 'rejected' | 'current' | 'skipped' | 'waiting' | 'recalled'

export interface StepView {
  step: number
  /** The process's step (admins see definitions; members only the step number). */
  name: string
  tasks: ApprovalTask[]
  state: StepState
}

/**
 * The steps of an approval in order, each with its approvers' tasks. Steps
 * the process defines but that were never reached are "waiting" (or
 * "skipped" once the approval is decided).
 */
export function stepViews(a: Approval, process: ApprovalProcess | undefined, stepName: (i: number) => string): StepView[] {
  const byStep = new Map<number, ApprovalTask[]>()
  for (const t of a.tasks) byStep.set(t.step, [...(byStep.get(t.step) ?? []), t])
  const count = Math.max(process?.steps.length ?? 0, a.step + 1, ...[...byStep.keys()].map((s) => s + 1))
  const out: StepView[] = []
  for (let i = 0; i < count; i++) {
    const tasks = byStep.get(i) ?? []
    out.push({ step: i, name: stepName(i), tasks, state: stepState(a, i, tasks) })
  }
  return out
}

function stepState(a: Approval, i: number, tasks: ApprovalTask[]): StepState {
  if (tasks.some((t) => t.status === 'rejected')) return 'rejected'
  if (a.status === 'pending' && i === a.step) return 'current'
  if (tasks.length && tasks.every((t) => t.status === 'skipped')) return 'skipped'
  if (tasks.some((t) => t.status === 'approved')) return 'approved'
  if (a.status === 'recalled' && i === a.step) return 'recalled'
  if (a.status === 'pending' && i > a.step) return 'waiting'
  // Not reached: a condition skipped it, or the approval ended before.
  return a.status === 'approved' || i < a.step ? 'skipped' : 'waiting'
}

/** The object's active processes (what a Submit menu offers). */
export function activeProcessesOf(obj: ObjectMeta | undefined): ApprovalProcess[] {
  return (obj?.approval_processes ?? []).filter((p) => p.active)
}

/** The process an approval ran, when the object (still) has it. */
export function processOf(obj: ObjectMeta | undefined, name: string): ApprovalProcess | undefined {
  return obj?.approval_processes?.find((p) => p.api_name === name)
}

/** Problem codes of a submission the user can do something about, by i18n key. */
export function submitProblemKey(code: string): string | null {
  switch (code) {
    case 'approval_pending':
      return 'approvals.errors.pending'
    case 'entry_criteria':
      return 'approvals.errors.entryCriteria'
    case 'no_approver':
      return 'approvals.errors.noApprover'
    case 'approval_closed':
      return 'approvals.errors.closed'
    default:
      return null
  }
}
