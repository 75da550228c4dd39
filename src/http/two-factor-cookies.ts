import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Config } from '../platform/config.ts';
import type { RememberedDevice } from '../core/remembered-devices.ts';
import type { Env } from './env.ts';
import { portalPath } from './portal.ts';

// Both cookies are scoped to one practice's portal (its path), HttpOnly, SameSite=Lax, Secure in production.
// The challenge cookie holds the open second sign-in step; the device cookie a browser saved for 2FA.
const CHALLENGE_COOKIE = 'gatehouse_2fa';
const DEVICE_COOKIE = 'gatehouse_device';

const options = (c: Context<Env>, config: Config) => ({
  path: portalPath(c), httpOnly: true, sameSite: 'Lax' as const, secure: config.env === 'production',
});

export function setChallengeCookie(c: Context<Env>, config: Config, secret: string): void {
  setCookie(c, CHALLENGE_COOKIE, secret, options(c, config));
}

export function readChallengeCookie(c: Context<Env>): string | null {
  return getCookie(c, CHALLENGE_COOKIE) ?? null;
}

export function clearChallengeCookie(c: Context<Env>, config: Config): void {
  deleteCookie(c, CHALLENGE_COOKIE, options(c, config));
}

export function setDeviceCookie(c: Context<Env>, config: Config, device: RememberedDevice): void {
  setCookie(c, DEVICE_COOKIE, device.token, { ...options(c, config), expires: device.expiresAt });
}

export function readDeviceCookie(c: Context<Env>): string | null {
  return getCookie(c, DEVICE_COOKIE) ?? null;
}
