// The permission set editor's model: every object with its six actions, the
// field levels per object, and the capabilities; and the body PUT/POST send.
import { OBJECT_ACTIONS, type FieldLevel, type ObjectAction, type ObjectPermissions, type PermissionSet } from '@/api/types'

export type ActionRow = Record<ObjectAction, boolean>

export interface PermSetDraft {
  api_name: string
  name: string
  description: string
  system: boolean
  capabilities: string[]
  objects: Record<string, ActionRow>
  fields: Record<string, Record<string, FieldLevel>>
}

export function emptyRow(): ActionRow {
  return { create: false, read: false, edit: false, delete: false, view_all: false, modify_all: false }
}

export function rowFrom(p: ObjectPermissions | undefined): ActionRow {
  const row = emptyRow()
  for (const a of OBJECT_ACTIONS) row[a] = !!p?.[a]
  return row
}

/** A draft covering `objects` (api names), with what the set grants. */
export function draftFromSet(set: PermissionSet | null, objects: string[]): PermSetDraft {
  const out: PermSetDraft = {
    api_name: set?.api_name ?? '',
    name: set?.name ?? '',
    description: set?.description ?? '',
    system: !!set?.system,
    capabilities: [...(set?.capabilities ?? [])],
    objects: {},
    fields: {},
  }
  const names = new Set([...objects, ...Object.keys(set?.objects ?? {})])
  for (const o of names) out.objects[o] = rowFrom(set?.objects?.[o])
  for (const [o, fields] of Object.entries(set?.fields ?? {})) {
    out.fields[o] = {}
    for (const [f, level] of Object.entries(fields ?? {})) out.fields[o][f] = level
  }
  return out
}

/**
 * Sets one action and keeps the row consistent: anything implies read;
 * delete implies edit; modify all implies edit, delete and view all; view
 * all implies read. Clearing read clears everything; clearing edit clears
 * delete and modify all; clearing view all clears modify all.
 */
export function setAction(row: ActionRow, action: ObjectAction, value: boolean): ActionRow {
  const r = { ...row, [action]: value }
  if (value) {
    if (action !== 'read') r.read = true
    if (action === 'delete') r.edit = true
    if (action === 'modify_all') Object.assign(r, { edit: true, delete: true, view_all: true })
  } else {
    if (action === 'read') return emptyRow()
    if (action === 'edit') Object.assign(r, { delete: false, modify_all: false })
    if (action === 'delete' || action === 'view_all') r.modify_all = false
  }
  return r
}

/** The whole column on or off (through setAction, so rows stay consistent). */
export function setColumn(rows: Record<string, ActionRow>, action: ObjectAction, value: boolean): Record<string, ActionRow> {
  const out: Record<string, ActionRow> = {}
  for (const [o, row] of Object.entries(rows)) out[o] = setAction(row, action, value)
  return out
}

/** The body of POST/PUT /permission-sets: objects with any action, fields that are restricted. */
export function toPermissionSet(d: PermSetDraft): PermissionSet {
  const objects: PermissionSet['objects'] = {}
  for (const [o, row] of Object.entries(d.objects)) {
    if (OBJECT_ACTIONS.some((a) => row[a])) objects[o] = { ...row }
  }
  const fields: PermissionSet['fields'] = {}
  for (const [o, map] of Object.entries(d.fields)) {
    const restricted = Object.entries(map).filter(([, l]) => l === 'hidden' || l === 'read_only')
    if (restricted.length) fields[o] = Object.fromEntries(restricted) as Record<string, 'hidden' | 'read_only'>
  }
  return {
    api_name: d.api_name.trim(),
    name: d.name.trim(),
    description: d.description.trim(),
    capabilities: [...d.capabilities],
    objects,
    fields,
  }
}
