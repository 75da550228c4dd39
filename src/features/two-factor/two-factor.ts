import { createHash, createHmac, randomInt } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';
import type { Config } from '../../platform/config.ts';
import type { Sql } from '../../platform/db.ts';
import { createEncrypter } from '../../platform/encryption.ts';
import { consumeSmsCode } from '../../core/sms-codes.ts';
import { revokeRememberedDevices } from '../../core/remembered-devices.ts';
import { hashSessionId, invalidateAccountSessions } from '../../core/sessions.ts';

// TOTP per RFC 6238 as authenticator apps expect it: SHA-1, 6 digits, 30-second steps, one step of drift either way.
// The secret is stored encrypted (AES-256-GCM, key from SECRET_KEY); a time step once accepted is never accepted
// again for that account (totp_last_used_step), so a code seen over someone's shoulder cannot be replayed.

export const TOTP_PERIOD_SECONDS = 30;
export const ENROLMENT_MINUTES = 15;
export const RECOVERY_CODE_COUNT = 10;
// No 0/o, 1/l/i: recovery codes are read off paper. 31 symbols × 12 ≈ 59 bits each.
const RECOVERY_ALPHABET = '23456789abcdefghjkmnpqrstuvwxyz';
const RECOVERY_LENGTH = 12;
export const RECOVERY_CODE_PATTERN = /^[23456789abcdefghjkmnpqrstuvwxyz]{4}-[23456789abcdefghjkmnpqrstuvwxyz]{4}-[23456789abcdefghjkmnpqrstuvwxyz]{4}$/;

export type SecondFactorMethod = 'totp' | 'recovery_code' | 'sms';
export type TwoFactorStatus = { enabled: boolean; enabledAt: Date | null; recoveryCodesLeft: number };

export function secretEncrypter(config: Pick<Config, 'secretKey'>) {
  return createEncrypter(config.secretKey, 'totp');
}

/** Keyed hash of a recovery code: without SECRET_KEY a copy of the rows cannot be guessed against offline. */
export function hashRecoveryCode(config: Pick<Config, 'secretKey'>, accountId: string, code: string): string {
  const key = createHash('sha256').update('gatehouse:recovery-codes:').update(config.secretKey).digest();
  return createHmac('sha256', key).update(`${accountId}:${code}`).digest('hex');
}

/** What a person typed in the code field: six digits (app or SMS), a recovery code, or nothing usable. */
export function normalizeCode(input: string): { kind: 'digits' | 'recovery'; value: string } | null {
  const compact = input.normalize('NFKC').toLowerCase().replace(/[\s-]/g, '');
  if (/^\d{6}$/.test(compact)) return { kind: 'digits', value: compact };
  if (compact.length === RECOVERY_LENGTH && [...compact].every((ch) => RECOVERY_ALPHABET.includes(ch))) {
    return { kind: 'recovery', value: `${compact.slice(0, 4)}-${compact.slice(4, 8)}-${compact.slice(8)}` };
  }
  return null;
}

/** The time step a code belongs to if it is valid now (±1 step) and newer than `afterStep`; otherwise null. */
export async function checkTotp(secret: string, token: string, afterStep: number | null): Promise<number | null> {
  if (!/^\d{6}$/.test(token)) return null; // otplib throws on malformed tokens
  try {
    const result = await verify({
      secret, token, epochTolerance: TOTP_PERIOD_SECONDS, ...(afterStep === null ? {} : { afterTimeStep: afterStep }),
    });
    return result.valid && 'timeStep' in result ? result.timeStep : null;
  } catch {
    return null;
  }
}

export function otpauthUri(secret: string, issuer: string, label: string): string {
  return generateURI({ issuer, label, secret });
}

/** An SVG drawing of the QR code (no script, no style element), to be placed inline in the page. */
export function qrCodeSvg(uri: string): Promise<string> {
  return QRCode.toString(uri, { type: 'svg', margin: 2, width: 200, errorCorrectionLevel: 'M' });
}

