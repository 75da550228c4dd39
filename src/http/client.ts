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

export function isHtmx(c: Context): boolean {
  return c.req.header('hx-request') === 'true';
}
