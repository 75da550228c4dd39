import { issueToken, revokeTokens } from '../../core/account-tokens.ts';
import { recordEvent, type RequestOrigin } from '../../core/audit.ts';
import type { Config } from '../../platform/config.ts';
import type { Sql } from '../../platform/db.ts';
import { passwordChangedEmail } from '../../mail/emails.tsx';
import { createEncrypter } from '../../platform/encryption.ts';
import { sendInvitation } from '../../core/invitations.ts';
import { messagesFor } from '../../copy/messages.ts';
import { enqueueEmail } from '../../mail/outbox.ts';
import { hashSecret } from '../../core/passwords.ts';
import { setPassword } from '../recovery/password-reset.ts';
import type { StaffRole } from '../../core/practices.ts';
import { invalidateAccountSessions } from '../../core/sessions.ts';
import { emailChangedNotice, staffResetEmail } from '../../mail/staff-emails.tsx';
import { findTakenFields, type FieldErrors, type StaffMember } from './staff.ts';
import type { Tenant } from '../../core/tenant.ts';

// What an administrator does to a staff member's account (P4). Each action runs inside the caller's tenant
// transaction and is audited there, with the administrator as actor, so it commits or rolls back as one.

export const TEMPORARY_PASSWORD_DAYS = 7;

export type Actor = { id: string; displayName: string };

export type NewStaffInput = { firstName: string; lastName: string; role: StaffRole; username: string; email: string };

/** A new staff member: an invited account with its profile, and the invitation email to the welcome page. */
export async function inviteStaff(
  tx: Sql, config: Config, tenant: Tenant, input: NewStaffInput, actor: Actor, origin: RequestOrigin,
): Promise<{ ok: true; id: string } | { ok: false; errors: FieldErrors }> {
  const errors = await findTakenFields(tx, { username: input.username, email: input.email }, null);
  if (Object.keys(errors).length) return { ok: false, errors };
  const [account] = await tx`
    insert into accounts (tenant_id, portal, username, email, status)
    values (app_tenant_id(), 'practice', ${input.username}, ${input.email}, 'invited') returning id`;
  await tx`
    insert into staff_profiles (tenant_id, account_id, first_name, last_name, role)
    values (app_tenant_id(), ${account.id}, ${input.firstName}, ${input.lastName}, ${input.role})`;
  await recordEvent(tx, origin, { action: 'account.created', actorAccountId: actor.id, subjectAccountId: account.id, detail: { portal: 'practice', role: input.role } });
  await sendInvitation(tx, config, tenant, { accountId: account.id, portal: 'practice', invitedBy: actor.id }, origin);
  return { ok: true, id: account.id };
}

export async function resendStaffInvitation(tx: Sql, config: Config, tenant: Tenant, member: StaffMember, actor: Actor, origin: RequestOrigin): Promise<boolean> {
  if (member.status !== 'invited') return false;
  return (await sendInvitation(tx, config, tenant, { accountId: member.id, portal: 'practice', invitedBy: actor.id }, origin)) !== null;
}

/** "Reset Password": a single-use link, valid for the practice's staff lifetime (72 hours by default), by email. */
export async function sendStaffReset(
  tx: Sql, config: Config, tenant: Tenant, member: StaffMember, actor: Actor, origin: RequestOrigin,
): Promise<{ expiresAt: Date } | null> {
  if (!member.email) return null;
  const hours = tenant.settings.staffResetLinkHours;
  const { token, expiresAt } = await issueToken(tx, { accountId: member.id, purpose: 'reset', lifetimeHours: hours, createdBy: actor.id });
  const link = `${config.publicUrl}/${tenant.slug}/practice/reset/${token}`;
  const recipient = { to: member.email, accountId: member.id, practice: tenant.name };
  await enqueueEmail(tx, createEncrypter(config.secretKey, 'outbox'), staffResetEmail(recipient, { link, hours, username: member.username, administrator: actor.displayName }));
  await recordEvent(tx, origin, {
    action: 'password.reset_requested', actorAccountId: actor.id, subjectAccountId: member.id, detail: { portal: 'practice', via: 'administrator', hours },
  });
  return { expiresAt };
}

/**
 * "Change Email" (the caller has checked the administrator's own password): pending links die, since they were
 * sent to the old address, the old address is told, and an invited member gets a fresh invitation at the new one.
 */
