import type { Sql } from '../../platform/db.ts';
import { messagesForAccount } from '../../core/language.ts';
import type { PortalStatus } from '../../copy/practice.ts';
import { fromPractice, loginEmailChangedEmail, practiceResetLinkEmail } from '../../mail/emails.tsx';
import { getLastEmailStatus, type LastEmailStatus } from '../../mail/outbox.ts';
import { issueToken, revokeTokens } from '../../core/account-tokens.ts';
import { recordEvent } from '../../core/audit.ts';
import { countResetSent, recordHeldReset, resetEmailHold, type ResetHold } from '../../core/reset-emails.ts';
import { sendInvitation } from '../../core/invitations.ts';
import { reinviteAccount } from '../../core/reactivation.ts';
import { removeAccountPasskeys } from '../../core/passkeys.ts';
import { actorOf, type Scope } from '../../core/scope.ts';
import { maskEmail } from '../../core/mask-email.ts';
import { invalidateAccountSessions } from '../../core/sessions.ts';
import { portalStatusColumn } from './patients.ts';

// A guardian's portal access as staff see it from a patient (P5 "Account Settings"), and what staff may do to it.
// Every function takes an access found through findPortalAccess, so an account that is not a contact of that
// patient (another patient's guardian, another practice's, a staff account) never reaches any of them.

export type PortalAccess = {
  accountId: string; username: string; email: string | null; status: PortalStatus; hasPassword: boolean;
  lastSignInAt: Date | null; twoFactor: boolean; temporaryUntil: Date | null; lockedUntil: Date | null;
  contact: { id: string; firstName: string; lastName: string; email: string | null; relationship: string };
};

/** The account, only if it belongs to a family contact associated with this patient; `lock` for a change. */
export async function findPortalAccess(tx: Sql, patientId: string, accountId: string, options: { lock?: boolean } = {}): Promise<PortalAccess | null> {
  const [row] = await tx`
    select acc.id, acc.username, acc.email, acc.password_hash is not null as has_password, acc.last_sign_in_at,
           acc.totp_enabled_at is not null as two_factor, acc.temporary_password_expires_at, acc.locked_until,
           ${portalStatusColumn(tx)} as status,
           fc.id as contact_id, fc.first_name, fc.last_name, fc.email as contact_email, asn.relationship
    from associations asn
    join family_contacts fc on fc.tenant_id = asn.tenant_id and fc.id = asn.contact_id
    join accounts acc on acc.tenant_id = fc.tenant_id and acc.id = fc.account_id
    where asn.patient_id = ${patientId} and acc.id = ${accountId} and acc.portal = 'patient'
    ${options.lock ? tx`for update of acc` : tx``}`;
  if (!row) return null;
  return {
    accountId: row.id, username: row.username, email: row.email, status: row.status, hasPassword: row.has_password,
    lastSignInAt: row.last_sign_in_at, twoFactor: row.two_factor, temporaryUntil: row.temporary_password_expires_at,
    lockedUntil: row.locked_until,
    contact: { id: row.contact_id, firstName: row.first_name, lastName: row.last_name, email: row.contact_email, relationship: row.relationship },
  };
}

export type PortalAccessDetails = { lastEmail: LastEmailStatus | null; pendingLink: { purpose: 'reset' | 'invitation'; expiresAt: Date } | null };

export async function getPortalAccessDetails(tx: Sql, accountId: string): Promise<PortalAccessDetails> {
  const [link] = await tx`
    select purpose, expires_at from account_tokens
    where account_id = ${accountId} and used_at is null and revoked_at is null and expires_at > now()
    order by created_at desc limit 1`;
  return { lastEmail: await getLastEmailStatus(tx, accountId), pendingLink: link ? { purpose: link.purpose, expiresAt: link.expires_at } : null };
}

export type EmailChangeResult = { ok: true } | { ok: false; reason: 'unchanged' | 'taken' };

/**
 * Changes the login email (and the username too when it was the old address, as for every invited guardian).
 * Pending links die, since they went to the old address; the old address is told, with the new one masked.
 */
export async function changeLoginEmail(
  tx: Sql, scope: Scope, access: PortalAccess, email: string, alsoUpdateContact: boolean,
): Promise<EmailChangeResult> {
  const contactChanges = alsoUpdateContact && access.contact.email !== email;
  if (email === access.email && !contactChanges) return { ok: false, reason: 'unchanged' };
  const [taken] = await tx`
    select 1 from accounts where portal = 'patient' and id <> ${access.accountId} and (email = ${email} or lower(username) = ${email})`;
  if (taken) return { ok: false, reason: 'taken' };
  if (email !== access.email) {
    const usernameFollows = access.email !== null && access.username.toLowerCase() === access.email;
    await tx`
      update accounts set email = ${email}, updated_at = now(),
             username = case when ${usernameFollows} then ${email} else username end
      where id = ${access.accountId}`;
    await revokeTokens(tx, access.accountId, 'email changed');
    if (access.email) {
      const recipient = { to: access.email, accountId: access.accountId, ...fromPractice(scope.tenant) };
      await scope.mailer.queue(tx, loginEmailChangedEmail(await messagesForAccount(tx, access.accountId, scope.origin.language), recipient, { newAddressMasked: maskEmail(email) }));
    }
  }
  if (contactChanges) await tx`update family_contacts set email = ${email} where id = ${access.contact.id}`;
  await recordEvent(tx, scope.origin, {
    action: 'account.email_changed', actorAccountId: actorOf(scope).id, subjectAccountId: access.accountId,
    detail: { from: access.email, to: email, familyContactUpdated: contactChanges },
  });
  return { ok: true };
}

