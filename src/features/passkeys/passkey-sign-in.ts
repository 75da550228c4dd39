import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { Database, Sql } from '../../platform/db.ts';
import { hitLimit, type Limit } from '../../platform/throttle.ts';
import { recordEvent, type AuditAction } from '../../core/audit.ts';
import type { Scope } from '../../core/scope.ts';
import { invalidateSession, startSession } from '../../core/sessions.ts';
import { openCeremony, takeCeremony } from './challenges.ts';
import { CEREMONY_TIMEOUT_MS, relyingPartyOf, webAuthn } from './relying-party.ts';
import { knownTransports } from './responses.ts';

// "Sign in with a passkey" (both portals): no username, the browser offers the passkeys it holds for our relying
// party, and the one chosen must belong to this practice and portal. User verification is required, so the passkey
// is two factors at once (the device, and the fingerprint, face or PIN that unlocks it): no second step follows.

// Per network address, as password sign-ins are counted (src/features/sign-in/sign-in.ts).
export const PASSKEY_OPTIONS_PER_IP: Limit = { bucket: 'passkey-options:ip', max: 60, windowSeconds: 300 };
export const PASSKEY_SIGN_IN_PER_IP: Limit = { bucket: 'passkey-sign-in:ip', max: 60, windowSeconds: 300 };

export type BeginSignIn =
  | { ok: true; secret: string; options: PublicKeyCredentialRequestOptionsJSON }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

export async function beginSignIn(db: Database, scope: Scope, previousSecret: string | null): Promise<BeginSignIn> {
  const hit = await hitLimit(db.sql, PASSKEY_OPTIONS_PER_IP, scope.origin.ip);
  if (!hit.allowed) return { ok: false, reason: 'throttled', retryAfterSeconds: hit.retryAfterSeconds };
  const options = await webAuthn().generateAuthenticationOptions({
    rpID: relyingPartyOf(scope.config).id, userVerification: 'required', timeout: CEREMONY_TIMEOUT_MS, allowCredentials: [],
  });
  const secret = await db.inTenant(scope.tenant.id, (tx) =>
    openCeremony(tx, { purpose: 'sign_in', portal: scope.portal, challenge: options.challenge, previousSecret }));
  return { ok: true, secret, options };
}

export type FinishSignIn =
  | { ok: true; sessionId: string; accountId: string }
  | { ok: false; reason: 'expired' | 'not_here' | 'invalid' | 'copied' | 'deactivated' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

type StoredPasskey = {
  id: string; account_id: string; public_key: Buffer; user_handle: string; sign_count: string; transports: string[]; status: string;
};

/**
 * Checks a signed answer against this browser's open challenge and the passkey it names in this practice and portal,
 * then starts a session. A signature counter that fails to move forward means two authenticators hold the same key:
 * the sign-in is refused and audited, and the stored counter stays where the genuine one left it.
 */
export async function finishSignIn(
  db: Database, scope: Scope, input: { secret: string | null; response: AuthenticationResponseJSON; replacingSessionId: string | null },
): Promise<FinishSignIn> {
  const { tenant, portal, origin } = scope;
  const hit = await hitLimit(db.sql, PASSKEY_SIGN_IN_PER_IP, origin.ip);
  if (!hit.allowed) return { ok: false, reason: 'throttled', retryAfterSeconds: hit.retryAfterSeconds };
  return db.inTenant(tenant.id, async (tx): Promise<FinishSignIn> => {
    const ceremony = await takeCeremony(tx, input.secret, 'sign_in', portal);
    if (!ceremony) return { ok: false, reason: 'expired' };
    const passkey = await findPasskey(tx, portal, input.response.id);
    const audit = (action: AuditAction, detail: Record<string, unknown>) => recordEvent(tx, origin, {
      action, actorAccountId: passkey?.account_id ?? null, subjectAccountId: passkey?.account_id ?? null,
      detail: { portal, method: 'passkey', ...(passkey ? { passkey: passkey.id } : {}), ...detail },
    });
    if (!passkey) {
      await audit('passkey.sign_in_failed', { why: 'not registered on this portal' });
      return { ok: false, reason: 'not_here' };
    }
    // Discoverable sign-in names no account, so the answer must say whose passkey it is (WebAuthn §7.2, step 6).
    if (input.response.response.userHandle !== passkey.user_handle) {
      await audit('passkey.sign_in_failed', { why: 'user handle does not match' });
      return { ok: false, reason: 'invalid' };
    }
    const rp = relyingPartyOf(scope.config);
    const stored = Number(passkey.sign_count);
    let result: Awaited<ReturnType<ReturnType<typeof webAuthn>['verifyAuthenticationResponse']>>;
    try {
      result = await webAuthn().verifyAuthenticationResponse({
        response: input.response, expectedChallenge: ceremony.challenge, expectedOrigin: rp.origin, expectedRPID: rp.id,
        requireUserVerification: true,
        // The counter is compared below, after the signature is known to be good: the library compares it before.
        credential: { id: input.response.id, publicKey: new Uint8Array(passkey.public_key), counter: 0, transports: knownTransports(passkey.transports) },
      });
    } catch (error) {
      await audit('passkey.sign_in_failed', { why: describe(error) });
      return { ok: false, reason: 'invalid' };
    }
    if (!result.verified) {
      await audit('passkey.sign_in_failed', { why: 'bad signature' });
      return { ok: false, reason: 'invalid' };
    }
    const info = result.authenticationInfo;
    if ((info.newCounter > 0 || stored > 0) && info.newCounter <= stored) {
      await audit('passkey.clone_suspected', { storedCounter: stored, receivedCounter: info.newCounter });
      return { ok: false, reason: 'copied' };
    }
    if (passkey.status !== 'active') {
      await audit('sign_in.refused_deactivated', { status: passkey.status });
      return { ok: false, reason: 'deactivated' };
    }
    await tx`
      update passkeys set sign_count = ${info.newCounter}, backed_up = ${info.credentialBackedUp}, device_type = ${info.credentialDeviceType},
             last_used_at = now()
      where id = ${passkey.id}`;
    // A staff member asked for their passkey after a password-only sign-in: that weaker session ends here.
    if (input.replacingSessionId) await invalidateSession(tx, input.replacingSessionId);
    const sessionId = await startSession(tx, portal, passkey.account_id, origin, { passkey: passkey.id }, 'passkey');
    return { ok: true, sessionId, accountId: passkey.account_id };
  });
}

async function findPasskey(tx: Sql, portal: Scope['portal'], credentialId: string): Promise<StoredPasskey | null> {
  const [row] = await tx`
    select p.id, p.account_id, p.public_key, p.user_handle, p.sign_count, p.transports, a.status
    from passkeys p join accounts a on a.tenant_id = p.tenant_id and a.id = p.account_id
    where p.credential_id = ${credentialId} and p.portal = ${portal} and a.portal = ${portal}`;
  return (row as StoredPasskey | undefined) ?? null;
}

/** The library's reason, short and without the challenge or origin it echoes (the audit log is not a place for them). */
function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/origin/i.test(message)) return 'wrong origin';
  if (/challenge/i.test(message)) return 'wrong challenge';
  if (/RP ID/i.test(message)) return 'wrong relying party';
  if (/verif/i.test(message)) return 'user not verified';
  if (/present/i.test(message)) return 'user not present';
  return 'unreadable response';
}
