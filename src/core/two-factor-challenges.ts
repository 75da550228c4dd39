import { hashToken, looksLikeToken, newSecret } from './account-tokens.ts';
import type { Sql } from '../platform/db.ts';
import type { Portal } from './tenant.ts';
import { hashKey, hitLimit, type Limit } from '../platform/throttle.ts';

// The pending second sign-in step. A correct password for an account with 2FA earns no session, only this: a
// record bound to tenant (row-level security), portal and account, alive a few minutes, good for a few codes.
// The browser keeps a random secret in a cookie; only its SHA-256 is stored.

export const CHALLENGE_MINUTES = 5;
export const MAX_CHALLENGE_ATTEMPTS = 5;
export const MAX_CHALLENGE_SMS = 3;
// Across all of an account's challenges and reset links: signing in again must not buy fresh guesses.
export const TWO_FACTOR_FAILURES: Limit = { bucket: 'two-factor:account', max: 10, windowSeconds: 900 };

export type Challenge = { id: string; accountId: string; attempts: number; smsSent: number };

export async function createChallenge(tx: Sql, accountId: string, portal: Portal): Promise<string> {
  const secret = newSecret();
  // One open step per account and portal is enough; an older one (another tab, an abandoned try) ends here.
  await tx`delete from two_factor_challenges where account_id = ${accountId} and portal = ${portal}`;
  await tx`
    insert into two_factor_challenges (tenant_id, secret_hash, account_id, portal, expires_at)
    values (app_tenant_id(), ${hashToken(secret)}, ${accountId}, ${portal}, now() + ${`${CHALLENGE_MINUTES} minutes`}::interval)`;
  return secret;
}

/** The open step behind a cookie's secret, on this portal and not expired; locked for the attempt that follows. */
export async function findChallenge(tx: Sql, secret: string | null, portal: Portal): Promise<Challenge | null> {
  if (!secret || !looksLikeToken(secret)) return null;
  const [row] = await tx`
    select id, account_id, attempts, sms_sent from two_factor_challenges
    where secret_hash = ${hashToken(secret)} and portal = ${portal} and expires_at > now()
    for update`;
  return row ? { id: row.id, accountId: row.account_id, attempts: row.attempts, smsSent: row.sms_sent } : null;
}

/** Counts a wrong code; the step ends at the last allowed attempt. Returns the attempts left. */
export async function recordChallengeFailure(tx: Sql, challenge: Challenge): Promise<number> {
  const left = MAX_CHALLENGE_ATTEMPTS - (challenge.attempts + 1);
  if (left <= 0) await deleteChallenge(tx, challenge.id);
  else await tx`update two_factor_challenges set attempts = attempts + 1 where id = ${challenge.id}`;
  return Math.max(0, left);
}

export async function recordChallengeSms(tx: Sql, challenge: Challenge): Promise<void> {
  await tx`update two_factor_challenges set sms_sent = sms_sent + 1 where id = ${challenge.id}`;
}

export async function deleteChallenge(tx: Sql, id: string): Promise<void> {
  await tx`delete from two_factor_challenges where id = ${id}`;
}

/** Seconds the account must wait before its next code is even checked; 0 when it may try now. */
export async function secondFactorWaitSeconds(tx: Sql, tenantId: string, accountId: string): Promise<number> {
  const window = `${TWO_FACTOR_FAILURES.windowSeconds} seconds`;
  const [row] = await tx`
    select hits, greatest(1, ceil(extract(epoch from window_started_at + ${window}::interval - now())))::int as seconds
    from rate_limits
    where bucket = ${TWO_FACTOR_FAILURES.bucket} and key_hash = ${hashKey(`${tenantId}:${accountId}`)}
      and window_started_at > now() - ${window}::interval`;
  return row && row.hits >= TWO_FACTOR_FAILURES.max ? row.seconds : 0;
}

export async function countSecondFactorFailure(tx: Sql, tenantId: string, accountId: string): Promise<void> {
  await hitLimit(tx, TWO_FACTOR_FAILURES, `${tenantId}:${accountId}`);
}
