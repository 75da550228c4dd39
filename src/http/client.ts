import type { Context } from 'hono';
import type { Config } from '../platform/config.ts';

type NodeBindings = { incoming?: { socket?: { remoteAddress?: string } } };

/** The client's address: the proxy's header when one is configured (Fly: fly-client-ip), else the socket's. */
export function clientIp(c: Context, config: Config): string {
  if (config.clientIpHeader) {
    const forwarded = c.req.header(config.clientIpHeader)?.split(',')[0]?.trim();
    if (forwarded) return forwarded.slice(0, 64);
  }
  return (c.env as NodeBindings | undefined)?.incoming?.socket?.remoteAddress ?? 'unknown';
}

/** A request made by htmx: it expects a fragment (or HX-Redirect), not a whole page. */
export function isHtmx(c: Context): boolean {
  return c.req.header('hx-request') === 'true';
}

/** An htmx request that swaps part of the page; a history restore or a full-page htmx request wants the page. */
export function isPartialHtmx(c: Context): boolean {
  return isHtmx(c) && c.req.header('hx-history-restore-request') !== 'true' && c.req.header('hx-request-type') !== 'full';
}

/** 303 for a plain form post; htmx follows HX-Redirect with a full page load. */
export function redirect(c: Context, location: string) {
  if (isHtmx(c)) {
    c.header('HX-Redirect', location);
    return c.body(null, 204);
  }
  return c.redirect(location, 303);
}
