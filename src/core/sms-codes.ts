import { randomInt } from 'node:crypto';
import type { Config } from '../platform/config.ts';
import type { Sql } from '../platform/db.ts';
import { keyedHashes, keyRingOf } from '../platform/encryption.ts';
import type { Portal } from './tenant.ts';

// Codes sent by text message: six digits, valid ten minutes, single use; a newer code replaces an unused older one.
// Only a keyed hash is stored (HMAC, key from SECRET_KEY), and the sign-in step's attempt limits bound the guessing.

export const SMS_CODE_MINUTES = 10;

export async function issueSmsCode(tx: Sql, config: Config, accountId: string): Promise<string> {
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  await tx`delete from two_factor_sms_codes where account_id = ${accountId} and used_at is null`;
  await tx`
    insert into two_factor_sms_codes (tenant_id, account_id, code_hash, expires_at)
    values (app_tenant_id(), ${accountId}, ${hashSmsCode(config, accountId, code)[0]}, now() + ${`${SMS_CODE_MINUTES} minutes`}::interval)`;
  return code;
}

export async function consumeSmsCode(tx: Sql, config: Config, accountId: string, code: string): Promise<boolean> {
  const used = await tx`
    update two_factor_sms_codes set used_at = now()
    where account_id = ${accountId} and code_hash in ${tx(hashSmsCode(config, accountId, code))}
      and used_at is null and expires_at > now()
    returning id`;
  return used.length > 0;
}

/** The code's hash under each key of the ring, newest first (a code sent just before a key rotation still works). */
function hashSmsCode(config: Config, accountId: string, code: string): string[] {
  return keyedHashes(keyRingOf(config), 'sms-codes', `${accountId}:${code}`);
}

/** The cell phone on file: a staff member's profile, or the guardian's family contact. */
export async function getCellPhone(tx: Sql, accountId: string, portal: Portal): Promise<string | null> {
  const [row] = portal === 'practice'
    ? await tx`select cell_phone as phone from staff_profiles where account_id = ${accountId}`
    : await tx`select phone from family_contacts where account_id = ${accountId}`;
  const phone = (row?.phone ?? '').trim();
  return /\d{4}/.test(phone.replace(/\D/g, '')) ? phone : null;
}

/** The last four digits, enough for a person to recognise their number and no more. */
export function phoneEnding(phone: string): string {
  return phone.replace(/\D/g, '').slice(-4);
}
