// The organisation for pickers and setup: roles, org units and the
// permission sets (names), loaded on demand and shared by the screens.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api } from '@/api/client'
import type { OrgRole, OrgRoleInput, OrgUnit, OrgUnitInput, PermissionSetSummary } from '@/api/types'

export const useOrgStore = defineStore('org', () => {
  const roles = ref<OrgRole[]>([])
  const units = ref<OrgUnit[]>([])
  const permissionSets = ref<PermissionSetSummary[]>([])
  const loaded = ref({ roles: false, units: false, sets: false })

  async function loadRoles(force = false): Promise<OrgRole[]> {
    if (!loaded.value.roles || force) {
      roles.value = await api.org.roles()
      loaded.value.roles = true
    }
    return roles.value
  }

  async function loadUnits(force = false): Promise<OrgUnit[]> {
    if (!loaded.value.units || force) {
      units.value = await api.org.units()
      loaded.value.units = true
    }
    return units.value
  }

  async function loadPermissionSets(force = false): Promise<PermissionSetSummary[]> {
    if (!loaded.value.sets || force) {
      permissionSets.value = await api.security.permissionSets()
      loaded.value.sets = true
    }
    return permissionSets.value
  }

  async function createRole(input: OrgRoleInput): Promise<OrgRole> {
    const r = await api.org.createRole(input)
    await loadRoles(true)
    return r
  }

  async function updateRole(id: string, patch: OrgRoleInput): Promise<void> {
    await api.org.updateRole(id, patch)
    await loadRoles(true)
  }

  async function deleteRole(id: string): Promise<void> {
    await api.org.deleteRole(id)
    await loadRoles(true)
  }

  async function createUnit(input: OrgUnitInput): Promise<OrgUnit> {
    const u = await api.org.createUnit(input)
    await loadUnits(true)
    return u
  }

  async function updateUnit(id: string, patch: OrgUnitInput): Promise<void> {
    await api.org.updateUnit(id, patch)
    await loadUnits(true)
  }

  async function deleteUnit(id: string): Promise<void> {
    await api.org.deleteUnit(id)
    await loadUnits(true)
  }

  function roleName(id: string | null | undefined): string {
    return (id && roles.value.find((r) => r.id === id)?.name) || ''
  }

  function unitName(id: string | null | undefined): string {
    return (id && units.value.find((u) => u.id === id)?.name) || ''
  }

  function reset(): void {
    roles.value = []
    units.value = []
    permissionSets.value = []
    loaded.value = { roles: false, units: false, sets: false }
  }

  return {
    roles,
    units,
    permissionSets,
    loaded,
    loadRoles,
    loadUnits,
    loadPermissionSets,
    createRole,
    updateRole,
    deleteRole,
    createUnit,
    updateUnit,
    deleteUnit,
    roleName,
    unitName,
    reset,
  }
})
