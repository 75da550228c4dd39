import { randomBytes } from 'node:crypto';
import { messagesForAccount } from '../../core/language.ts';
import type { PublicKeyCredentialCreationOptionsJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { Sql } from '../../platform/db.ts';
import { fromPractice, passkeyChangedEmail, type PasskeyChange } from '../../mail/emails.tsx';
import { getAccountSummary } from '../../core/accounts.ts';
import { recordEvent } from '../../core/audit.ts';
import { actorOf, type Scope } from '../../core/scope.ts';
import { hashSessionId } from '../../core/sessions.ts';
import { openCeremony, takeCeremony } from './challenges.ts';
import { webAuthn } from './relying-party.ts';
import { CEREMONY_TIMEOUT_MS, passkeyUserName, relyingPartyOf } from './relying-party.ts';
import { knownTransports } from './responses.ts';

// A person's own passkeys from My Account / Settings: the list, adding one (the current password was confirmed by
// the caller before the ceremony begins), removing one. Each change is audited and the owner is told by email.

export const MAX_PASSKEYS = 10;

export type PasskeySummary = { id: string; name: string; createdAt: Date; lastUsedAt: Date | null; synced: boolean };

export async function listPasskeys(tx: Sql, accountId: string): Promise<PasskeySummary[]> {
  const rows = await tx`
    select id, name, created_at, last_used_at, device_type from passkeys
    where account_id = ${accountId} order by created_at limit ${MAX_PASSKEYS}`;
  return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at, lastUsedAt: r.last_used_at, synced: r.device_type === 'multiDevice' }));
}

/** One passkey of the signed-in person, on this portal; null for anyone else's (another account, practice or portal). */
export async function getOwnPasskey(tx: Sql, scope: Scope, passkeyId: string): Promise<PasskeySummary | null> {
  const [row] = await tx`
    select id, name, created_at, last_used_at, device_type from passkeys
    where id = ${passkeyId} and account_id = ${actorOf(scope).id} and portal = ${scope.portal}`;
  return row ? { id: row.id, name: row.name, createdAt: row.created_at, lastUsedAt: row.last_used_at, synced: row.device_type === 'multiDevice' } : null;
}

export type BeginRegistration =
  | { ok: true; secret: string; options: PublicKeyCredentialCreationOptionsJSON }
  | { ok: false; reason: 'too_many' };

/**
 * Starts adding a passkey: the options the browser needs (a discoverable credential with user verification, none of
 * the account's existing ones again), and a challenge bound to this browser, account, session and name.
 */
export async function beginRegistration(
  tx: Sql, scope: Scope, input: { sessionId: string; name: string; previousSecret: string | null },
): Promise<BeginRegistration> {
  const actor = actorOf(scope);
  const existing = await tx`select credential_id, transports, user_handle from passkeys where account_id = ${actor.id} order by created_at`;
  if (existing.length >= MAX_PASSKEYS) return { ok: false, reason: 'too_many' };
  const account = await getAccountSummary(tx, actor.id);
  // One random handle per account (the authenticator files the account's credential under it), no personal data.
  const userHandle: string = existing[0]?.user_handle ?? randomBytes(32).toString('base64url');
  const options = await webAuthn().generateRegistrationOptions({
    rpName: scope.tenant.name,
    rpID: relyingPartyOf(scope.config).id,
    userName: passkeyUserName(account?.username ?? actor.displayName, scope.tenant, scope.portal),
    userID: new Uint8Array(Buffer.from(userHandle, 'base64url')),
    userDisplayName: actor.displayName,
    timeout: CEREMONY_TIMEOUT_MS,
    attestationType: 'none',
    excludeCredentials: existing.map((r) => ({ id: r.credential_id as string, transports: knownTransports(r.transports) })),
    authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
  });
  const secret = await openCeremony(tx, {
    purpose: 'register', portal: scope.portal, challenge: options.challenge, previousSecret: input.previousSecret,
    binding: { accountId: actor.id, sessionId: input.sessionId, passkeyName: input.name, userHandle },
  });
  return { ok: true, secret, options };
}

