import type { Context } from 'hono';
import { isHtmx } from './client.ts';
import type { Env } from './env.ts';

/** An address inside this request's practice and portal: /{tenant}/{portal}{path}. */
export function portalPath(c: Context<Env>, path = ''): string {
  return `/${c.var.tenant.slug}/${c.var.portal}${path}`;
}

const ANY_ORIGIN = 'http://gatehouse.invalid';

/**
 * Where a person may be sent back to after signing in: a path of this very practice and portal (its query kept),
 * never another practice, another portal, another site or the sign-in pages themselves; null for anything else.
 * The address is read the way a browser would resolve it, so `//evil.example`, `/x/../../other/…`, backslashes
 * and encoded slashes or dots cannot lead anywhere else.
 */
export function returnPath(c: Context<Env>, raw: string | null | undefined): string | null {
  if (!raw || raw.length > 2000 || !raw.startsWith('/') || raw.startsWith('//')) return null;
  if (/[\\\s\u0000-\u001f\u007f]/.test(raw)) return null;
  const [rawPath] = raw.split(/[?#]/, 1);
  if (/%(2f|5c|2e|00)/i.test(rawPath)) return null;
  let url: URL;
  try {
    url = new URL(raw, ANY_ORIGIN);
  } catch {
    return null;
  }
  if (url.origin !== ANY_ORIGIN) return null;
  const base = portalPath(c);
  if (url.pathname !== base && !url.pathname.startsWith(`${base}/`)) return null;
  if (/^\/(login|logout)(\/|$)/.test(url.pathname.slice(base.length))) return null;
  return url.pathname + url.search;
}

/**
 * The sign-in page for a visitor who needs a session: with the page they were going to (a GET's own address, or
 * for an htmx request the page they are on), and why their session ended, if it did.
 */
export function signInPath(c: Context<Env>): string {
  const params = new URLSearchParams();
  const url = new URL(c.req.url);
  const asked = c.req.method === 'GET' ? url.pathname + url.search : isHtmx(c) ? currentPage(c) : null;
  const next = returnPath(c, asked);
  if (next && next !== portalPath(c, '/') && next !== portalPath(c)) params.set('next', next);
  if (c.var.sessionEnded) params.set('ended', c.var.sessionEnded);
  const query = params.toString();
  return portalPath(c, query ? `/login?${query}` : '/login');
}

/**
 * The page an htmx request was made from (htmx sends it as HX-Current-URL), as a path; null when unreadable. Its
 * origin is the public one, which behind a proxy is not the request's: only the path counts, checked by returnPath.
 */
function currentPage(c: Context<Env>): string | null {
  const current = c.req.header('hx-current-url');
  if (!current) return null;
  try {
    const url = new URL(current);
    return url.pathname + url.search;
  } catch {
    return null;
  }
}
