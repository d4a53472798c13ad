// The entries of the user menu in the top bar, by what the user may do.
export type UserMenuCommand = 'apiKeys' | 'password' | 'logout'

export function userMenuCommands(session: { hasCap: (c: string) => boolean }): UserMenuCommand[] {
  const out: UserMenuCommand[] = []
  // Own API keys, without going through Setup.
  if (session.hasCap('api')) out.push('apiKeys')
  out.push('password', 'logout')
  return out
}
