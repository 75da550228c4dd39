import type { Config } from '../../platform/config.ts';
import { onFirstUse } from '../../platform/on-first-use.ts';
import type { Portal, Tenant } from '../../core/tenant.ts';

// One relying party for the whole deployment: its id is the host of PUBLIC_URL (never the Host header), and the only
// origin accepted in a ceremony is PUBLIC_URL's. Every practice shares it, so which practice and portal a passkey
// belongs to is kept in our table (row-level security, portal column), not in the credential.

export type RelyingParty = { id: string; origin: string };

/** The WebAuthn server library, loaded with the first ceremony (platform/on-first-use.ts). */
export const webAuthn = onFirstUse<typeof import('@simplewebauthn/server')>('@simplewebauthn/server');

export function relyingPartyOf(config: Pick<Config, 'publicUrl'>): RelyingParty {
  const url = new URL(config.publicUrl);
  return { id: url.hostname, origin: url.origin };
}

// How long the browser may take to finish a ceremony, and how long its challenge lives here (a little longer).
export const CEREMONY_TIMEOUT_MS = 3 * 60 * 1000;
export const CHALLENGE_MINUTES = 5;

/**
 * The name the browser's passkey picker shows. All practices share one relying-party id, so a parent with accounts at
 * two practices (or a staff member who is also a parent) sees several passkeys: the practice and portal tell them apart.
 */
export function passkeyUserName(username: string, tenant: Pick<Tenant, 'name'>, portal: Portal): string {
  return `${username} (${tenant.name}${portal === 'practice' ? ', practice portal' : ''})`.slice(0, 200);
}

/** The practice's time zone, for the dates a person reads. */
export function timeZoneOf(tenant: Tenant): string {
  const setting = (tenant.settings as { timeZone?: unknown }).timeZone;
  return typeof setting === 'string' && setting ? setting : 'America/New_York';
}
