import type { Sql } from '../../platform/db.ts';
import { messagesForAccount } from '../../core/language.ts';
import { fromPractice, passwordChangedEmail } from '../../mail/emails.tsx';
import { revokeTokens } from '../../core/account-tokens.ts';
import { setPassword } from '../../core/accounts.ts';
import { recordEvent } from '../../core/audit.ts';
import { hashSecret } from '../../core/passwords.ts';
import { revokeRememberedDevices } from '../../core/remembered-devices.ts';
import { actorOf, type Scope } from '../../core/scope.ts';
import { hashAnswer } from '../../core/security-question.ts';
import { hashSessionId, invalidateAccountSessions } from '../../core/sessions.ts';

// Signed-in credential management (P3, G3, G4): every change here proves the current password first.
// The caller has checked it (core/accounts.ts, confirmOwnPassword).

/** The signed-in person's own new password; other browsers are signed out when they ask (by default they do). */
export async function changePassword(
  tx: Sql, scope: Scope, input: { newPassword: string; keepSessionId: string | null; signOutOthers: boolean },
): Promise<void> {
  const accountId = actorOf(scope).id;
  await setPassword(tx, accountId, await hashSecret(input.newPassword));
  await revokeTokens(tx, accountId, 'password changed');
  // Browsers saved for 2FA were trusted under the old password: they are asked for a code again.
  await revokeRememberedDevices(tx, accountId);
  if (input.signOutOthers) await invalidateAccountSessions(tx, accountId, { except: input.keepSessionId ?? undefined });
  const [account] = await tx`select email from accounts where id = ${accountId}`;
  if (account?.email) {
    const recipient = { to: account.email, accountId, ...fromPractice(scope.tenant) };
    await scope.mailer.queue(tx, passwordChangedEmail(await messagesForAccount(tx, accountId, scope.origin.language), recipient, new Date(), scope.tenant.settings.timeZone));
  }
  await recordEvent(tx, scope.origin, {
    action: 'password.changed', actorAccountId: accountId, subjectAccountId: accountId, detail: { signedOutOthers: input.signOutOthers },
  });
}

export async function changeSecurityQuestion(tx: Sql, scope: Scope, question: string, answer: string): Promise<void> {
  const accountId = actorOf(scope).id;
  await tx`update accounts set security_question = ${question}, security_answer_hash = ${await hashAnswer(answer)}, updated_at = now() where id = ${accountId}`;
  await recordEvent(tx, scope.origin, { action: 'security_question.changed', actorAccountId: accountId, subjectAccountId: accountId });
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

export async function endSession(tx: Sql, scope: Scope, handle: string): Promise<{ ok: true } | { ok: false; reason: 'not_found' }> {
  const accountId = actorOf(scope).id;
  if (!/^[0-9a-f]{16}$/.test(handle)) return { ok: false, reason: 'not_found' };
  const ended = await tx`delete from sessions where account_id = ${accountId} and left(id_hash, 16) = ${handle} returning 1`;
  if (!ended.length) return { ok: false, reason: 'not_found' };
  await recordEvent(tx, scope.origin, { action: 'session.ended', actorAccountId: accountId, subjectAccountId: accountId });
  return { ok: true };
}

function describeDevice(userAgent: string): string {
  const browser = /Edg\//.test(userAgent) ? 'Edge' : /Chrome\//.test(userAgent) ? 'Chrome' : /Firefox\//.test(userAgent) ? 'Firefox'
    : /Safari\//.test(userAgent) ? 'Safari' : 'A browser';
  const system = /iPhone|iPad/.test(userAgent) ? 'iPhone or iPad' : /Android/.test(userAgent) ? 'Android' : /Windows/.test(userAgent) ? 'Windows'
    : /Mac OS X/.test(userAgent) ? 'Mac' : /Linux/.test(userAgent) ? 'Linux' : 'an unknown system';
  return `${browser} on ${system}`;
}
