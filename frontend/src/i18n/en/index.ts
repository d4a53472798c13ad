import common from './common'
import workspace from './workspace'
import admin from './admin'
import access from './access'
import automation from './automation'
import approvals from './approvals'

export default { common, workspace, admin, access, automation, approvals }
