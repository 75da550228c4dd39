import type { Sql } from '../../platform/db.ts';
import { messagesFor } from '../../copy/messages.ts';
import { fromPractice, passwordChangedEmail, staffEmailChangedEmail, staffResetEmail } from '../../mail/emails.tsx';
import { issueToken, revokeTokens } from '../../core/account-tokens.ts';
import { setPassword } from '../../core/accounts.ts';
import { recordEvent } from '../../core/audit.ts';
import { countResetSent, recordHeldReset, resetEmailHold, type ResetHold } from '../../core/reset-emails.ts';
import { sendInvitation } from '../../core/invitations.ts';
import { removeAccountPasskeys } from '../../core/passkeys.ts';
import { hashSecret } from '../../core/passwords.ts';
import type { StaffRole } from '../../core/practices.ts';
import { reinviteAccount } from '../../core/reactivation.ts';
import { actorOf, type Scope } from '../../core/scope.ts';
import { maskEmail } from '../../core/mask-email.ts';
import { invalidateAccountSessions } from '../../core/sessions.ts';
import { findTakenFields, type FieldErrors, type StaffMember } from './staff.ts';

// What an administrator does to a staff member's account (P4). Each action runs inside the caller's tenant
// transaction and is audited there, with the administrator (the scope's actor) as actor, so it commits or rolls
// back as one.

export const TEMPORARY_PASSWORD_DAYS = 7;

export type NewStaffInput = { firstName: string; lastName: string; role: StaffRole; username: string; email: string };

/** A new staff member: an invited account with its profile, and the invitation email to the welcome page. */
export async function inviteStaff(tx: Sql, scope: Scope, input: NewStaffInput): Promise<{ ok: true; id: string } | { ok: false; reason: 'taken'; errors: FieldErrors }> {
  const errors = await findTakenFields(tx, { username: input.username, email: input.email }, null);
  if (Object.keys(errors).length) return { ok: false, reason: 'taken', errors };
  const [account] = await tx`
    insert into accounts (tenant_id, portal, username, email, status)
    values (app_tenant_id(), 'practice', ${input.username}, ${input.email}, 'invited') returning id`;
  await tx`
    insert into staff_profiles (tenant_id, account_id, first_name, last_name, role)
    values (app_tenant_id(), ${account.id}, ${input.firstName}, ${input.lastName}, ${input.role})`;
  await recordEvent(tx, scope.origin, { action: 'account.created', actorAccountId: actorOf(scope).id, subjectAccountId: account.id, detail: { portal: 'practice', role: input.role } });
  await sendInvitation(tx, scope, { accountId: account.id, portal: 'practice' });
  return { ok: true, id: account.id };
}

export async function resendStaffInvitation(tx: Sql, scope: Scope, member: StaffMember): Promise<{ ok: true } | { ok: false; reason: 'not_invited' }> {
  if (member.status !== 'invited') return { ok: false, reason: 'not_invited' };
  const sent = await sendInvitation(tx, scope, { accountId: member.id, portal: 'practice' });
  return sent ? { ok: true } : { ok: false, reason: 'not_invited' };
}

/** "Reset Password": a single-use link, valid for the practice's staff lifetime (72 hours by default), by email. */
export async function sendStaffReset(
  tx: Sql, scope: Scope, member: StaffMember,
): Promise<{ ok: true; expiresAt: Date } | { ok: false; reason: 'no_email' } | { ok: false; reason: 'held'; hold: ResetHold }> {
  if (!member.email) return { ok: false, reason: 'no_email' };
  const { tenant, config } = scope;
  const actor = actorOf(scope);
  // Inbox protection (core/reset-emails.ts): a link sent minutes ago still works, and a day has a cap.
  const hold = await resetEmailHold(tx, member.id);
  if (hold) {
    await recordHeldReset(tx, scope.origin, { accountId: member.id, actorAccountId: actor.id, portal: 'practice', via: 'administrator', hold });
    return { ok: false, reason: 'held', hold };
  }
  countResetSent('administrator');
  const hours = tenant.settings.staffResetLinkHours;
  const { token, expiresAt } = await issueToken(tx, { accountId: member.id, purpose: 'reset', lifetimeHours: hours, createdBy: actor.id });
  const link = `${config.publicUrl}/${tenant.slug}/practice/reset/${token}`;
  const recipient = { to: member.email, accountId: member.id, ...fromPractice(tenant) };
  await scope.mailer.queue(tx, staffResetEmail(messagesFor('en'), recipient, { link, hours, username: member.username, administrator: actor.displayName }));
  await recordEvent(tx, scope.origin, {
    action: 'password.reset_requested', actorAccountId: actor.id, subjectAccountId: member.id, detail: { portal: 'practice', via: 'administrator', hours },
  });
  return { ok: true, expiresAt };
}

/**
 * "Change Email" (the caller has checked the administrator's own password): pending links die, since they were
 * sent to the old address, the old address is told, and an invited member gets a fresh invitation at the new one.
 */
