import type { Database, Sql } from '../../platform/db.ts';
import { hashKey, hitLimit, type Limit } from '../../platform/throttle.ts';
import { recordEvent } from '../../core/audit.ts';
import { verifyDecoy, verifySecret } from '../../core/passwords.ts';
import { useRememberedDevice, type RememberedDevice } from '../../core/remembered-devices.ts';
import { actorOf, type Scope } from '../../core/scope.ts';
import { invalidateSession, startSession } from '../../core/sessions.ts';
import { createChallenge } from '../../core/two-factor-challenges.ts';

export const SIGN_IN_PER_IP: Limit = { bucket: 'sign-in:ip', max: 60, windowSeconds: 300 };

export type SignInResult =
  | { ok: true; step: 'signed_in'; sessionId: string; accountId: string; device: RememberedDevice | null }
  | { ok: true; step: 'two_factor'; challenge: string; accountId: string }
  | { ok: false; reason: 'invalid' | 'deactivated' | 'temporary_expired' }
  | { ok: false; reason: 'locked'; retryAfterSeconds: number }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

type Candidate = {
  id: string; password_hash: string | null; status: string; failed_sign_ins: number;
  locked_seconds: number; temporary_expired: boolean; two_factor: boolean;
};

/**
 * One sign-in attempt. Unknown names and wrong passwords cost the same Argon2id verification and give the same
 * answer; lockout applies to unknown names too (counted by name), so it tells an attacker nothing either.
 */
export async function signIn(
  db: Database, scope: Scope, input: { identifier: string; password: string; rememberedDevice?: string | null },
): Promise<SignInResult> {
  const { tenant, portal, origin } = scope;
  const ip = await hitLimit(db.sql, SIGN_IN_PER_IP, origin.ip);
  if (!ip.allowed) return { ok: false, reason: 'throttled', retryAfterSeconds: ip.retryAfterSeconds };

  const identifier = input.identifier.trim().toLowerCase();
  const unknownKey = hashKey(`${tenant.id}:${portal}:${identifier}`);
  const candidate = await db.inTenant(tenant.id, (tx) => findCandidate(tx, portal, identifier));
  const lockedSeconds = candidate ? candidate.locked_seconds : await unknownLockedSeconds(db.sql, unknownKey);

  const passwordMatches = candidate?.password_hash
    ? await verifySecret(candidate.password_hash, input.password)
    : await verifyDecoy(input.password);

  return db.inTenant(tenant.id, async (tx) => {
    const audit = (action: Parameters<typeof recordEvent>[2]['action'], detail: Record<string, unknown> = {}) =>
      recordEvent(tx, origin, { action, actorAccountId: candidate?.id, subjectAccountId: candidate?.id, detail: { portal, ...detail } });

    if (lockedSeconds > 0) {
      await audit('sign_in.locked_out', candidate ? {} : { identifier: identifier.slice(0, 100) });
      return { ok: false, reason: 'locked', retryAfterSeconds: lockedSeconds };
    }
    if (!passwordMatches || !candidate) {
      const failure = candidate
        ? await recordAccountFailure(tx, candidate.id)
        : await recordUnknownFailure(db.sql, unknownKey);
      await audit('sign_in.failed', candidate ? { failures: failure.failures } : { identifier: identifier.slice(0, 100) });
      if (failure.lockedSeconds > 0) {
        await audit('sign_in.locked_out', { minutes: Math.round(failure.lockedSeconds / 60) });
        return { ok: false, reason: 'locked', retryAfterSeconds: failure.lockedSeconds };
      }
      return { ok: false, reason: 'invalid' };
    }
    if (candidate.status === 'deactivated' || candidate.status === 'locked') {
      await audit('sign_in.refused_deactivated', { status: candidate.status });
      return { ok: false, reason: 'deactivated' };
    }
    if (candidate.temporary_expired) {
      await audit('sign_in.failed', { why: 'temporary password expired' });
      return { ok: false, reason: 'temporary_expired' };
    }
    await tx`update accounts set failed_sign_ins = 0, locked_until = null where id = ${candidate.id}`;
    if (!candidate.two_factor) {
      return { ok: true, step: 'signed_in', sessionId: await startSession(tx, tenant, portal, candidate.id, origin), accountId: candidate.id, device: null };
    }
    // 2FA: a browser saved earlier skips the code (its token rotates); otherwise the code is owed before any session.
    const days = tenant.settings.rememberDeviceDays;
    const device = input.rememberedDevice
      ? await useRememberedDevice(tx, { token: input.rememberedDevice, accountId: candidate.id, portal, days })
      : null;
    if (device) {
      const sessionId = await startSession(tx, tenant, portal, candidate.id, origin, { twoFactor: 'remembered_device' });
      return { ok: true, step: 'signed_in', sessionId, accountId: candidate.id, device };
    }
    const challenge = await createChallenge(tx, candidate.id, portal);
    await audit('two_factor.challenged');
    return { ok: true, step: 'two_factor', challenge, accountId: candidate.id };
  });
}

