// Text of the admin area (setup). The admin screens add their keys here.
export default {
  title: 'Setup',
  comingSoon: 'Admin tools are coming',
  comingSoonHint:
    'The object manager, pipeline editor, layout and list view designers and user management will appear here.',
  sections: {
    objects: 'Object manager',
    pipelines: 'Pipelines',
    layouts: 'Page layouts',
    listViews: 'List views',
    users: 'Users',
  },
  adminOnly: 'Only administrators can open setup.',
}
