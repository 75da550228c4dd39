import type { Context } from 'hono';
import type { Env } from './env.ts';

/** An address inside this request's practice and portal: /{tenant}/{portal}{path}. */
export function portalPath(c: Context<Env>, path = ''): string {
  return `/${c.var.tenant.slug}/${c.var.portal}${path}`;
}
