import { revokeTokens } from '../../core/account-tokens.ts';
import { recordEvent, type RequestOrigin } from '../../core/audit.ts';
import type { Config } from '../../platform/config.ts';
import type { Database, Sql } from '../../platform/db.ts';
import { CURRENT_PASSWORD_TRIES, hitLimit, isOverLimit } from '../../platform/throttle.ts';
import { passwordChangedEmail } from '../../mail/emails.tsx';
import { createEncrypter } from '../../platform/encryption.ts';
import { messagesFor } from '../../copy/messages.ts';
import { enqueueEmail } from '../../mail/outbox.ts';
import { hashSecret, verifySecret } from '../../core/passwords.ts';
import { setPassword } from '../recovery/password-reset.ts';
import { revokeRememberedDevices } from '../../core/remembered-devices.ts';
import { hashAnswer } from '../../core/security-question.ts';
import { hashSessionId, invalidateAccountSessions } from '../../core/sessions.ts';
import type { Tenant } from '../../core/tenant.ts';

// Signed-in credential management (P3, G3, G4): every change here proves the current password first.

export async function verifyCurrentPassword(tx: Sql, accountId: string, password: string): Promise<boolean> {
  const [row] = await tx`select password_hash from accounts where id = ${accountId}`;
  return Boolean(row?.password_hash) && verifySecret(row.password_hash, password);
}

/**
 * A person re-entering their own password to confirm a sensitive change. Once the account's budget of wrong
 * entries is spent, the password is not even checked until the window passes, so a stolen session cannot be used
 * to guess it.
 */
export async function confirmOwnPassword(db: Database, tenantId: string, accountId: string, password: string): Promise<'ok' | 'wrong' | 'throttled'> {
  const key = `${tenantId}:${accountId}`;
  if (!(await isOverLimit(db.sql, CURRENT_PASSWORD_TRIES, key)).allowed) return 'throttled';
  if (await db.inTenant(tenantId, (tx) => verifyCurrentPassword(tx, accountId, password))) return 'ok';
  const hit = await hitLimit(db.sql, CURRENT_PASSWORD_TRIES, key);
  return hit.allowed ? 'wrong' : 'throttled';
}

export async function changePassword(
  tx: Sql, config: Config, tenant: Tenant,
  input: { accountId: string; newPassword: string; keepSessionId: string | null; signOutOthers: boolean },
  origin: RequestOrigin,
): Promise<void> {
  await setPassword(tx, input.accountId, await hashSecret(input.newPassword));
  await revokeTokens(tx, input.accountId, 'password changed');
  // Browsers saved for 2FA were trusted under the old password: they are asked for a code again.
  await revokeRememberedDevices(tx, input.accountId);
  if (input.signOutOthers) await invalidateAccountSessions(tx, input.accountId, { except: input.keepSessionId ?? undefined });
  const [account] = await tx`select email from accounts where id = ${input.accountId}`;
  if (account?.email) {
    const recipient = { to: account.email, accountId: input.accountId, practice: tenant.name };
    await enqueueEmail(tx, createEncrypter(config.secretKey, 'outbox'), passwordChangedEmail(messagesFor('en'), recipient, new Date()));
  }
  await recordEvent(tx, origin, {
    action: 'password.changed', actorAccountId: input.accountId, subjectAccountId: input.accountId, detail: { signedOutOthers: input.signOutOthers },
  });
}

export async function changeSecurityQuestion(tx: Sql, accountId: string, question: string, answer: string, origin: RequestOrigin): Promise<void> {
  await tx`update accounts set security_question = ${question}, security_answer_hash = ${await hashAnswer(answer)}, updated_at = now() where id = ${accountId}`;
  await recordEvent(tx, origin, { action: 'security_question.changed', actorAccountId: accountId, subjectAccountId: accountId });
}

export type ActiveSession = { handle: string; current: boolean; ip: string | null; device: string; startedAt: Date; lastSeenAt: Date };

/** The account's sessions; each has a short handle (a prefix of the stored hash) to end it by. */
export async function listSessions(tx: Sql, accountId: string, currentSessionId: string | null): Promise<ActiveSession[]> {
  const current = currentSessionId ? hashSessionId(currentSessionId) : '';
  const rows = await tx`
    select id_hash, ip, user_agent, created_at, last_seen_at from sessions
    where account_id = ${accountId} and expires_at > now() order by last_seen_at desc limit 50`;
  return rows.map((r) => ({
    handle: r.id_hash.slice(0, 16), current: r.id_hash === current, ip: r.ip, device: describeDevice(r.user_agent ?? ''),
    startedAt: r.created_at, lastSeenAt: r.last_seen_at,
  }));
}

export async function endSession(tx: Sql, accountId: string, handle: string, origin: RequestOrigin): Promise<boolean> {
  if (!/^[0-9a-f]{16}$/.test(handle)) return false;
  const ended = await tx`delete from sessions where account_id = ${accountId} and left(id_hash, 16) = ${handle} returning 1`;
  if (ended.length) await recordEvent(tx, origin, { action: 'session.ended', actorAccountId: accountId, subjectAccountId: accountId });
  return ended.length > 0;
}

function describeDevice(userAgent: string): string {
  const browser = /Edg\//.test(userAgent) ? 'Edge' : /Chrome\//.test(userAgent) ? 'Chrome' : /Firefox\//.test(userAgent) ? 'Firefox'
    : /Safari\//.test(userAgent) ? 'Safari' : 'A browser';
  const system = /iPhone|iPad/.test(userAgent) ? 'iPhone or iPad' : /Android/.test(userAgent) ? 'Android' : /Windows/.test(userAgent) ? 'Windows'
    : /Mac OS X/.test(userAgent) ? 'Mac' : /Linux/.test(userAgent) ? 'Linux' : 'an unknown system';
  return `${browser} on ${system}`;
}