export async function getTwoFactorStatus(tx: Sql, accountId: string): Promise<TwoFactorStatus> {
  const [row] = await tx`
    select a.totp_enabled_at,
           (select count(*)::int from two_factor_recovery_codes r where r.account_id = a.id and r.used_at is null) as left
    from accounts a where a.id = ${accountId}`;
  return { enabled: Boolean(row?.totp_enabled_at), enabledAt: row?.totp_enabled_at ?? null, recoveryCodesLeft: row?.left ?? 0 };
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

export type SecondFactorCheck = { ok: true; method: SecondFactorMethod } | { ok: false };

/**
 * Checks a code for an account with 2FA on: an app code (each time step once), a text-message code when allowed,
 * or a recovery code (each once). The account row is locked, so two requests cannot both spend the same code.
 */
export async function verifySecondFactor(
  tx: Sql, config: Config, accountId: string, input: string, options: { allowSms: boolean },
): Promise<SecondFactorCheck> {
  const [account] = await tx`
    select totp_secret_encrypted, totp_last_used_step from accounts
    where id = ${accountId} and totp_enabled_at is not null for update`;
  const typed = normalizeCode(input);
  if (!account || !typed) return { ok: false };
  if (typed.kind === 'recovery') {
    const used = await tx`
      update two_factor_recovery_codes set used_at = now()
      where account_id = ${accountId} and code_hash = ${hashRecoveryCode(config, accountId, typed.value)} and used_at is null
      returning id`;
    return used.length ? { ok: true, method: 'recovery_code' } : { ok: false };
  }
  const secret = account.totp_secret_encrypted ? secretEncrypter(config).decrypt(account.totp_secret_encrypted) : null;
  const lastStep = account.totp_last_used_step === null ? null : Number(account.totp_last_used_step);
  const step = secret ? await checkTotp(secret, typed.value, lastStep) : null;
  if (step !== null) {
    await tx`update accounts set totp_last_used_step = ${step} where id = ${accountId}`;
    return { ok: true, method: 'totp' };
  }
  if (options.allowSms && await consumeSmsCode(tx, config, accountId, typed.value)) return { ok: true, method: 'sms' };
  return { ok: false };
}

/** Turns 2FA off and forgets everything that came with it (codes, remembered browsers, open steps). */
export async function turnOffTwoFactor(tx: Sql, accountId: string): Promise<void> {
  await tx`
    update accounts set totp_secret_encrypted = null, totp_enabled_at = null, totp_last_used_step = null, updated_at = now()
    where id = ${accountId}`;
  await tx`delete from two_factor_recovery_codes where account_id = ${accountId}`;
  await tx`delete from two_factor_sms_codes where account_id = ${accountId}`;
  await tx`delete from two_factor_enrolments where account_id = ${accountId}`;
  await tx`delete from two_factor_challenges where account_id = ${accountId}`;
  await revokeRememberedDevices(tx, accountId);
}

export type StaffTwoFactor = { id: string; name: string; username: string; enabledAt: Date | null };

/** A staff member of this practice (row-level security) with their 2FA state; null for anyone else. */
export async function getStaffTwoFactor(tx: Sql, accountId: string): Promise<StaffTwoFactor | null> {
  const [row] = await tx`
    select a.id, a.username, a.totp_enabled_at, sp.first_name || ' ' || sp.last_name as name
    from accounts a join staff_profiles sp on sp.tenant_id = a.tenant_id and sp.account_id = a.id
    where a.id = ${accountId} and a.portal = 'practice'`;
  return row ? { id: row.id, name: row.name, username: row.username, enabledAt: row.totp_enabled_at } : null;
}

/** An administrator's reset (P4): 2FA off, and every session and remembered browser of the member ends with it. */
export async function resetTwoFactorByStaff(tx: Sql, accountId: string): Promise<void> {
  await turnOffTwoFactor(tx, accountId);
  await invalidateAccountSessions(tx, accountId);
}
