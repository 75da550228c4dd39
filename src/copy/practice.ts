import type { AuditAction } from '../core/audit.ts';
import type { StaffRole } from '../core/practices.ts';
import type { TenantSettings } from '../core/tenant.ts';
import type { Messages } from './messages.ts';

// Words of the practice portal (staff read English), and the words that differ between the two portals. The
// guardians' catalog is messages.ts.

export type SignInText = {
  title: string;
  identifierLabel: string;
  identifierHint: string;
  passwordLabel: string;
  submit: string;
  forgot: string;
};

export const PRACTICE_SIGN_IN_TEXT: SignInText = {
  title: 'Log in to the practice portal',
  identifierLabel: 'Username',
  identifierHint: 'Your username or work email',
  passwordLabel: 'Password',
  submit: 'Log In',
  forgot: 'Forgot password?',
};

export function signInText(portal: 'practice' | 'patient', t: Messages): SignInText {
  return portal === 'patient' ? t.signIn : PRACTICE_SIGN_IN_TEXT;
}

/** "Forgot password?": the patient portal asks for an email; staff may give their username instead. */
export type ForgotText = { intro: string; hint?: string; invalid: string; inputType: 'email' | 'text' };

export function forgotText(portal: 'practice' | 'patient', t: Messages): ForgotText {
  if (portal === 'patient') return { intro: t.recovery.forgotIntro, invalid: t.recovery.emailInvalid, inputType: 'email' };
  return {
    intro: 'Enter your username or the email address of your account. We will email you a link to choose a new password.',
    hint: 'Your username, or your work email address',
    invalid: 'Enter your username or your work email address.',
    inputType: 'text',
  };
}

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : T[K] extends (...args: infer A) => string ? (...args: A) => string : Widen<T[K]> };
export type TwoFactorText = Widen<Messages['twoFactor']>;

/** Staff read the guardians' words but for where to turn when the phone is lost. */
export function twoFactorText(portal: 'practice' | 'patient', t: Messages): TwoFactorText {
  if (portal === 'patient') return t.twoFactor;
  return { ...t.twoFactor, lostPhone: 'Lost your phone? Type one of your recovery codes instead, or ask a practice administrator to reset your two-factor authentication.' };
}

/** The practice portal's Home after a change that concerns the person themself. */
export const PRACTICE_HOME_NOTICES: Record<string, string> = {
  role: 'Your role was changed. The menu shows the pages you may open now.',
};

/** An administrator confirming a change to someone else's account with their own password. */
export const ADMIN_OWN_PASSWORD = {
  missing: 'Enter your own password to confirm this change.',
  wrong: 'That is not your password. Enter the password you sign in with.',
  throttled: 'Too many wrong passwords. Please wait a few minutes and try again.',
} as const;

export const ROLE_LABELS: Record<StaffRole, string> = { admin: 'Administrator', provider: 'Provider', nurse: 'Nurse', staff: 'Front desk' };

/** The staff list narrowed by the administrator home's numbers (?show=…). */
export const STAFF_FILTER_LABELS: Record<'locked' | 'invited' | 'temporary-password' | 'no-two-factor', string> = {
  locked: 'Locked staff accounts',
  invited: 'Invited staff who have not set up their account',
  'temporary-password': 'Staff with a temporary password not yet replaced',
  'no-two-factor': 'Staff without two-factor authentication or a passkey',
};

/** Patient Administration's search filters (its page, and the front desk's home). "Account" is in the contract. */
export const PATIENT_SEARCH_FIELDS = {
  account: 'Account', accountHint: 'Account number, or its first digits',
  name: 'Name', nameHint: 'First or last name, e.g. Riley, or Parent, Riley',
  dob: 'Date of birth', dobHint: 'e.g. 04/12/2016',
  guardianEmail: 'Guardian email', guardianEmailHint: 'Or its beginning',
} as const;

export type PortalStatus = 'none' | 'invited' | 'active' | 'locked' | 'temporary' | 'deactivated';

