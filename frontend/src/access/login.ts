// Messages of the sign-in page that come from the server's redirects.

/** The i18n key for an `?sso_error=` code from the single sign-on hand-off, or null for others. */
export function ssoErrorKey(code: string): string | null {
  switch (code) {
    case 'no_user':
    case 'user_not_found':
    case 'unknown_user':
      return 'access.login.ssoErrors.noUser'
    case 'inactive':
    case 'user_inactive':
      return 'access.login.ssoErrors.inactive'
    case 'domain':
    case 'domain_not_allowed':
      return 'access.login.ssoErrors.domain'
    case 'unverified_email':
    case 'email_not_verified':
      return 'access.login.ssoErrors.unverified'
    case 'disabled':
    case 'sso_disabled':
      return 'access.login.ssoErrors.disabled'
    case 'state':
    case 'invalid_state':
    case 'expired':
      return 'access.login.ssoErrors.state'
    case 'provider':
    case 'provider_error':
    case 'access_denied':
      return 'access.login.ssoErrors.provider'
    default:
      return null
  }
}
