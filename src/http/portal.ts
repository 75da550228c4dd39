import type { Context, MiddlewareHandler } from 'hono';
import { messagesFor } from '../copy/messages.ts';
import type { Scope } from '../core/scope.ts';
import { SESSION_ID_PATTERN, readSession, type SessionEnd } from '../core/sessions.ts';
import { lastKnownTenant, readTenant, type KnownTenant, type Portal } from '../core/tenant.ts';
import { redirect } from './client.ts';
import { SESSION_COOKIE, clearSessionCookie, readCookie } from './cookies.ts';
import type { AppDeps, Env } from './env.ts';
import { renderError } from './errors.tsx';
import { chooseLanguage } from './language.ts';
import { portalPath, signInPath } from './paths.ts';

/**
 * Resolves the practice from the path and the signed-in account from the cookie. A session only counts on the
 * tenant and portal it was made for: the lookup runs under that tenant's row-level security and matches the portal.
 * A request with a session cookie costs one statement: this instance's copy of the practice is checked in the same
 * statement as the session (sessions.ts, readSession). A request without one reads the practice afresh.
 */
export function portalContext(deps: AppDeps, portal: Portal): MiddlewareHandler<Env> {
  return async (c, next) => {
    const slug = c.req.param('tenant') ?? '';
    const cookie = readCookie(c, SESSION_COOKIE);
    const sessionId = cookie && SESSION_ID_PATTERN.test(cookie) ? cookie : null;
    let known: KnownTenant | null = sessionId ? lastKnownTenant(deps.db, slug) : null;
    known ??= await readTenant(deps.db, slug);
    let account = null;
    let ended: SessionEnd | null = cookie ? 'ended' : null;
    if (known && sessionId) ({ tenant: known, account, ended } = await readSession(deps.db, known, portal, sessionId));
    if (!known) return renderError(c, 404);
    c.set('tenant', known.tenant);
    c.set('portal', portal);
    // The patient portal speaks the family's language; the request carries it (a sign-in remembers it, a reset
    // request's email follows it). The practice portal is English.
    const language = portal === 'patient' ? chooseLanguage(c, account?.language ?? null) : 'en';
    c.set('messages', messagesFor(language));
    if (portal === 'patient') c.set('origin', { ...c.var.origin, language });
    c.set('account', account);
    c.set('sessionId', account ? sessionId : null);
    c.set('sessionEnded', account ? null : ended);
    if (cookie && !account) clearSessionCookie(c, deps);
    await next();
    if (portal === 'patient') c.header('Content-Language', language);
  };
}

/** What the domain needs of this request: the practice, portal, origin, who acts and how to tell people. */
export function scopeOf(c: Context<Env>, deps: AppDeps): Scope {
  const account = c.var.account;
  return {
    config: deps.config, mailer: deps.mailer, tenant: c.var.tenant, portal: c.var.portal, origin: c.var.origin,
    actor: account ? { id: account.id, displayName: account.displayName } : null,
  };
}

export const REQUIRED_UPDATE_PATH = '/update-password';
export const TWO_FACTOR_SETUP_PATH = '/account/two-factor';
export const PASSKEY_SIGN_IN_PATH = '/login/passkey';

/**
 * What a signed-in account must do before anything else, as a path: its own password (or a security question),
 * then 2FA when the practice requires it for staff. A session begun with a passkey is multi-factor already; a staff
 * member who has a passkey but signed in with the password alone is asked to sign in with the passkey (setting up
 * an app from that password-only session would let a stolen password around the passkey). Null when nothing is owed.
 */
export function requiredStep(c: Context<Env>): string | null {
  const account = c.var.account;
  if (!account) return null;
  if (account.mustChangePassword || !account.hasSecurityQuestion) return portalPath(c, REQUIRED_UPDATE_PATH);
  if (c.var.portal === 'practice' && c.var.tenant.settings.staffTwoFactorRequired && !account.twoFactorEnabled && !account.signedInWithPasskey) {
    return portalPath(c, account.hasPasskey ? PASSKEY_SIGN_IN_PATH : TWO_FACTOR_SETUP_PATH);
  }
  return null;
}

/**
 * Pages behind sign-in: a visitor without a session goes to the sign-in page, and an account that owes a required
 * step (see requiredStep) reaches nothing but that step's pages, on every request.
 */
export const requireAccount: MiddlewareHandler<Env> = async (c, next) => {
  const account = c.var.account;
  if (!account) return redirect(c, signInPath(c));
  const required = requiredStep(c);
  const here = new URL(c.req.url).pathname;
  if (required && here !== required && !here.startsWith(`${required}/`)) return redirect(c, required);
  await next();
};

type Role = NonNullable<Env['Variables']['account']>['role'];

/** Pages for some roles only; `refusal` is what everyone else reads (403). Required steps come first, as above. */
function requireRoleWhere(allowed: (c: Context<Env>, role: Role) => boolean, refusal: string): MiddlewareHandler<Env> {
  return async (c, next) => {
    if (!c.var.account) return redirect(c, signInPath(c));
    const required = requiredStep(c);
    if (required) return redirect(c, required);
    if (!allowed(c, c.var.account.role)) return renderError(c, 403, refusal);
    await next();
  };
}

export function requireRole(...roles: Role[]): MiddlewareHandler<Env> {
  return requireRoleWhere((_c, role) => roles.includes(role), 'Only practice administrators can open this page.');
}

/** Patient Administration is for the roles the practice chose (default: administrators and front desk). */
export const requirePatientAdmin = requireRoleWhere(
  (c, role) => c.var.tenant.settings.patientAdminRoles.includes(role ?? 'staff'),
  'Your role does not include Patient Administration. Ask a practice administrator.',
);
