import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { metrics } from '../platform/metrics.ts';
import { logger, withLogContext } from '../platform/log.ts';

// Every request gets an id (the proxy's when it sends a well-formed one), returned in X-Request-Id and written on
// every log line made while it is handled, and one closing line: method, route pattern, status, time. Never its URL
// or query string (patient search puts names and dates of birth there), nor any header or body.

const INCOMING_ID = /^[A-Za-z0-9._-]{8,64}$/;
const ID_HEADERS = ['x-request-id', 'fly-request-id'];

export function requestLog(): MiddlewareHandler {
  return async (c, next) => {
    const incoming = ID_HEADERS.map((name) => c.req.header(name)).find((value) => value && INCOMING_ID.test(value));
    const requestId = incoming ?? randomUUID();
    c.header('X-Request-Id', requestId);
    const started = performance.now();
    await withLogContext({ requestId }, async () => {
      await next();
      const seconds = (performance.now() - started) / 1000;
      const route = routeOf(c);
      metrics.requests.observe({ method: c.req.method, route }, seconds);
      const line = { method: c.req.method, route, status: c.res.status, ms: Math.round(seconds * 10_000) / 10 };
      if (c.res.status >= 500) logger().warn(line, 'request answered with an error');
      else logger().info(line, 'request');
    });
  };
}

/** The pattern that answered ("/:tenant/practice/patients/:id"), never the path itself. */
function routeOf(c: Parameters<MiddlewareHandler>[0]): string {
  try {
    return routePath(c) || 'unmatched';
  } catch {
    return 'unmatched';
  }
}
