import { createHash } from 'node:crypto';
import { Lucia, TimeSpan, type Adapter, type DatabaseSession, type DatabaseUser } from 'lucia';
import type { Sql } from '../platform/db.ts';
import { revokeTokens } from './account-tokens.ts';
import { recordEvent, type RequestOrigin } from './audit.ts';
import { idleMinutes, type Portal, type Tenant } from './tenant.ts';

// Lucia is kept behind this module: the rest of Gatehouse sees createSession, validateSession and the
// invalidate functions only, so the session model could move to hand-written code without touching routes.

export const ABSOLUTE_SESSION_HOURS = 12;
// last_seen_at is refreshed at most once a minute: a signed-in page costs one read, rarely a write.
const TOUCH_AFTER_MINUTES = 1;

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
};

/** How a sign-in proved who the person is: a password (maybe with a second step), or a passkey. */
export type SignInMethod = 'password' | 'passkey';

type SessionAttributes = { portal: Portal; ip: string; userAgent: string; signedInWith: SignInMethod };

declare module 'lucia' {
  interface Register {
    Lucia: Lucia<Record<never, never>, SignedInAccount>;
    DatabaseUserAttributes: SignedInAccount;
    DatabaseSessionAttributes: SessionAttributes;
  }
}

export function hashSessionId(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('hex');
}

/** What the store saw of a session it was asked for: nothing, or its deadline and whether idleness set it. */
type Sighting = { found: false } | { found: true; deadline: Date; idleDeadline: boolean; active: boolean };

/** A session store for one tenant transaction and one portal: sessions of other portals do not exist here. */
function createAdapter(tx: Sql, portal: Portal, idleMinutes: number, seen?: (sighting: Sighting) => void): Adapter {
  const idle = `${idleMinutes} minutes`;
  return {
    async getSessionAndUser(sessionId) {
      const [row] = await tx`
        select s.account_id, least(s.last_seen_at + ${idle}::interval, s.expires_at) as deadline, s.signed_in_with,
               s.last_seen_at + ${idle}::interval < s.expires_at as idle_deadline,
               a.portal, a.username, a.email, a.status, a.must_change_password,
               a.temporary_password_expires_at < now() as temporary_expired,
               a.security_answer_hash is not null as has_question, a.totp_enabled_at is not null as two_factor,
               exists (select 1 from passkeys p where p.tenant_id = a.tenant_id and p.account_id = a.id) as has_passkey,
               sp.role, coalesce(sp.first_name || ' ' || sp.last_name, fc.first_name || ' ' || fc.last_name, a.username) as display_name
        from sessions s
        join accounts a on a.tenant_id = s.tenant_id and a.id = s.account_id
        left join staff_profiles sp on sp.tenant_id = a.tenant_id and sp.account_id = a.id
        left join family_contacts fc on fc.tenant_id = a.tenant_id and fc.account_id = a.id
        where s.id_hash = ${hashSessionId(sessionId)} and s.portal = ${portal} and a.portal = ${portal}`;
      seen?.(row ? { found: true, deadline: row.deadline, idleDeadline: row.idle_deadline, active: row.status === 'active' } : { found: false });
      if (!row) return [null, null];
      const session: DatabaseSession = { id: sessionId, userId: row.account_id, expiresAt: row.deadline, attributes: {} as SessionAttributes };
      if (row.status !== 'active') return [session, null];
      const user: DatabaseUser = {
        id: row.account_id,
        attributes: {
          id: row.account_id,
          portal: row.portal,
          username: row.username,
          email: row.email,
          displayName: row.display_name,
          role: row.role ?? null,
          mustChangePassword: row.must_change_password || row.temporary_expired === true,
          hasSecurityQuestion: row.has_question,
          twoFactorEnabled: row.two_factor,
          hasPasskey: row.has_passkey,
          signedInWithPasskey: row.signed_in_with === 'passkey',
        },
      };
      return [session, user];
    },
    async getUserSessions(accountId) {
      const rows = await tx`
        select id_hash, least(last_seen_at + ${idle}::interval, expires_at) as deadline from sessions
        where account_id = ${accountId} and portal = ${portal}`;
      return rows.map((r) => ({ id: r.id_hash, userId: accountId, expiresAt: r.deadline, attributes: {} as SessionAttributes }));
    },
    async setSession(session) {
      const { ip, userAgent, signedInWith } = session.attributes;
      await tx`
        insert into sessions (tenant_id, id_hash, account_id, portal, expires_at, ip, user_agent, signed_in_with)
        values (app_tenant_id(), ${hashSessionId(session.id)}, ${session.userId}, ${portal},
                now() + ${`${ABSOLUTE_SESSION_HOURS} hours`}::interval, ${ip}, ${userAgent.slice(0, 500)}, ${signedInWith})`;
    },
    async updateSessionExpiration(sessionId) {
      await tx`update sessions set last_seen_at = now() where id_hash = ${hashSessionId(sessionId)}`;
    },
    async deleteSession(sessionId) {
      await tx`delete from sessions where id_hash = ${hashSessionId(sessionId)}`;
    },
    async deleteUserSessions(accountId) {
      await tx`delete from sessions where account_id = ${accountId}`;
    },
    async deleteExpiredSessions() {
      await tx`delete from sessions where expires_at < now() or last_seen_at < now() - ${idle}::interval`;
    },
  };
}

