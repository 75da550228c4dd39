import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { RememberedDevice } from '../core/remembered-devices.ts';
import type { AppDeps, Env } from './env.ts';
import { portalPath } from './paths.ts';

// Every cookie Gatehouse sets is scoped to one practice's portal (its path), HttpOnly, SameSite=Lax and Secure in
// production, so a cookie of one practice or portal never reaches another.
export const SESSION_COOKIE = 'gatehouse_session';
// The secret of an open reset or invitation flow once its token has left the address bar.
const FLOW_COOKIE = 'gatehouse_flow';
// The open second sign-in step, and a browser saved for 2FA.
const CHALLENGE_COOKIE = 'gatehouse_2fa';
const DEVICE_COOKIE = 'gatehouse_device';
// An open passkey ceremony (registration or sign-in): its challenge only works in the browser holding this.
const PASSKEY_COOKIE = 'gatehouse_passkey';
// The username of an account that just chose its password (reset, invitation), for the sign-in form that follows.
const USERNAME_COOKIE = 'gatehouse_username';
const USERNAME_SECONDS = 15 * 60;

type Deps = Pick<AppDeps, 'config'>;

const options = (c: Context<Env>, deps: Deps) => ({
  path: portalPath(c), httpOnly: true, sameSite: 'Lax' as const, secure: deps.config.env === 'production',
});

type CookieName =
  | typeof FLOW_COOKIE | typeof CHALLENGE_COOKIE | typeof DEVICE_COOKIE | typeof SESSION_COOKIE | typeof PASSKEY_COOKIE | typeof USERNAME_COOKIE;

export function readCookie(c: Context<Env>, name: CookieName): string | null {
  return getCookie(c, name) ?? null;
}

/** No Max-Age: the cookie ends with the browser; the server enforces idle and absolute expiry regardless. */
export function setSessionCookie(c: Context<Env>, deps: Deps, sessionId: string): void {
  setCookie(c, SESSION_COOKIE, sessionId, options(c, deps));
}

export function clearSessionCookie(c: Context<Env>, deps: Deps): void {
  deleteCookie(c, SESSION_COOKIE, options(c, deps));
}

export function setFlowCookie(c: Context<Env>, deps: Deps, flow: string): void {
  setCookie(c, FLOW_COOKIE, flow, options(c, deps));
}

export const readFlowCookie = (c: Context<Env>) => readCookie(c, FLOW_COOKIE);

export function clearFlowCookie(c: Context<Env>, deps: Deps): void {
  deleteCookie(c, FLOW_COOKIE, options(c, deps));
}

export function setChallengeCookie(c: Context<Env>, deps: Deps, secret: string): void {
  setCookie(c, CHALLENGE_COOKIE, secret, options(c, deps));
}

export const readChallengeCookie = (c: Context<Env>) => readCookie(c, CHALLENGE_COOKIE);

export function clearChallengeCookie(c: Context<Env>, deps: Deps): void {
  deleteCookie(c, CHALLENGE_COOKIE, options(c, deps));
}

export function setDeviceCookie(c: Context<Env>, deps: Deps, device: RememberedDevice): void {
  setCookie(c, DEVICE_COOKIE, device.token, { ...options(c, deps), expires: device.expiresAt });
}

export const readDeviceCookie = (c: Context<Env>) => readCookie(c, DEVICE_COOKIE);

export function setPasskeyCookie(c: Context<Env>, deps: Deps, secret: string): void {
  setCookie(c, PASSKEY_COOKIE, secret, options(c, deps));
}

export const readPasskeyCookie = (c: Context<Env>) => readCookie(c, PASSKEY_COOKIE);

export function clearPasskeyCookie(c: Context<Env>, deps: Deps): void {
  deleteCookie(c, PASSKEY_COOKIE, options(c, deps));
}

/** Remembers, for a few minutes, whose password was just set, so the sign-in page can fill in the username. */
export function setUsernameCookie(c: Context<Env>, deps: Deps, username: string): void {
  setCookie(c, USERNAME_COOKIE, username, { ...options(c, deps), maxAge: USERNAME_SECONDS });
}

/** The username remembered above, once: it is cleared as it is read. */
export function takeUsernameCookie(c: Context<Env>, deps: Deps): string | null {
  const value = readCookie(c, USERNAME_COOKIE);
  if (value === null) return null;
  deleteCookie(c, USERNAME_COOKIE, options(c, deps));
  return value.slice(0, 254);
}
