import type { Database, Sql } from '../../platform/db.ts';
import { countSignIn } from '../../platform/metrics.ts';
import { giveBack, hashKey, hitLimit, type Limit } from '../../platform/throttle.ts';
import { recordEvent } from '../../core/audit.ts';
import { verifyDecoy, verifySecret } from '../../core/passwords.ts';
import { useRememberedDevice, type RememberedDevice } from '../../core/remembered-devices.ts';
import { actorOf, type Scope } from '../../core/scope.ts';
import { invalidateSession, startSession } from '../../core/sessions.ts';
import { createChallenge } from '../../core/two-factor-challenges.ts';
import { clearAccountFailures, reserveAccountAttempt, reserveUnknownAttempt } from './lockout.ts';

// Failed sign-ins per address. Only failures count: an attempt is reserved before the password is weighed and given
// back when it was right, so a whole front desk behind one office address (one NAT) signs in all morning without
// ever meeting this limit, while guessing from that address is still capped.
export const SIGN_IN_PER_IP: Limit = { bucket: 'sign-in:ip', max: 60, windowSeconds: 300 };

export type SignInResult =
  | { ok: true; step: 'signed_in'; sessionId: string; accountId: string; device: RememberedDevice | null }
  | { ok: true; step: 'two_factor'; challenge: string; accountId: string }
  | { ok: false; reason: 'invalid' | 'deactivated' | 'temporary_expired' }
  | { ok: false; reason: 'locked'; retryAfterSeconds: number }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

type Candidate = { id: string; password_hash: string | null; status: string; temporary_expired: boolean; two_factor: boolean };

/**
 * One sign-in attempt. Unknown names and wrong passwords cost the same Argon2id verification and give the same
 * answer; lockout applies to unknown names too (counted by name, with the same rules), so it tells an attacker
 * nothing either. The attempt is reserved before the password is weighed (see lockout.ts).
 */
export async function signIn(
  db: Database, scope: Scope, input: { identifier: string; password: string; rememberedDevice?: string | null },
): Promise<SignInResult> {
  const result = await attemptSignIn(db, scope, input);
  countSignIn(scope.portal, result.ok ? 'succeeded' : result.reason === 'locked' || result.reason === 'throttled' ? result.reason : 'failed');
  return result;
}

async function attemptSignIn(
  db: Database, scope: Scope, input: { identifier: string; password: string; rememberedDevice?: string | null },
): Promise<SignInResult> {
  const { tenant, portal, origin } = scope;
  const identifier = input.identifier.trim().toLowerCase();
  const typedName = { identifier: identifier.slice(0, 100) };
  // The address's attempt is counted in the same round trip as the account is looked up (statements sent together
  // in one transaction); a throttled address goes no further.
  const first = await db.inTenant(tenant.id, async (tx) => {
    const [ip, found] = await Promise.all([hitLimit(tx, SIGN_IN_PER_IP, origin.ip), findCandidate(tx, portal, identifier)]);
    if (!ip.allowed) return { throttled: true, retryAfterSeconds: ip.retryAfterSeconds } as const;
    const reserved = found
      ? await reserveAccountAttempt(tx, found.id)
      : await reserveUnknownAttempt(tx, hashKey(`${tenant.id}:${portal}:${identifier}`));
    if (!reserved.ok) {
      await recordEvent(tx, origin, { action: 'sign_in.locked_out', actorAccountId: found?.id, subjectAccountId: found?.id, detail: { portal, ...(found ? {} : typedName) } });
    }
    return { throttled: false, candidate: found, reservation: reserved } as const;
  });
  if (first.throttled) return { ok: false, reason: 'throttled', retryAfterSeconds: first.retryAfterSeconds };
  const { candidate, reservation } = first;
  if (!reservation.ok) return { ok: false, reason: 'locked', retryAfterSeconds: reservation.lockedSeconds };

  const passwordMatches = candidate?.password_hash
    ? await verifySecret(candidate.password_hash, input.password)
    : await verifyDecoy(input.password);

  return db.inTenant(tenant.id, async (tx) => {
    const audit = (action: Parameters<typeof recordEvent>[2]['action'], detail: Record<string, unknown> = {}) =>
      recordEvent(tx, origin, { action, actorAccountId: candidate?.id, subjectAccountId: candidate?.id, detail: { portal, ...detail } });

    if (!passwordMatches || !candidate) {
      await audit('sign_in.failed', candidate ? { failures: reservation.failures } : typedName);
      if (reservation.lockedSeconds > 0) {
        await audit('sign_in.locked_out', { minutes: Math.round(reservation.lockedSeconds / 60), ...(candidate ? {} : typedName) });
        return { ok: false, reason: 'locked', retryAfterSeconds: reservation.lockedSeconds };
      }
      return { ok: false, reason: 'invalid' };
    }
    // The right password: the account's failures are cleared and the address's attempt given back, sent together
    // with whatever comes next (for most sign-ins, the session's writes: one round trip for all of them).
    const settled = Promise.all([clearAccountFailures(tx, candidate.id), giveBack(tx, SIGN_IN_PER_IP, origin.ip)]);
    if (candidate.status === 'deactivated' || candidate.status === 'locked') {
      await Promise.all([settled, audit('sign_in.refused_deactivated', { status: candidate.status })]);
      return { ok: false, reason: 'deactivated' };
    }
    if (candidate.temporary_expired) {
      await Promise.all([settled, audit('sign_in.failed', { why: 'temporary password expired' })]);
      return { ok: false, reason: 'temporary_expired' };
    }
    if (!candidate.two_factor) {
      const [, sessionId] = await Promise.all([settled, startSession(tx, portal, candidate.id, origin)]);
      return { ok: true, step: 'signed_in', sessionId, accountId: candidate.id, device: null };
    }
    await settled;
    // 2FA: a browser saved earlier skips the code (its token rotates); otherwise the code is owed before any session.
    const days = tenant.settings.rememberDeviceDays;
    const device = input.rememberedDevice
      ? await useRememberedDevice(tx, { token: input.rememberedDevice, accountId: candidate.id, portal, days })
      : null;
    if (device) {
      const sessionId = await startSession(tx, portal, candidate.id, origin, { twoFactor: 'remembered_device' });
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
    select id, password_hash, status, temporary_password_expires_at < now() as temporary_expired,
           totp_enabled_at is not null as two_factor
    from accounts
    where portal = ${portal} and (lower(username) = ${identifier} or email = ${identifier})
    order by (lower(username) = ${identifier}) desc
    limit 1`;
  return (row as Candidate | undefined) ?? null;
}

/** Ends this browser's session; the other sessions of the account stay. */
export async function signOut(tx: Sql, scope: Scope, sessionId: string): Promise<void> {
  const accountId = actorOf(scope).id;
  await invalidateSession(tx, sessionId);
  await recordEvent(tx, scope.origin, { action: 'sign_out', actorAccountId: accountId, subjectAccountId: accountId, detail: { portal: scope.portal } });
}