export const PORTAL_STATUS_LABELS: Record<PortalStatus, string> = {
  none: 'No portal account',
  invited: 'Invited',
  active: 'Active',
  locked: 'Locked',
  temporary: 'Temporary password',
  deactivated: 'Deactivated',
};

/** The practice settings by name, for their form and for the audit log's before/after detail. */
export const SETTING_LABELS: Record<keyof TenantSettings, string> = {
  resetLinkHours: 'Password reset link for patients and self-service (hours)',
  staffResetLinkHours: 'Staff reset link sent by an administrator (hours)',
  invitationDays: 'Invitation link (days)',
  passwordMinLength: 'Minimum password length (characters)',
  staffMayTypeTemporaryPassword: 'Staff may type a patient’s temporary password',
  staffPasswordSetByAdmin: 'Administrators may set a staff member’s password directly',
  idleMinutesPractice: 'Practice portal (minutes without activity)',
  idleMinutesPatient: 'Patient portal (minutes without activity)',
  rememberDeviceDays: 'Remember a trusted device for (days)',
  staffTwoFactorRequired: 'Require two-factor authentication for staff',
  smsCodesAllowed: 'Allow codes by text message (SMS)',
  patientAdminRoles: 'Roles with Patient Administration',
  replyToEmail: 'Reply-to address for emails',
  phoneNumber: 'Phone number',
  timeZone: 'Time zone',
};

export const ACTION_LABELS: Record<AuditAction, string> = {
  'sign_in.succeeded': 'Signed in',
  'sign_in.failed': 'Sign-in failed',
  'sign_in.locked_out': 'Locked out after failed sign-ins',
  'sign_in.refused_deactivated': 'Sign-in refused: account deactivated or locked',
  'sign_out': 'Signed out',
  'session.ended': 'Ended a session on another device',
  'two_factor.succeeded': 'Two-factor code accepted',
  'two_factor.failed': 'Two-factor code refused',
  'two_factor.recovery_code_used': 'Recovery code used',
  'two_factor.device_remembered': 'Device remembered for two-factor sign-in',
  'two_factor.challenged': 'Asked for a two-factor code',
  'password.reset_requested': 'Password reset link sent',
  'password.reset_completed': 'Password reset completed',
  'password.changed': 'Password changed',
  'password.reset_link_burned': 'Reset link stopped after wrong answers',
  'password.reset_held_back': 'Reset email held back (inbox protection)',
  'security_question.exhausted': 'Reset by security question refused for today',
  'password.set_by_staff': 'Password set by an administrator',
  'password.temporary_set': 'Temporary password set',
  'security_question.answer_failed': 'Security question answered wrongly',
  'security_question.changed': 'Security question changed',
  'two_factor.enabled': 'Two-factor authentication turned on',
  'two_factor.disabled': 'Two-factor authentication turned off',
  'two_factor.reset_by_staff': 'Two-factor authentication reset by staff',
  'two_factor.sms_sent': 'Text message code sent',
  'two_factor.sms_failed': 'Text message code could not be sent',
  'two_factor.recovery_codes_replaced': 'New recovery codes made',
  'passkey.added': 'Passkey added',
  'passkey.removed': 'Passkey removed',
  'passkey.sign_in_failed': 'Passkey sign-in refused',
  'passkey.clone_suspected': 'Passkey refused: it may have been copied',
  'invitation.created': 'Invitation sent',
  'invitation.accepted': 'Invitation accepted',
  'account.unlocked': 'Account unlocked',
  'account.deactivated': 'Account deactivated',
  'account.reactivated': 'Account reactivated',
  'account.email_changed': 'Email address changed',
  'account.updated': 'Account details updated',
  'account.language_changed': 'Language changed',
  'account.created': 'Account created',
  'portal_access.disabled': 'Portal access disabled',
  'patient.opened': 'Patient record opened',
  'email.delivered': 'Email delivered to the provider',
  'email.failed': 'Email could not be delivered',
  'tenant.created': 'Practice created',
  'settings.changed': 'Practice settings changed',
  'audit.exported': 'Audit log exported',
};

export function actionLabel(action: string): string {
  return ACTION_LABELS[action as AuditAction] ?? action;
}
