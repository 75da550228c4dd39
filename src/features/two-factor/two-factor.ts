import { randomInt } from 'node:crypto';
import { messagesForAccount } from '../../core/language.ts';
import { generateSecret, generateURI } from 'otplib';
import type QRCodeModule from 'qrcode';
import type { Config } from '../../platform/config.ts';
import type { Sql } from '../../platform/db.ts';
import { fromPractice, twoFactorChangedEmail, type TwoFactorChange } from '../../mail/emails.tsx';
import { getAccountSummary } from '../../core/accounts.ts';
import { removeAccountPasskeys } from '../../core/passkeys.ts';
import { revokeRememberedDevices } from '../../core/remembered-devices.ts';
import { actorOf, type Scope } from '../../core/scope.ts';
import { recordEvent } from '../../core/audit.ts';
import {
  RECOVERY_ALPHABET, RECOVERY_CODE_COUNT, RECOVERY_LENGTH, checkTotp, hashRecoveryCode, normalizeCode, secretEncrypter, turnOffTwoFactor,
} from '../../core/second-factor.ts';
import { hashSessionId, invalidateAccountSessions } from '../../core/sessions.ts';
import { onFirstUse } from '../../platform/on-first-use.ts';

const qrcode = onFirstUse<typeof QRCodeModule>('qrcode');

// Setting 2FA up (My Account / Settings) and an administrator's reset of a staff member's; checking codes lives in
// src/core/second-factor.ts.

export const ENROLMENT_MINUTES = 15;
export const RECOVERY_CODE_PATTERN = /^[23456789abcdefghjkmnpqrstuvwxyz]{4}-[23456789abcdefghjkmnpqrstuvwxyz]{4}-[23456789abcdefghjkmnpqrstuvwxyz]{4}$/;

export function otpauthUri(secret: string, issuer: string, label: string): string {
  return generateURI({ issuer, label, secret });
}

/** An SVG drawing of the QR code (no script, no style element), to be placed inline in the page. */
export function qrCodeSvg(uri: string): Promise<string> {
  return qrcode().toString(uri, { type: 'svg', margin: 2, width: 200, errorCorrectionLevel: 'M' });
}

/** A fresh secret waiting for its first code; it only works from the session that asked for it. */
export async function startEnrolment(tx: Sql, config: Config, accountId: string, sessionId: string): Promise<string> {
  const secret = generateSecret();
  await tx`
    insert into two_factor_enrolments (tenant_id, account_id, session_hash, secret_encrypted, expires_at)
    values (app_tenant_id(), ${accountId}, ${hashSessionId(sessionId)}, ${secretEncrypter(config).encrypt(secret)},
            now() + ${`${ENROLMENT_MINUTES} minutes`}::interval)
    on conflict (tenant_id, account_id) do update set
      session_hash = excluded.session_hash, secret_encrypted = excluded.secret_encrypted,
      created_at = now(), expires_at = excluded.expires_at`;
  return secret;
}

export async function getEnrolmentSecret(tx: Sql, config: Config, accountId: string, sessionId: string): Promise<string | null> {
  const [row] = await tx`
    select secret_encrypted from two_factor_enrolments
    where account_id = ${accountId} and session_hash = ${hashSessionId(sessionId)} and expires_at > now()`;
  return row ? secretEncrypter(config).decrypt(row.secret_encrypted) : null;
}

export type ConfirmResult = { ok: true; recoveryCodes: string[] } | { ok: false; reason: 'expired' | 'wrong' };

/**
 * The first code proves the app holds the secret: 2FA is on from here, with ten new recovery codes. Browsers
 * remembered under an earlier secret stop counting.
 */
export async function confirmEnrolment(tx: Sql, config: Config, accountId: string, sessionId: string, code: string): Promise<ConfirmResult> {
  const secret = await getEnrolmentSecret(tx, config, accountId, sessionId);
  if (!secret) return { ok: false, reason: 'expired' };
  const typed = normalizeCode(code);
  const step = typed?.kind === 'digits' ? await checkTotp(secret, typed.value, null) : null;
  if (step === null) return { ok: false, reason: 'wrong' };
  await tx`
    update accounts set totp_secret_encrypted = ${secretEncrypter(config).encrypt(secret)}, totp_enabled_at = now(),
           totp_last_used_step = ${step}, updated_at = now()
    where id = ${accountId}`;
  await tx`delete from two_factor_enrolments where account_id = ${accountId}`;
  await revokeRememberedDevices(tx, accountId);
  return { ok: true, recoveryCodes: await replaceRecoveryCodes(tx, config, accountId) };
}

export function generateRecoveryCode(): string {
  const chars = Array.from({ length: RECOVERY_LENGTH }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
}

/** Ten new single-use codes; the old ones stop working. Only their keyed hashes are stored. */
export async function replaceRecoveryCodes(tx: Sql, config: Config, accountId: string): Promise<string[]> {
  const codes = new Set<string>();
  while (codes.size < RECOVERY_CODE_COUNT) codes.add(generateRecoveryCode());
  await tx`delete from two_factor_recovery_codes where account_id = ${accountId}`;
  for (const code of codes) {
    await tx`insert into two_factor_recovery_codes (tenant_id, account_id, code_hash)
             values (app_tenant_id(), ${accountId}, ${hashRecoveryCode(config, accountId, code)})`;
  }
  return [...codes];
}


export type StaffTwoFactor = { id: string; name: string; username: string; enabledAt: Date | null; passkeys: number };

/** A staff member of this practice (row-level security) with their 2FA state; null for anyone else. */
export async function getStaffTwoFactor(tx: Sql, accountId: string): Promise<StaffTwoFactor | null> {
  const [row] = await tx`
    select a.id, a.username, a.totp_enabled_at, sp.first_name || ' ' || sp.last_name as name,
           (select count(*)::int from passkeys p where p.tenant_id = a.tenant_id and p.account_id = a.id) as passkeys
    from accounts a join staff_profiles sp on sp.tenant_id = a.tenant_id and sp.account_id = a.id
    where a.id = ${accountId} and a.portal = 'practice'`;
  return row ? { id: row.id, name: row.name, username: row.username, enabledAt: row.totp_enabled_at, passkeys: row.passkeys } : null;
}

/**
 * An administrator's reset (P4): 2FA off, the member's passkeys removed, and every session and remembered browser of
 * the member ends with it; the member is told by email.
 */
export async function resetTwoFactorByStaff(tx: Sql, scope: Scope, accountId: string): Promise<void> {
  await turnOffTwoFactor(tx, accountId);
  const passkeysRemoved = await removeAccountPasskeys(tx, scope.origin, { accountId, actorAccountId: actorOf(scope).id, reason: 'two_factor_reset' });
  await invalidateAccountSessions(tx, accountId);
  await recordEvent(tx, scope.origin, {
    action: 'two_factor.reset_by_staff', actorAccountId: actorOf(scope).id, subjectAccountId: accountId, detail: { portal: 'practice' },
  });
  await notifyTwoFactorChange(tx, scope, accountId, 'reset', passkeysRemoved);
}

/** Tells the owner by email that 2FA changed on their account, so a change they did not make does not go unseen. */
export async function notifyTwoFactorChange(tx: Sql, scope: Scope, accountId: string, change: TwoFactorChange, passkeysRemoved = 0): Promise<void> {
  const account = await getAccountSummary(tx, accountId);
  if (!account?.email) return;
  const recipient = { to: account.email, accountId, ...fromPractice(scope.tenant) };
  await scope.mailer.queue(tx, twoFactorChangedEmail(await messagesForAccount(tx, accountId, scope.origin.language), recipient, change, passkeysRemoved));
}
