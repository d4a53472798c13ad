// Whether the board offers moving cards (drag and drop, "Move to…"): the
// user must be able to edit the object's records and the stage field must be
// editable for them. The server decides per record; this only hides what
// could not work.
import type { FieldLevel, ObjectAction } from '@/api/types'

export interface MoveAccess {
  can: (object: string, action: ObjectAction) => boolean
  fieldLevel: (object: string, field: string) => FieldLevel
}

export function canMoveCards(access: MoveAccess, object: string, stageField: string | undefined): boolean {
  if (!access.can(object, 'edit')) return false
  return !stageField || access.fieldLevel(object, stageField) === 'editable'
}
