import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { isLocale, type Locale } from '../copy/messages.ts';
import type { AppDeps, Env } from './env.ts';
import { portalPath, returnPath } from './paths.ts';

// The patient portal's language (DESIGN.md "Spanish"), chosen in this order: the signed-in account's saved choice,
// the `lang` cookie the switcher link sets, the browser's Accept-Language, English. The practice portal is English.

export const LANGUAGE_COOKIE = 'lang';
const COOKIE_SECONDS = 365 * 24 * 60 * 60;
export const LANGUAGE_SWITCH_PATH = '/language';

export function chooseLanguage(c: Context<Env>, saved: Locale | null): Locale {
  if (saved) return saved;
  const cookie = getCookie(c, LANGUAGE_COOKIE);
  if (isLocale(cookie)) return cookie;
  return fromAcceptLanguage(c.req.header('accept-language')) ?? 'en';
}

/**
 * The first language of ours the browser asks for, by its q-values ("es-MX,es;q=0.9,en;q=0.8" → es); null when
 * it asks for none of them. Malformed parts are skipped, and a header too long to be a browser's is ignored.
 */
export function fromAcceptLanguage(header: string | undefined): Locale | null {
  if (!header || header.length > 500) return null;
  let best: { locale: Locale; q: number } | null = null;
  for (const part of header.split(',').slice(0, 20)) {
    const [tag, ...params] = part.trim().split(';');
    const primary = tag.trim().toLowerCase().split('-')[0];
    if (!isLocale(primary)) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0 || q > 1) continue;
    if (!best || q > best.q) best = { locale: primary, q };
  }
  return best?.locale ?? null;
}

/** Remembers a language in this browser for this practice's patient portal. */
export function setLanguageCookie(c: Context<Env>, deps: Pick<AppDeps, 'config'>, language: Locale): void {
  setCookie(c, LANGUAGE_COOKIE, language, {
    path: portalPath(c), httpOnly: true, sameSite: 'Lax', secure: deps.config.env === 'production', maxAge: COOKIE_SECONDS,
  });
}

/**
 * The switcher's link on this page: the other language, coming back to this same page. An address that still holds
 * an emailed link's secret (the first visit of a reset or invitation link, when it cannot be used) never goes into
 * it: the switch comes back to the start of that journey instead. A page drawn for a form's POST comes back to the
 * page the form is on (the same address, or for the step forms posted to a sub-path, their parent page).
 */
export function languageSwitchHref(c: Context<Env>, to: Locale): string {
  const url = new URL(c.req.url);
  const rest = url.pathname.slice(portalPath(c).length);
  const tokened = /^\/(reset|welcome)\/[^/]{20,}/.exec(rest);
  let here = url.pathname + url.search;
  if (tokened) here = portalPath(c, tokened[1] === 'reset' ? '/forgot-password' : '/login');
  else if (c.req.method !== 'GET') here = OWN_PAGE_FORMS.test(rest) ? url.pathname : url.pathname.replace(/\/[^/]*$/, '');
  const params = new URLSearchParams({ to });
  const next = switchTarget(c, here);
  if (next) params.set('next', next);
  return portalPath(c, `${LANGUAGE_SWITCH_PATH}?${params}`);
}

// Pages whose form posts back to their own address.
const OWN_PAGE_FORMS = /^\/(login|forgot-password|welcome|update-password)$/;

/**
 * Where the switcher may send someone back to: a page of this practice's portal (returnPath's rules), or its
 * sign-in page with its query (which the sign-in page checks again itself).
 */
export function switchTarget(c: Context<Env>, raw: string | null | undefined): string | null {
  const page = returnPath(c, raw);
  if (page || !raw) return page;
  const login = portalPath(c, '/login');
  if (raw !== login && !raw.startsWith(`${login}?`)) return null;
  return raw.length <= 2000 && !/[\\\s\u0000-\u001f\u007f#]/.test(raw) ? raw : null;
}
