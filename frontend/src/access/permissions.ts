// What the signed-in user may do, as GET /auth/me reports it. The server
// enforces every rule; the app only hides what cannot be used. A server
// that does not report permissions yet (older builds) is read the old way:
// admins may do everything, members use records but not setup.
import type { Capability, FieldLevel, ObjectAction, Permissions } from '@/api/types'

/** The capabilities that open Setup (each admin page needs its own). */
export const SETUP_CAPABILITIES: Capability[] = ['manage_metadata', 'manage_users', 'manage_security', 'view_audit']

export class PermissionView {
  constructor(
    readonly perms: Permissions | null,
    /** The user type: `admin` holds every permission. */
    readonly role: string | null | undefined,
  ) {}

  get isAdmin(): boolean {
    return this.role === 'admin' || !!this.perms?.admin
  }

  /** Whether the server told us (false: legacy rules above). */
  get reported(): boolean {
    return !!this.perms
  }

  can(object: string, action: ObjectAction): boolean {
    if (this.isAdmin) return true
    if (!this.perms) return true
    const o = this.perms.objects?.[object]
    if (!o) return false
    if (o[action]) return true
    // view all implies read, modify all implies edit, delete and view all
    if (action === 'read') return !!(o.view_all || o.modify_all)
    if (action === 'view_all') return !!o.modify_all
    return false
  }

  hasCap(cap: Capability | string): boolean {
    if (this.isAdmin) return true
    if (!this.perms) return false
    return (this.perms.capabilities ?? []).includes(cap)
  }

  anyCap(caps: readonly (Capability | string)[]): boolean {
    return caps.some((c) => this.hasCap(c))
  }

  fieldLevel(object: string, field: string): FieldLevel {
    if (this.isAdmin || !this.perms) return 'editable'
    return this.perms.fields?.[object]?.[field] ?? 'editable'
  }

  fieldHidden(object: string, field: string): boolean {
    return this.fieldLevel(object, field) === 'hidden'
  }

  /** Read only by the permission sets (or the whole object is not editable). */
  fieldReadOnly(object: string, field: string): boolean {
    return this.fieldLevel(object, field) === 'read_only'
  }

  /** Setup (/admin) shows to holders of any setup capability. */
  get canOpenSetup(): boolean {
    return this.anyCap(SETUP_CAPABILITIES)
  }
}

/** Normalises what the server answered (missing maps become empty). */
export function normalisePermissions(raw: unknown): Permissions | null {
  if (!raw || typeof raw !== 'object') return null
  const p = raw as Partial<Permissions>
  return {
    admin: !!p.admin,
    capabilities: Array.isArray(p.capabilities) ? p.capabilities : [],
    objects: p.objects && typeof p.objects === 'object' ? p.objects : {},
    fields: p.fields && typeof p.fields === 'object' ? p.fields : {},
  }
}