export async function changeStaffEmail(
  tx: Sql, scope: Scope, member: StaffMember, newEmail: string,
): Promise<{ ok: true } | { ok: false; reason: 'taken'; errors: FieldErrors }> {
  if (newEmail === member.email) return { ok: true };
  const errors = await findTakenFields(tx, { email: newEmail }, member.id);
  if (Object.keys(errors).length) return { ok: false, reason: 'taken', errors };
  const actor = actorOf(scope);
  await tx`update accounts set email = ${newEmail}, updated_at = now() where id = ${member.id}`;
  await revokeTokens(tx, member.id, 'email changed');
  if (member.email) {
    const recipient = { to: member.email, accountId: member.id, ...fromPractice(scope.tenant) };
    const notice = { newAddressMasked: maskEmail(newEmail), administrator: actor.displayName, when: new Date(), timeZone: scope.tenant.settings.timeZone };
    await scope.mailer.queue(tx, staffEmailChangedEmail(messagesFor('en'), recipient, notice));
  }
  await recordEvent(tx, scope.origin, {
    action: 'account.email_changed', actorAccountId: actor.id, subjectAccountId: member.id, detail: { previous: member.email, current: newEmail },
  });
  if (member.status === 'invited') await sendInvitation(tx, scope, { accountId: member.id, portal: 'practice' });
  return { ok: true };
}

/**
 * Sets a password the administrator typed (only where the practice allows it, after the administrator's own
 * password was checked). It is temporary: it must be changed at the next sign-in and stops working after 7 days.
 */
export async function setStaffPassword(tx: Sql, scope: Scope, member: StaffMember, password: string): Promise<{ ok: true; temporaryUntil: Date }> {
  const temporaryUntil = new Date(Date.now() + TEMPORARY_PASSWORD_DAYS * 24 * 3600 * 1000);
  await setPassword(tx, member.id, await hashSecret(password), { temporaryUntil });
  await revokeTokens(tx, member.id, 'password set by an administrator');
  const ended = await invalidateAccountSessions(tx, member.id) as { count?: number };
  if (member.email) {
    const recipient = { to: member.email, accountId: member.id, ...fromPractice(scope.tenant) };
    await scope.mailer.queue(tx, passwordChangedEmail(messagesFor('en'), recipient, new Date(), scope.tenant.settings.timeZone));
  }
  await recordEvent(tx, scope.origin, {
    action: 'password.set_by_staff', actorAccountId: actorOf(scope).id, subjectAccountId: member.id,
    detail: { temporaryUntil: temporaryUntil.toISOString(), sessionsEnded: ended.count ?? 0 },
  });
  return { ok: true, temporaryUntil };
}

export type ActivationResult = { ok: true } | { ok: false; reason: 'self' | 'unchanged' };

/**
 * Deactivation ends every session at once, kills pending links and (in the database, sql/031) wipes the password,
 * security answer and two-factor secrets; reactivation invites the member again by email to choose new ones.
 */
export async function setStaffActive(tx: Sql, scope: Scope, member: StaffMember, active: boolean): Promise<ActivationResult> {
  const actor = actorOf(scope);
  if (!active && member.id === actor.id) return { ok: false, reason: 'self' };
  if (active === (member.status !== 'deactivated')) return { ok: false, reason: 'unchanged' };
  if (active) {
    await recordEvent(tx, scope.origin, { action: 'account.reactivated', actorAccountId: actor.id, subjectAccountId: member.id });
    await reinviteAccount(tx, scope, member.id, 'practice');
    return { ok: true };
  }
  // Passkeys go first, one audited removal; the status change then wipes what is left (sql/031).
  await removeAccountPasskeys(tx, scope.origin, { accountId: member.id, actorAccountId: actor.id, reason: 'deactivated' });
  await tx`update accounts set status = 'deactivated', updated_at = now() where id = ${member.id}`;
  const ended = await invalidateAccountSessions(tx, member.id) as { count?: number };
  await revokeTokens(tx, member.id, 'account deactivated');
  await recordEvent(tx, scope.origin, { action: 'account.deactivated', actorAccountId: actor.id, subjectAccountId: member.id, detail: { sessionsEnded: ended.count ?? 0 } });
  return { ok: true };
}

/** Clears a sign-in lockout (and the failure count behind it) before its time. */
export async function unlockStaff(tx: Sql, scope: Scope, member: StaffMember): Promise<{ ok: true }> {
  await tx`
    update accounts set failed_sign_ins = 0, locked_until = null, status = case when status = 'locked' then 'active' else status end
    where id = ${member.id}`;
  await recordEvent(tx, scope.origin, {
    action: 'account.unlocked', actorAccountId: actorOf(scope).id, subjectAccountId: member.id, detail: { failedSignIns: member.failedSignIns },
  });
  return { ok: true };
}
