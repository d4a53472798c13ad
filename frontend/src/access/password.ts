// The password policy (GET /auth/password-policy), checked as the user types
// so the change-password form can explain before the server refuses.
import type { PasswordPolicy } from '@/api/types'

export const DEFAULT_POLICY: PasswordPolicy = { min_length: 10, classes: 3 }

export type PasswordProblem = 'tooShort' | 'classes' | 'emailName' | 'tooLong'

/** How many of lower case, upper case, digits and symbols the password uses. */
export function classCount(password: string): number {
  let n = 0
  if (/[a-z]/.test(password)) n++
  if (/[A-Z]/.test(password)) n++
  if (/\d/.test(password)) n++
  if (/[^A-Za-z0-9]/.test(password)) n++
  return n
}

/** What the policy refuses in a password (empty when it passes). */
export function passwordProblems(password: string, policy: PasswordPolicy, email = ''): PasswordProblem[] {
  const out: PasswordProblem[] = []
  if ([...password].length < policy.min_length) out.push('tooShort')
  if (policy.max_length && [...password].length > policy.max_length) out.push('tooLong')
  if (classCount(password) < policy.classes) out.push('classes')
  const name = email.split('@')[0]?.toLowerCase() ?? ''
  if (policy.no_email_name !== false && name.length >= 3 && password.toLowerCase().includes(name)) out.push('emailName')
  return out
}