export async function changeStaffEmail(
  tx: Sql, config: Config, tenant: Tenant, member: StaffMember, newEmail: string, actor: Actor, origin: RequestOrigin,
): Promise<{ ok: true } | { ok: false; errors: FieldErrors }> {
  if (newEmail === member.email) return { ok: true };
  const errors = await findTakenFields(tx, { email: newEmail }, member.id);
  if (Object.keys(errors).length) return { ok: false, errors };
  await tx`update accounts set email = ${newEmail}, updated_at = now() where id = ${member.id}`;
  await revokeTokens(tx, member.id, 'email changed');
  if (member.email) {
    const recipient = { to: member.email, accountId: member.id, practice: tenant.name };
    await enqueueEmail(tx, createEncrypter(config.secretKey, 'outbox'), emailChangedNotice(recipient, { newEmail, administrator: actor.displayName, when: new Date() }));
  }
  await recordEvent(tx, origin, {
    action: 'account.email_changed', actorAccountId: actor.id, subjectAccountId: member.id, detail: { previous: member.email, current: newEmail },
  });
  if (member.status === 'invited') await sendInvitation(tx, config, tenant, { accountId: member.id, portal: 'practice', invitedBy: actor.id }, origin);
  return { ok: true };
}

/**
 * Sets a password the administrator typed (only where the practice allows it, after the administrator's own
 * password was checked). It is temporary: it must be changed at the next sign-in and stops working after 7 days.
 */
export async function setStaffPassword(
  tx: Sql, config: Config, tenant: Tenant, member: StaffMember, password: string, actor: Actor, origin: RequestOrigin,
): Promise<{ temporaryUntil: Date }> {
  const temporaryUntil = new Date(Date.now() + TEMPORARY_PASSWORD_DAYS * 24 * 3600 * 1000);
  await setPassword(tx, member.id, await hashSecret(password), { temporaryUntil });
  await revokeTokens(tx, member.id, 'password set by an administrator');
  const ended = await invalidateAccountSessions(tx, member.id) as { count?: number };
  if (member.email) {
    const recipient = { to: member.email, accountId: member.id, practice: tenant.name };
    await enqueueEmail(tx, createEncrypter(config.secretKey, 'outbox'), passwordChangedEmail(messagesFor('en'), recipient, new Date()));
  }
  await recordEvent(tx, origin, {
    action: 'password.set_by_staff', actorAccountId: actor.id, subjectAccountId: member.id,
    detail: { temporaryUntil: temporaryUntil.toISOString(), sessionsEnded: ended.count ?? 0 },
  });
  return { temporaryUntil };
}

export type ActivationResult = { ok: true } | { ok: false; reason: 'self' | 'unchanged' };

/** Deactivation ends every session at once and kills pending links; reactivation restores what the account was. */
export async function setStaffActive(tx: Sql, member: StaffMember, active: boolean, actor: Actor, origin: RequestOrigin): Promise<ActivationResult> {
  if (!active && member.id === actor.id) return { ok: false, reason: 'self' };
  if (active === (member.status !== 'deactivated')) return { ok: false, reason: 'unchanged' };
  if (active) {
    await tx`update accounts set status = case when password_hash is null then 'invited' else 'active' end, updated_at = now() where id = ${member.id}`;
    await recordEvent(tx, origin, { action: 'account.reactivated', actorAccountId: actor.id, subjectAccountId: member.id });
    return { ok: true };
  }
  await tx`update accounts set status = 'deactivated', updated_at = now() where id = ${member.id}`;
  const ended = await invalidateAccountSessions(tx, member.id) as { count?: number };
  await revokeTokens(tx, member.id, 'account deactivated');
  await recordEvent(tx, origin, { action: 'account.deactivated', actorAccountId: actor.id, subjectAccountId: member.id, detail: { sessionsEnded: ended.count ?? 0 } });
  return { ok: true };
}

/** Clears a sign-in lockout (and the failure count behind it) before its time. */
export async function unlockStaff(tx: Sql, member: StaffMember, actor: Actor, origin: RequestOrigin): Promise<void> {
  await tx`
    update accounts set failed_sign_ins = 0, locked_until = null, status = case when status = 'locked' then 'active' else status end
    where id = ${member.id}`;
  await recordEvent(tx, origin, {
    action: 'account.unlocked', actorAccountId: actor.id, subjectAccountId: member.id, detail: { failedSignIns: member.failedSignIns },
  });
}
