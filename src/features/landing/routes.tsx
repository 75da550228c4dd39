import { Hono } from 'hono';
import { LandingPage } from '../../../views/landing/landing.tsx';
import type { AppDeps, Env } from '../../http/env.ts';
import { listTenants } from '../../core/tenant.ts';

export function landingRoutes(deps: AppDeps) {
  const routes = new Hono<Env>();
  // Listing practices helps in development; in production the practice's own link is the way in.
  routes.get('/', async (c) =>
    c.html(<LandingPage tenants={deps.config.env === 'production' ? null : await listTenants(deps.db.sql)} />));
  return routes;
}
