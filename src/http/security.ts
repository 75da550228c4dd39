import type { Context, MiddlewareHandler } from 'hono';
import type { Config } from '../platform/config.ts';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

// No inline script or style anywhere: behaviour lives in /public files, so the policy can stay this strict.
const CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "font-src 'self'",
  "connect-src 'self'", "form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'", "object-src 'none'",
].join('; ');

const STYLES_AND_SCRIPTS = /^\/public\/[a-z0-9.-]+\.(?:css|js)$/;

/** Security headers, set before the handler runs so they cost no response rewrite. */
export function securityHeaders(config: Config): MiddlewareHandler {
  const production = config.env === 'production';
  return async (c, next) => {
    c.header('X-Content-Type-Options', 'nosniff');
    // A stylesheet or script is never a document: the policies below govern documents only, and leaving them off the
    // static files keeps a first visit's bytes within budget (test/http/compression.test.ts).
    if (STYLES_AND_SCRIPTS.test(c.req.path)) return next();
    c.header('Content-Security-Policy', CSP);
    c.header('X-Frame-Options', 'DENY');
    // Reset and invitation links carry a secret: no page of ours ever sends a Referer.
    c.header('Referrer-Policy', 'no-referrer');
    c.header('Cross-Origin-Opener-Policy', 'same-origin');
    c.header('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
    if (production) c.header('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    await next();
  };
}

/**
 * Every unsafe method must come from our own pages. The expected origin is PUBLIC_URL's, not the Host header's:
 * behind Fly's TLS proxy the request reaches us as http:// while the browser says https://.
 */
export function originCheck(config: Config, refuse: (c: Context) => Response | Promise<Response>): MiddlewareHandler {
  const expected = new URL(config.publicUrl).origin;
  return async (c, next) => {
    if (!UNSAFE_METHODS.has(c.req.method)) return next();
    const origin = c.req.header('origin');
    const fetchSite = c.req.header('sec-fetch-site');
    // Under Referrer-Policy: no-referrer a plain form post says `Origin: null`; Sec-Fetch-Site still tells
    // where it came from (a cross-site page with an opaque origin says cross-site there).
    const sameOrigin = origin && origin !== 'null' ? origin === expected : fetchSite === 'same-origin';
    if (!sameOrigin) return refuse(c);
    return next();
  };
}

const MAX_QUERY_LENGTH = 2048;
// Control characters other than tab and newline, and U+FFFD (what a broken encoding decodes to).
const UNREADABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]/;

/**
 * Query parameters get the checks forms get (http/form.ts): a broken percent-encoding, invalid UTF-8, a NUL or other
 * control character, or an absurd length is a 400 page before any handler (or PostgreSQL) sees it.
 */
export function queryCheck(refuse: (c: Context) => Response | Promise<Response>): MiddlewareHandler {
  return async (c, next) => {
    const url = c.req.url;
    const start = url.indexOf('?');
    if (start < 0) return next();
    const end = url.indexOf('#', start);
    const query = url.slice(start + 1, end < 0 ? undefined : end);
    if (query.length > MAX_QUERY_LENGTH || !query.split('&').every(readable)) return refuse(c);
    return next();
  };
}

function readable(pair: string): boolean {
  try {
    return !UNREADABLE.test(decodeURIComponent(pair.replace(/\+/g, ' ')));
  } catch {
    return false;
  }
}
