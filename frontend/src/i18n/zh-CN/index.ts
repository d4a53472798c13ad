import common from './common'
import workspace from './workspace'
import admin from './admin'

export default { common, workspace, admin }
