import { Hono } from 'hono';
import { LandingPage } from '../../../views/landing/landing.tsx';
import { listTenants } from '../../core/tenant.ts';
import { bareChrome } from '../../http/chrome.ts';
import type { AppDeps, Env } from '../../http/env.ts';

/** GET /: find your practice. Listing practices helps in development; in production the practice's own link is the way in. */
export function landingRoutes(deps: AppDeps) {
  const routes = new Hono<Env>();
  routes.get('/', async (c) =>
    c.html(<LandingPage chrome={bareChrome()} tenants={deps.config.env === 'production' ? null : await listTenants(deps.db.sql)} />));
  return routes;
}
