import { describe, expect, it } from 'vitest'
import type { ObjectMeta, WorkflowRun } from '@/api/types'
import { appendRuns, durationLabel, emptyRunFilters, inputRows, nextBefore, outputRows, runDuration, runQuery, runRecordName } from './runs'

function run(id: string, started: string, extra: Partial<WorkflowRun> = {}): WorkflowRun {
  return { id, job_id: 1, workflow: 'w', object: 'deal', record_id: 'r', trigger: 'update', depth: 1, status: 'succeeded', started_at: started, finished_at: null, inputs: {}, actions: [], error: '', ...extra }
}

describe('the execution log', () => {
  it('asks for the filters that are set, and pages with before', () => {
    expect(runQuery(emptyRunFilters())).toEqual({ limit: 25 })
    expect(runQuery({ object: 'deal', workflow: 'key', status: 'failed', record_id: ' r1 ' }, '2026-01-01T00:00:00Z', 10)).toEqual({
      object: 'deal',
      workflow: 'key',
      status: 'failed',
      record_id: 'r1',
      before: '2026-01-01T00:00:00Z',
      limit: 10,
    })
  })

  it('pages on from the oldest run of a full page', () => {
    const page = [run('a', '2026-01-02T00:00:00Z'), run('b', '2026-01-01T00:00:00.5Z')]
    expect(nextBefore(page, 2)).toBe('2026-01-01T00:00:00.5Z')
    expect(nextBefore(page, 3)).toBeNull()
    expect(appendRuns(page, [run('b', 'x'), run('c', 'y')]).map((r) => r.id)).toEqual(['a', 'b', 'c'])
  })

  it('times a run', () => {
    expect(runDuration(run('a', '2026-01-01T00:00:00Z', { finished_at: '2026-01-01T00:00:02.4Z' }))).toBe(2400)
    expect(runDuration(run('a', '2026-01-01T00:00:00Z'))).toBeNull()
    expect(durationLabel(850)).toBe('850 ms')
    expect(durationLabel(2400)).toBe('2.4 s')
    expect(durationLabel(185_000)).toBe('3 min 5 s')
  })

  it('shows inputs in field order and outputs as text', () => {
    const obj: ObjectMeta = { api_name: 'deal', labels: {}, name_field: 'name', fields: [{ api_name: 'name', type: 'text', labels: {} }, { api_name: 'amount', type: 'currency', labels: {} }] }
    const r = run('a', 'x', { inputs: { id: 'r', amount: '10.00', name: 'Big', owner_id: null } })
    expect(inputRows(r, obj).map((x) => `${x.key}=${x.value}`)).toEqual(['name=Big', 'amount=10.00', 'id=r', 'owner_id=—'])
    expect(runRecordName(r, obj)).toBe('Big')
    expect(outputRows({ object: 'task', id: 't1', values: { a: 1 } })).toEqual([
      { key: 'object', value: 'task' },
      { key: 'id', value: 't1' },
      { key: 'values', value: '{"a":1}' },
    ])
  })
})
