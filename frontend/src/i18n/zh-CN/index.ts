import common from './common'
import workspace from './workspace'
import admin from './admin'
import access from './access'

export default { common, workspace, admin, access }
