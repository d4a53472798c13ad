// Record-level access when GET /records/{object}/{id}/access cannot answer
// (an older server): what the permission sets allow; sharing and transfer
// stay off since only the server knows the record's owner chain.
import type { RecordAccess } from '@/api/types'

export function fallbackAccess(object: string, session: { can: (o: string, a: 'read' | 'edit' | 'delete') => boolean; isAdmin: boolean }): RecordAccess {
  return {
    read: session.can(object, 'read'),
    edit: session.can(object, 'edit'),
    delete: session.can(object, 'delete'),
    share: session.isAdmin,
    transfer: session.isAdmin,
  }
}

/** Whether a bulk owner change may be offered on a list of the object. */
export function canBulkTransfer(object: string, session: { can: (o: string, a: 'edit') => boolean; hasCap: (c: string) => boolean }): boolean {
  return session.can(object, 'edit')
}
