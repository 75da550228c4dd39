import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Chrome } from '../../views/ui/layout.tsx';
import { messagesFor } from '../copy/messages.ts';
import { validateSession } from '../core/sessions.ts';
import { getTenantBySlug, idleMinutes, type Portal } from '../core/tenant.ts';
import type { AppDeps, Env } from './env.ts';
import { renderError } from './errors.tsx';

export const SESSION_COOKIE = 'gatehouse_session';

export function portalPath(c: Context<Env>, path = ''): string {
  return `/${c.var.tenant.slug}/${c.var.portal}${path}`;
}

/**
 * Resolves the practice from the path and the signed-in account from the cookie. A session only counts on the
 * tenant and portal it was made for: the lookup runs under that tenant's row-level security and matches the portal.
 */
export function portalContext(deps: AppDeps, portal: Portal): MiddlewareHandler<Env> {
  return async (c, next) => {
    const tenant = await getTenantBySlug(deps.db, c.req.param('tenant') ?? '');
    if (!tenant) return renderError(c, 404);
    c.set('tenant', tenant);
    c.set('portal', portal);
    c.set('messages', messagesFor('en'));
    c.set('account', null);
    c.set('sessionId', null);
    const sessionId = getCookie(c, SESSION_COOKIE);
    if (sessionId && /^[a-z0-9]{20,64}$/.test(sessionId)) {
      const scope = { portal, idleMinutes: idleMinutes(tenant.settings, portal) };
      const account = await deps.db.inTenant(tenant.id, (tx) => validateSession({ ...scope, tx }, sessionId));
      if (account) {
        c.set('account', account);
        c.set('sessionId', sessionId);
      } else {
        clearSessionCookie(c, deps);
      }
    }
    await next();
  };
}

export function setSessionCookie(c: Context<Env>, deps: AppDeps, sessionId: string): void {
  // No Max-Age: the cookie ends with the browser; the server enforces idle and absolute expiry regardless.
  setCookie(c, SESSION_COOKIE, sessionId, {
    path: portalPath(c),
    httpOnly: true,
    sameSite: 'Lax',
    secure: deps.config.env === 'production',
  });
}

export function clearSessionCookie(c: Context<Env>, deps: AppDeps): void {
  deleteCookie(c, SESSION_COOKIE, { path: portalPath(c), secure: deps.config.env === 'production', httpOnly: true, sameSite: 'Lax' });
}

export const REQUIRED_UPDATE_PATH = '/update-password';
export const TWO_FACTOR_SETUP_PATH = '/account/two-factor';

/**
 * What a signed-in account must do before anything else, as a path: its own password (or a security question),
 * then 2FA when the practice requires it for staff. Null when nothing is owed.
 */
export function requiredStep(c: Context<Env>): string | null {
  const account = c.var.account;
  if (!account) return null;
  if (account.mustChangePassword || !account.hasSecurityQuestion) return portalPath(c, REQUIRED_UPDATE_PATH);
  if (c.var.portal === 'practice' && c.var.tenant.settings.staffTwoFactorRequired && !account.twoFactorEnabled) {
    return portalPath(c, TWO_FACTOR_SETUP_PATH);
  }
  return null;
}

/**
 * Pages behind sign-in: a visitor without a session goes to the sign-in page, and an account that owes a required
 * step (see requiredStep) reaches nothing but that step's pages, on every request.
 */
export const requireAccount: MiddlewareHandler<Env> = async (c, next) => {
  const account = c.var.account;
  if (!account) return redirect(c, portalPath(c, '/login'));
  const required = requiredStep(c);
  const here = new URL(c.req.url).pathname;
  if (required && here !== required && !here.startsWith(`${required}/`)) return redirect(c, required);
  await next();
};

export function requireRole(...roles: NonNullable<Env['Variables']['account']>['role'][]): MiddlewareHandler<Env> {
  return async (c, next) => {
    if (!c.var.account) return redirect(c, portalPath(c, '/login'));
    const required = requiredStep(c);
    if (required) return redirect(c, required);
    if (!roles.includes(c.var.account.role)) return renderError(c, 403, 'Only practice administrators can open this page.');
    await next();
  };
}

/** 303 for a plain form post; htmx follows HX-Redirect with a full page load. */
export function redirect(c: Context<Env>, location: string) {
  if (c.req.header('hx-request') === 'true') {
    c.header('HX-Redirect', location);
    return c.body(null, 204);
  }
  return c.redirect(location, 303);
}

export function chrome(c: Context<Env>): Chrome {
  const { tenant, portal, account, messages } = c.var;
  const patient = portal === 'patient';
  return {
    lang: patient ? messages.lang : 'en',
    practiceName: tenant.name,
    portalLabel: patient ? messages.layout.portalName : 'Practice Portal',
    homeHref: portalPath(c, '/'),
    skipLabel: patient ? messages.layout.skip : undefined,
    signOutAction: account ? portalPath(c, '/logout') : undefined,
    signOutLabel: patient ? messages.layout.signOut : 'Sign out',
    signedInAs: account ? (patient ? messages.layout.signedInAs(account.displayName) : `Signed in as ${account.displayName}`) : undefined,
    nav: account && !requiredStep(c) ? navFor(c) : undefined,
  };
}

/** The signed-in menu: each person sees the areas their role may open, and where they are now. */
function navFor(c: Context<Env>): NonNullable<Chrome['nav']> {
  const { account, tenant, portal, messages } = c.var;
  const here = new URL(c.req.url).pathname;
  const items: { path: string; label: string; show: boolean }[] = portal === 'patient'
    ? [
        { path: '/', label: messages.home.title, show: true },
        { path: '/settings/account', label: messages.home.settings, show: true },
      ]
    : [
        { path: '/', label: 'Home', show: true },
        { path: '/patients', label: 'Patient Administration', show: tenant.settings.patientAdminRoles.includes(account!.role ?? 'staff') },
        { path: '/staff', label: 'Staff', show: account!.role === 'admin' },
        { path: '/audit', label: 'Audit log', show: account!.role === 'admin' },
        { path: '/settings', label: 'Practice settings', show: account!.role === 'admin' },
        { path: '/account', label: 'My Account', show: true },
      ];
  return items.filter((item) => item.show).map((item) => {
    const href = portalPath(c, item.path);
    const current = item.path === '/' ? here === href || here === href.slice(0, -1) : here === href || here.startsWith(`${href}/`);
    return { href, label: item.label, current };
  });
}

/** Patient Administration is for the roles the practice chose (default: administrators and front desk). */
export const requirePatientAdmin: MiddlewareHandler<Env> = async (c, next) => {
  const account = c.var.account;
  if (!account) return redirect(c, portalPath(c, '/login'));
  const required = requiredStep(c);
  if (required) return redirect(c, required);
  if (!c.var.tenant.settings.patientAdminRoles.includes(account.role ?? 'staff')) {
    return renderError(c, 403, 'Your role does not include Patient Administration. Ask a practice administrator.');
  }
  await next();
};
