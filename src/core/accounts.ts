import type { Database, Sql } from '../platform/db.ts';
import { giveBack, hitLimit, type Limit } from '../platform/throttle.ts';
import { verifySecret } from './passwords.ts';
import { actorOf, type Scope } from './scope.ts';
import type { Portal } from './tenant.ts';

// The account row's rules that several features share: storing a password, and a person proving they know theirs.

/** The one place a password is stored: it clears forced-change state and any lockout. */
export async function setPassword(tx: Sql, accountId: string, hash: string, options: { temporaryUntil?: Date } = {}): Promise<void> {
  const temporary = options.temporaryUntil ?? null;
  await tx`
    update accounts set password_hash = ${hash}, password_changed_at = now(), updated_at = now(),
           must_change_password = ${temporary !== null}, temporary_password_expires_at = ${temporary},
           failed_sign_ins = 0, locked_until = null, last_failed_sign_in_at = null,
           status = case when status = 'invited' then 'active' else status end
    where id = ${accountId}`;
}

export type AccountSummary = { id: string; portal: Portal; username: string; email: string | null; securityQuestion: string | null };

export async function getAccountSummary(tx: Sql, accountId: string): Promise<AccountSummary | null> {
  const [row] = await tx`select id, portal, username, email, security_question from accounts where id = ${accountId}`;
  return row ? { id: row.id, portal: row.portal, username: row.username, email: row.email, securityQuestion: row.security_question } : null;
}

export async function verifyCurrentPassword(tx: Sql, accountId: string, password: string): Promise<boolean> {
  const [row] = await tx`select password_hash from accounts where id = ${accountId}`;
  return Boolean(row?.password_hash) && verifySecret(row.password_hash, password);
}

// Wrong "current password" entries (My Account, 2FA, administrator confirmations) share one budget per account.
export const CURRENT_PASSWORD_TRIES: Limit = { bucket: 'current-password', max: 10, windowSeconds: 900 };

export type OwnPasswordResult = { ok: true } | { ok: false; reason: 'wrong' | 'throttled' };

/**
 * The signed-in person re-entering their own password to confirm a sensitive change. The try is counted before the
 * password is weighed and given back when it was right, so entries sent all at once cannot outrun the budget; once
 * it is spent the password is not even checked until the window passes, so a stolen session cannot guess it.
 */
export async function confirmOwnPassword(db: Database, scope: Scope, password: string): Promise<OwnPasswordResult> {
  const accountId = actorOf(scope).id;
  const key = `${scope.tenant.id}:${accountId}`;
  if (!(await hitLimit(db.sql, CURRENT_PASSWORD_TRIES, key)).allowed) return { ok: false, reason: 'throttled' };
  if (!(await db.inTenant(scope.tenant.id, (tx) => verifyCurrentPassword(tx, accountId, password)))) return { ok: false, reason: 'wrong' };
  await giveBack(db.sql, CURRENT_PASSWORD_TRIES, key);
  return { ok: true };
}