export type FinishRegistration =
  | { ok: true; name: string }
  | { ok: false; reason: 'expired' | 'invalid' | 'already_added' | 'too_many' };

/** Checks the browser's answer against the open challenge and keeps the new credential. */
export async function finishRegistration(
  tx: Sql, scope: Scope, input: { secret: string | null; sessionId: string; response: RegistrationResponseJSON },
): Promise<FinishRegistration> {
  const actor = actorOf(scope);
  const ceremony = await takeCeremony(tx, input.secret, 'register', scope.portal);
  if (!ceremony || ceremony.accountId !== actor.id || ceremony.sessionHash !== hashSessionId(input.sessionId)) return { ok: false, reason: 'expired' };
  const rp = relyingPartyOf(scope.config);
  let verified: Awaited<ReturnType<ReturnType<typeof webAuthn>['verifyRegistrationResponse']>>;
  try {
    verified = await webAuthn().verifyRegistrationResponse({
      response: input.response, expectedChallenge: ceremony.challenge, expectedOrigin: rp.origin, expectedRPID: rp.id,
      requireUserVerification: true,
    });
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (!verified.verified) return { ok: false, reason: 'invalid' };
  const info = verified.registrationInfo;
  const [{ n }] = await tx`select count(*)::int as n from passkeys where account_id = ${actor.id}`;
  if (n >= MAX_PASSKEYS) return { ok: false, reason: 'too_many' };
  const name = ceremony.passkeyName!;
  const aaguid = /^[0-9a-f-]{36}$/.test(info.aaguid) && !/^[0-]+$/.test(info.aaguid) ? info.aaguid : null;
  const inserted = await tx`
    insert into passkeys (tenant_id, account_id, portal, credential_id, public_key, user_handle, sign_count, device_type, backed_up, transports, aaguid, name)
    values (app_tenant_id(), ${actor.id}, ${scope.portal}, ${info.credential.id}, ${Buffer.from(info.credential.publicKey)}, ${ceremony.userHandle},
            ${info.credential.counter}, ${info.credentialDeviceType}, ${info.credentialBackedUp},
            string_to_array(${knownTransports(input.response.response.transports).join(',')}, ','), ${aaguid}, ${name})
    on conflict (tenant_id, credential_id) do nothing
    returning id`;
  if (!inserted.length) return { ok: false, reason: 'already_added' };
  await recordEvent(tx, scope.origin, {
    action: 'passkey.added', actorAccountId: actor.id, subjectAccountId: actor.id,
    detail: { portal: scope.portal, passkey: inserted[0].id, name, synced: info.credentialDeviceType === 'multiDevice', backedUp: info.credentialBackedUp },
  });
  await notifyOwner(tx, scope, actor.id, 'added', name);
  return { ok: true, name };
}

/** Removes one of the signed-in person's passkeys (the caller has confirmed the current password). */
export async function removeOwnPasskey(tx: Sql, scope: Scope, passkeyId: string): Promise<{ ok: true; name: string } | { ok: false; reason: 'not_found' }> {
  const actor = actorOf(scope);
  const [row] = await tx`
    delete from passkeys where id = ${passkeyId} and account_id = ${actor.id} and portal = ${scope.portal} returning id, name`;
  if (!row) return { ok: false, reason: 'not_found' };
  await recordEvent(tx, scope.origin, {
    action: 'passkey.removed', actorAccountId: actor.id, subjectAccountId: actor.id, detail: { portal: scope.portal, passkey: row.id, name: row.name },
  });
  await notifyOwner(tx, scope, actor.id, 'removed', row.name);
  return { ok: true, name: row.name };
}

async function notifyOwner(tx: Sql, scope: Scope, accountId: string, change: PasskeyChange, name: string): Promise<void> {
  const account = await getAccountSummary(tx, accountId);
  if (!account?.email) return;
  const recipient = { to: account.email, accountId, ...fromPractice(scope.tenant) };
  await scope.mailer.queue(tx, passkeyChangedEmail(await messagesForAccount(tx, accountId, scope.origin.language), recipient, { change, name, when: new Date(), timeZone: scope.tenant.settings.timeZone }));
}
