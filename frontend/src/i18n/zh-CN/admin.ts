// 管理后台（系统设置）文案。管理界面在此添加各自的文案。
import type en from '../en/admin'

const admin: typeof en = {
  title: '系统设置',
  comingSoon: '管理工具即将上线',
  comingSoonHint: '对象管理、销售流程编辑、页面布局与列表视图设计、用户管理等功能将在这里提供。',
  sections: {
    objects: '对象管理',
    pipelines: '销售流程',
    layouts: '页面布局',
    listViews: '列表视图',
    users: '用户管理',
  },
  adminOnly: '只有管理员可以进入系统设置。',
}

export default admin