function createLucia(tx: Sql, portal: Portal, idleMinutes: number, seen?: (sighting: Sighting) => void) {
  return new Lucia(createAdapter(tx, portal, idleMinutes, seen), {
    // Lucia refreshes a session once less than half of this remains; with twice the idle time minus the touch
    // interval, that is whenever last_seen_at is more than a minute old. The idle deadline itself is the
    // session's expiresAt, computed by the adapter.
    sessionExpiresIn: new TimeSpan(2 * idleMinutes - 2 * TOUCH_AFTER_MINUTES, 'm'),
    getUserAttributes: (attributes) => attributes,
  });
}

export type SessionScope = { tx: Sql; portal: Portal; idleMinutes: number };

export async function createSession(
  scope: SessionScope, accountId: string, origin: { ip: string; userAgent: string }, signedInWith: SignInMethod = 'password',
): Promise<string> {
  const session = await createLucia(scope.tx, scope.portal, scope.idleMinutes)
    .createSession(accountId, { portal: scope.portal, ip: origin.ip, userAgent: origin.userAgent, signedInWith });
  return session.id;
}

export async function validateSession(scope: SessionScope, sessionId: string): Promise<SignedInAccount | null> {
  return (await checkSession(scope, sessionId)).account;
}

/**
 * Why a session a browser still presents no longer signs it in, so the sign-in page can say so: `idle` (no activity
 * for the practice's idle time), `expired` (the 12-hour limit), or `ended` (signed out elsewhere, a password change,
 * a deactivation: the session is gone).
 */
export type SessionEnd = 'idle' | 'expired' | 'ended';

export async function checkSession(
  scope: SessionScope, sessionId: string,
): Promise<{ account: SignedInAccount; ended: null } | { account: null; ended: SessionEnd }> {
  let sighting: Sighting = { found: false };
  const { user } = await createLucia(scope.tx, scope.portal, scope.idleMinutes, (seen) => (sighting = seen))
    .validateSession(sessionId);
  if (user) return { account: user, ended: null };
  const seen = sighting as Sighting;
  if (!seen.found || !seen.active || seen.deadline.getTime() > Date.now()) return { account: null, ended: 'ended' };
  return { account: null, ended: seen.idleDeadline ? 'idle' : 'expired' };
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
  tx: Sql, tenant: Tenant, portal: Portal, accountId: string, origin: RequestOrigin, detail: Record<string, unknown> = {},
  method: SignInMethod = 'password',
): Promise<string> {
  await tx`
    update accounts set last_sign_in_at = now(), status = case when status = 'invited' then 'active' else status end
    where id = ${accountId}`;
  // Signing in with the password proves the person knows it: pending reset links are no longer needed. A passkey
  // proves nothing about the password, and someone who forgot it may still want the link they asked for.
  if (method === 'password') await revokeTokens(tx, accountId, 'signed in since', 'reset');
  const sessionId = await createSession({ tx, portal, idleMinutes: idleMinutes(tenant.settings, portal) }, accountId, origin, method);
  await recordEvent(tx, origin, { action: 'sign_in.succeeded', actorAccountId: accountId, subjectAccountId: accountId, detail: { portal, ...detail, ...(method === 'passkey' ? { method } : {}) } });
  return sessionId;
}
