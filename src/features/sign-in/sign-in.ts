import { revokeTokens } from '../../core/account-tokens.ts';
import type { Database, Sql } from '../../platform/db.ts';
import { recordEvent, type RequestOrigin } from '../../core/audit.ts';
import { verifyDecoy, verifySecret } from '../../core/passwords.ts';
import { useRememberedDevice, type RememberedDevice } from '../../core/remembered-devices.ts';
import { createSession } from '../../core/sessions.ts';
import { idleMinutes, type Portal, type Tenant } from '../../core/tenant.ts';
import { SIGN_IN_PER_IP, hashKey, hitLimit, lockoutMinutes } from '../../platform/throttle.ts';
import { createChallenge } from '../../core/two-factor-challenges.ts';

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
  db: Database, tenant: Tenant, portal: Portal, input: { identifier: string; password: string; rememberedDevice?: string | null },
  origin: RequestOrigin,
): Promise<SignInResult> {
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

/** The end of every successful sign-in (password alone, or password and second factor): a session. */
export async function startSession(
  tx: Sql, tenant: Tenant, portal: Portal, accountId: string, origin: RequestOrigin, detail: Record<string, unknown> = {},
): Promise<string> {
  await tx`
    update accounts set last_sign_in_at = now(), status = case when status = 'invited' then 'active' else status end
    where id = ${accountId}`;
  // Signing in proves the person knows the password: pending reset links are no longer needed.
  await revokeTokens(tx, accountId, 'signed in since', 'reset');
  const sessionId = await createSession({ tx, portal, idleMinutes: idleMinutes(tenant.settings, portal) }, accountId, origin);
  await recordEvent(tx, origin, { action: 'sign_in.succeeded', actorAccountId: accountId, subjectAccountId: accountId, detail: { portal, ...detail } });
  return sessionId;
}

async function findCandidate(tx: Sql, portal: Portal, identifier: string): Promise<Candidate | null> {
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
