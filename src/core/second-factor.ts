import { verify } from 'otplib';
import type { Config } from '../platform/config.ts';
import type { Sql } from '../platform/db.ts';
import { createEncrypter, keyedHashes, keyRingOf } from '../platform/encryption.ts';
import { revokeRememberedDevices } from './remembered-devices.ts';
import { consumeSmsCode } from './sms-codes.ts';

// TOTP per RFC 6238 as authenticator apps expect it: SHA-1, 6 digits, 30-second steps, one step of drift either way.
// The secret is stored encrypted (AES-256-GCM, key from SECRET_KEY); a time step once accepted is never accepted
// again for that account (totp_last_used_step), so a code seen over someone's shoulder cannot be replayed.
// This module holds what sign-in, recovery and settings all need: checking a code, and turning 2FA off.

export const TOTP_PERIOD_SECONDS = 30;
export const RECOVERY_CODE_COUNT = 10;
// No 0/o, 1/l/i: recovery codes are read off paper. 31 symbols × 12 ≈ 59 bits each.
export const RECOVERY_ALPHABET = '23456789abcdefghjkmnpqrstuvwxyz';
export const RECOVERY_LENGTH = 12;

export type SecondFactorMethod = 'totp' | 'recovery_code' | 'sms';
export type TwoFactorStatus = { enabled: boolean; enabledAt: Date | null; recoveryCodesLeft: number };

type Keys = { secretKey: string; previousSecretKeys?: readonly string[] };

export function secretEncrypter(config: Keys) {
  return createEncrypter(keyRingOf(config), 'totp');
}

/** Keyed hash of a recovery code: without SECRET_KEY a copy of the rows cannot be guessed against offline. */
export function hashRecoveryCode(config: Keys, accountId: string, code: string): string {
  return recoveryCodeHashes(config, accountId, code)[0];
}

/** The code's hash under every key of the ring: codes made before a key rotation keep working. */
function recoveryCodeHashes(config: Keys, accountId: string, code: string): string[] {
  return keyedHashes(keyRingOf(config), 'recovery-codes', `${accountId}:${code}`);
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


export async function getTwoFactorStatus(tx: Sql, accountId: string): Promise<TwoFactorStatus> {
  const [row] = await tx`
    select a.totp_enabled_at,
           (select count(*)::int from two_factor_recovery_codes r where r.account_id = a.id and r.used_at is null) as left
    from accounts a where a.id = ${accountId}`;
  return { enabled: Boolean(row?.totp_enabled_at), enabledAt: row?.totp_enabled_at ?? null, recoveryCodesLeft: row?.left ?? 0 };
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
      where account_id = ${accountId} and code_hash in ${tx(recoveryCodeHashes(config, accountId, typed.value))} and used_at is null
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