async function findCandidate(tx: Sql, portal: Scope['portal'], identifier: string): Promise<Candidate | null> {
  // A username match wins over an email match, so nobody can shadow a username with an address.
  const [row] = await tx`
    select id, password_hash, status, failed_sign_ins, temporary_password_expires_at < now() as temporary_expired,
           totp_enabled_at is not null as two_factor,
           greatest(0, ceil(extract(epoch from locked_until - now())))::int as locked_seconds
    from accounts
    where portal = ${portal} and (lower(username) = ${identifier} or email = ${identifier})
    order by (lower(username) = ${identifier}) desc
    limit 1`;
  return (row as Candidate | undefined) ?? null;
}

async function recordAccountFailure(tx: Sql, accountId: string) {
  const [row] = await tx`
    update accounts set failed_sign_ins = failed_sign_ins + 1 where id = ${accountId} returning failed_sign_ins`;
  const minutes = lockoutMinutes(row.failed_sign_ins);
  if (minutes > 0) await tx`update accounts set locked_until = now() + ${`${minutes} minutes`}::interval where id = ${accountId}`;
  return { failures: row.failed_sign_ins as number, lockedSeconds: minutes * 60 };
}

const UNKNOWN_NAMES = 'sign-in:unknown-name';

async function recordUnknownFailure(sql: Sql, keyHash: string) {
  const [row] = await sql`
    insert into rate_limits (bucket, key_hash, hits) values (${UNKNOWN_NAMES}, ${keyHash}, 1)
    on conflict (bucket, key_hash) do update set
      hits = case when rate_limits.window_started_at < now() - interval '1 day' then 1 else rate_limits.hits + 1 end,
      window_started_at = case when rate_limits.window_started_at < now() - interval '1 day' then now() else rate_limits.window_started_at end
    returning hits`;
  const minutes = lockoutMinutes(row.hits);
  if (minutes > 0) {
    await sql`update rate_limits set blocked_until = now() + ${`${minutes} minutes`}::interval
              where bucket = ${UNKNOWN_NAMES} and key_hash = ${keyHash}`;
  }
  return { failures: row.hits as number, lockedSeconds: minutes * 60 };
}

async function unknownLockedSeconds(sql: Sql, keyHash: string): Promise<number> {
  const [row] = await sql`
    select greatest(0, ceil(extract(epoch from blocked_until - now())))::int as seconds
    from rate_limits where bucket = ${UNKNOWN_NAMES} and key_hash = ${keyHash}`;
  return row?.seconds ?? 0;
}

/** Lockout after repeated sign-in failures: 5 free tries, then 1, 2, 4 … minutes, at most an hour. */
export function lockoutMinutes(failures: number): number {
  const FREE_TRIES = 5;
  if (failures < FREE_TRIES) return 0;
  return Math.min(60, 2 ** (failures - FREE_TRIES));
}

/** Ends this browser's session; the other sessions of the account stay. */
export async function signOut(tx: Sql, scope: Scope, sessionId: string): Promise<void> {
  const accountId = actorOf(scope).id;
  await invalidateSession(tx, sessionId);
  await recordEvent(tx, scope.origin, { action: 'sign_out', actorAccountId: accountId, subjectAccountId: accountId, detail: { portal: scope.portal } });
}
