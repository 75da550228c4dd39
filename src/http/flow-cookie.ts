import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Config } from '../platform/config.ts';
import type { Env } from './env.ts';
import { portalPath } from './portal.ts';

// Holds the secret of an open reset or invitation flow once its token has left the address bar.
const FLOW_COOKIE = 'gatehouse_flow';

export function setFlowCookie(c: Context<Env>, config: Config, flow: string): void {
  setCookie(c, FLOW_COOKIE, flow, { path: portalPath(c), httpOnly: true, sameSite: 'Lax', secure: config.env === 'production' });
}

export function readFlowCookie(c: Context<Env>): string | null {
  return getCookie(c, FLOW_COOKIE) ?? null;
}

export function clearFlowCookie(c: Context<Env>, config: Config): void {
  deleteCookie(c, FLOW_COOKIE, { path: portalPath(c), httpOnly: true, sameSite: 'Lax', secure: config.env === 'production' });
}
