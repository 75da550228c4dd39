import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { isLocale, type Locale } from '../copy/messages.ts';
import type { Database, Sql } from '../platform/db.ts';
import { revokeTokens } from './account-tokens.ts';
import { recordEvent, type RequestOrigin } from './audit.ts';
import {
  forgetTenant, parseSettings, rememberTenant, settingsSchema, type KnownTenant, type Portal, type TenantSettings,
} from './tenant.ts';

// Sessions as the Lucia project now teaches them, in our own few lines: a random id of 25 bytes (200 bits) in the
// cookie, only its SHA-256 in the table, idle and absolute limits checked by the database on every read, and the hash
// compared in constant time once found. The id format (40 characters of lowercase base32) and the table are the ones
// Lucia wrote, so sessions begun before keep working.

export const ABSOLUTE_SESSION_HOURS = 12;
// last_seen_at is written at most once a minute: a signed-in page costs one read, rarely a write.
const TOUCH_AFTER = '1 minute';

export type SignedInAccount = {
  id: string;
  portal: Portal;
  username: string;
  email: string | null;
  displayName: string;
  role: 'admin' | 'provider' | 'nurse' | 'staff' | null;
  mustChangePassword: boolean;
  hasSecurityQuestion: boolean;
  twoFactorEnabled: boolean;
  /** The account has at least one passkey (on its own portal: every account belongs to one). */
  hasPasskey: boolean;
  /** This session began with a passkey, which is multi-factor by itself. */
  signedInWithPasskey: boolean;
  /** The language the account chose for the patient portal (Settings), null until it chooses. */
  language: Locale | null;
};

/** How a sign-in proved who the person is: a password (maybe with a second step), or a passkey. */
export type SignInMethod = 'password' | 'passkey';

/** What a session cookie may look like; anything else is not even looked up. */
export const SESSION_ID_PATTERN = /^[a-z0-9]{20,64}$/;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** 25 random bytes as 40 characters of lowercase base32 without padding (RFC 4648's alphabet, lowercased). */
export function generateSessionId(): string {
  const bytes = randomBytes(25);
  let id = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      id += BASE32[(buffer >> bits) & 31];
    }
  }
  return id;
}

export function hashSessionId(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('hex');
}

/** A new session of the account on this portal, inside the practice's transaction; its id goes in the cookie. */
export async function createSession(
  tx: Sql, portal: Portal, accountId: string, origin: { ip: string; userAgent: string }, signedInWith: SignInMethod = 'password',
): Promise<string> {
  const sessionId = generateSessionId();
  await tx`
    insert into sessions (tenant_id, id_hash, account_id, portal, expires_at, ip, user_agent, signed_in_with)
    values (app_tenant_id(), ${hashSessionId(sessionId)}, ${accountId}, ${portal},
            now() + ${`${ABSOLUTE_SESSION_HOURS} hours`}::interval, ${origin.ip}, ${origin.userAgent.slice(0, 500)}, ${signedInWith})`;
  return sessionId;
}

/**
 * Why a session a browser still presents no longer signs it in, so the sign-in page can say so: `idle` (no activity
 * for the practice's idle time), `expired` (the 12-hour limit), or `ended` (signed out elsewhere, a password change,
 * a deactivation: the session is gone).
 */
export type SessionEnd = 'idle' | 'expired' | 'ended';

export type SessionRead = {
  /** The practice as it is now: the known one, or its fresh row when it changed since. Null if it no longer exists. */
  tenant: KnownTenant | null;
  account: SignedInAccount | null;
  /** Set when a cookie was presented and signs nobody in. */
  ended: SessionEnd | null;
};

const DEFAULT_SETTINGS = settingsSchema.parse({});

/**
 * The account behind a session cookie, in one statement (sql/040, 041, 060: app_session_read): the practice's row-level
 * security, the idle and 12-hour limits, the touch at most once a minute, and the practice's current version come
 * back together. A session only counts on the practice and portal it was made for. The practice's fresh row, when
 * it changed, is remembered for this instance's next requests.
 */
export async function readSession(db: Database, known: KnownTenant, portal: Portal, sessionId: string): Promise<SessionRead> {
  const idHash = hashSessionId(sessionId);
  const idleKey: keyof TenantSettings = portal === 'practice' ? 'idleMinutesPractice' : 'idleMinutesPatient';
  const [row] = await db.sql`
    select * from app_session_read(${known.tenant.id}, ${portal}, ${idHash}, ${known.version},
                                   ${idleKey}, ${DEFAULT_SETTINGS[idleKey]}, ${TOUCH_AFTER}::interval)`;
  if (!row) {
    forgetTenant(db, known.tenant.slug);
    return { tenant: null, account: null, ended: null };
  }
  const version = Number(row.tenant_version);
  const tenant: KnownTenant = version === known.version
    ? known
    : rememberTenant(db, { version, tenant: { id: known.tenant.id, slug: row.tenant_slug, name: row.tenant_name, settings: parseSettings(row.tenant_settings) } });
  if (!row.id_hash || !sameHash(row.id_hash, idHash)) return { tenant, account: null, ended: (row.ended as SessionEnd | null) ?? 'ended' };
  return {
    tenant,
    account: {
      id: row.account_id,
      portal,
      username: row.username,
      email: row.email,
      displayName: row.display_name,
      role: row.role ?? null,
      mustChangePassword: row.must_change_password,
      hasSecurityQuestion: row.has_question,
      twoFactorEnabled: row.two_factor,
      hasPasskey: row.has_passkey,
      signedInWithPasskey: row.signed_in_with === 'passkey',
      language: isLocale(row.language) ? row.language : null,
    },
    ended: null,
  };
}

function sameHash(stored: string, computed: string): boolean {
  const a = Buffer.from(stored);
  const b = Buffer.from(computed);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function invalidateSession(tx: Sql, sessionId: string): Promise<unknown> {
  return tx`delete from sessions where id_hash = ${hashSessionId(sessionId)}`;
}

/** Ends every session of an account, on both portals (password reset, deactivation, 2FA reset). */
export function invalidateAccountSessions(tx: Sql, accountId: string, options: { except?: string } = {}): Promise<unknown> {
  const keep = options.except ? hashSessionId(options.except) : '';
  return tx`delete from sessions where account_id = ${accountId} and id_hash <> ${keep}`;
}

/** The end of every successful sign-in (password alone, password and second factor, or a passkey): a session. */
export async function startSession(
  tx: Sql, portal: Portal, accountId: string, origin: RequestOrigin, detail: Record<string, unknown> = {},
  method: SignInMethod = 'password',
): Promise<string> {
  // Four independent writes of one transaction, sent together (one round trip): they commit or roll back as one.
  const [, , sessionId] = await Promise.all([
    tx`
      update accounts set last_sign_in_at = now(), status = case when status = 'invited' then 'active' else status end,
        last_language = coalesce(${origin.language ?? null}, last_language)
      where id = ${accountId}`,
    // Signing in with the password proves the person knows it: pending reset links are no longer needed. A passkey
    // proves nothing about the password, and someone who forgot it may still want the link they asked for.
    method === 'password' ? revokeTokens(tx, accountId, 'signed in since', 'reset') : null,
    createSession(tx, portal, accountId, origin, method),
    recordEvent(tx, origin, { action: 'sign_in.succeeded', actorAccountId: accountId, subjectAccountId: accountId, detail: { portal, ...detail, ...(method === 'passkey' ? { method } : {}) } }),
  ]);
  return sessionId;
}