export type ResetRequestResult =
  | { ok: true; expiresAt: Date; sentTo: string }
  | { ok: false; reason: 'no_email' | 'deactivated' | 'no_password' }
  | { ok: false; reason: 'held'; hold: ResetHold };

/** "Reset Password": emails the guardian a reset link (48 h by default); they finish it in the /reset flow (G2). */
export async function sendPasswordResetLink(tx: Sql, scope: Scope, access: PortalAccess): Promise<ResetRequestResult> {
  if (access.status === 'deactivated') return { ok: false, reason: 'deactivated' };
  if (!access.email) return { ok: false, reason: 'no_email' };
  if (!access.hasPassword) return { ok: false, reason: 'no_password' };
  // Inbox protection (core/reset-emails.ts): a link sent minutes ago still works, and a day has a cap.
  const hold = await resetEmailHold(tx, access.accountId);
  if (hold) {
    await recordHeldReset(tx, scope.origin, { accountId: access.accountId, actorAccountId: actorOf(scope).id, portal: 'patient', via: 'patient-administration', hold });
    return { ok: false, reason: 'held', hold };
  }
  countResetSent('patient-administration');
  const hours = scope.tenant.settings.resetLinkHours;
  const { token, expiresAt } = await issueToken(tx, { accountId: access.accountId, purpose: 'reset', lifetimeHours: hours, createdBy: actorOf(scope).id });
  const link = `${scope.config.publicUrl}/${scope.tenant.slug}/patient/reset/${token}`;
  const recipient = { to: access.email, accountId: access.accountId, ...fromPractice(scope.tenant) };
  await scope.mailer.queue(tx, practiceResetLinkEmail(await messagesForAccount(tx, access.accountId, scope.origin.language), recipient, { link, hours, username: access.username }));
  await recordEvent(tx, scope.origin, {
    action: 'password.reset_requested', actorAccountId: actorOf(scope).id, subjectAccountId: access.accountId, detail: { portal: 'patient', via: 'patient-administration' },
  });
  return { ok: true, expiresAt, sentTo: access.email };
}

/** What the simple actions below answer: done, or refused because the account is not in the state they need. */
export type AccessActionResult = { ok: true } | { ok: false; reason: 'wrong_state' };
const WRONG_STATE = { ok: false, reason: 'wrong_state' } as const;

export async function unlockPortalAccount(tx: Sql, scope: Scope, access: PortalAccess): Promise<AccessActionResult> {
  if (access.status !== 'locked') return WRONG_STATE;
  await tx`
    update accounts set failed_sign_ins = 0, locked_until = null, updated_at = now(),
           status = case when status = 'locked' then 'active' else status end
    where id = ${access.accountId}`;
  await recordEvent(tx, scope.origin, { action: 'account.unlocked', actorAccountId: actorOf(scope).id, subjectAccountId: access.accountId, detail: { portal: 'patient' } });
  return { ok: true };
}

export async function resendPortalInvitation(tx: Sql, scope: Scope, access: PortalAccess): Promise<AccessActionResult> {
  if (access.status !== 'invited' || !access.email) return WRONG_STATE;
  return (await sendInvitation(tx, scope, { accountId: access.accountId, portal: 'patient' })) ? { ok: true } : WRONG_STATE;
}

/**
 * "Disable portal access": the account stops working at once — sessions, links and printouts all end, and the
 * database wipes its password, security answer and two-factor secrets (sql/031). The audit trail stays.
 */
export async function disablePortalAccess(tx: Sql, scope: Scope, access: PortalAccess): Promise<AccessActionResult> {
  if (access.status === 'deactivated') return WRONG_STATE;
  // Passkeys go first, one audited removal; the status change then wipes what is left (sql/031).
  await removeAccountPasskeys(tx, scope.origin, { accountId: access.accountId, actorAccountId: actorOf(scope).id, reason: 'deactivated' });
  await tx`update accounts set status = 'deactivated', updated_at = now() where id = ${access.accountId}`;
  await invalidateAccountSessions(tx, access.accountId);
  await revokeTokens(tx, access.accountId, 'portal access disabled');
  await tx`delete from credential_printouts where account_id = ${access.accountId}`;
  await recordEvent(tx, scope.origin, { action: 'portal_access.disabled', actorAccountId: actorOf(scope).id, subjectAccountId: access.accountId, detail: { portal: 'patient' } });
  return { ok: true };
}

/** Gives disabled access back as an invitation: the guardian chooses a new password and question from the email. */
export async function restorePortalAccess(tx: Sql, scope: Scope, access: PortalAccess): Promise<AccessActionResult> {
  if (access.status !== 'deactivated') return WRONG_STATE;
  await recordEvent(tx, scope.origin, { action: 'account.reactivated', actorAccountId: actorOf(scope).id, subjectAccountId: access.accountId, detail: { portal: 'patient' } });
  await reinviteAccount(tx, scope, access.accountId, 'patient');
  return { ok: true };
}
