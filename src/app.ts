import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { serveAsset } from './http/assets.ts';
import { clientIp } from './http/client.ts';
import type { AppDeps, Env } from './http/env.ts';
import { renderError } from './http/errors.tsx';
import { portalContext } from './http/portal.ts';
import { originCheck, securityHeaders } from './http/security.ts';
import { devMailRoutes } from './features/dev-mail/routes.tsx';
import { patientHomeRoutes, practiceHomeRoutes } from './features/dashboard/routes.tsx';
import { accountRoutes } from './features/account/routes.tsx';
import { passwordResetRoutes } from './features/recovery/reset-routes.tsx';
import { passwordStrengthRoutes } from './features/password-strength/routes.tsx';
import { signInRoutes } from './features/sign-in/routes.tsx';
import { twoFactorRoutes } from './features/two-factor/step-routes.tsx';
import { twoFactorAdminRoutes } from './features/two-factor/admin-routes.tsx';
import { welcomeRoutes } from './features/recovery/welcome-routes.tsx';
import { landingRoutes } from './features/landing/routes.tsx';
import { staffRoutes } from './features/staff-admin/routes.tsx';
import { auditRoutes } from './features/audit-log/routes.tsx';
import { practiceSettingsRoutes } from './features/practice-settings/routes.tsx';
import { patientAdminRoutes } from './features/patient-admin/routes.tsx';

export const MAX_BODY_BYTES = 64 * 1024;

/** Builds the whole web app from its dependencies; opens no port (src/server.ts does). */
export function createApp(deps: AppDeps) {
  // Not strict: /{t}/practice and /{t}/practice/ are the same page, as people type both.
  const app = new Hono<Env>({ strict: false });
  const { config, db } = deps;

  app.onError((error, c) => {
    console.error('request failed', c.req.method, new URL(c.req.url).pathname, error);
    return renderError(c, 500);
  });
  app.notFound((c) => renderError(c, 404));

  app.use(securityHeaders(config));
  app.use(async (c, next) => {
    c.set('origin', { ip: clientIp(c, config), userAgent: c.req.header('user-agent') ?? '' });
    await next();
  });
  app.use(bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => renderError(c, 413) }));
  app.use(originCheck(config, (c) => renderError(c, 403)));

  app.get('/healthz', async (c) => {
    try {
      await db.sql`select 1`;
      return c.text('ok');
    } catch {
      return c.text('database unavailable', 503);
    }
  });
  app.get('/public/:name', serveAsset);
  app.get('/favicon.ico', (c) => c.body(null, 204));
  app.route('/', landingRoutes(deps));
  // Shows every practice's email: development and tests only (a plain 404 in production).
  if (config.env !== 'production') app.route('/_dev/mail', devMailRoutes(deps));

  for (const portal of ['practice', 'patient'] as const) {
    const base = `/:tenant/${portal}`;
    app.use(`${base}/*`, portalContext(deps, portal));
    app.use(base, portalContext(deps, portal));
    app.route(base, signInRoutes(deps));
    app.route(base, twoFactorRoutes(deps, portal));
    if (portal === 'practice') app.route(base, twoFactorAdminRoutes(deps));
    app.route(base, passwordResetRoutes(deps));
    app.route(base, passwordStrengthRoutes(deps));
    app.route(base, accountRoutes(deps, portal));
    app.route(base, welcomeRoutes(deps));
    app.route(base, portal === 'practice' ? practiceHomeRoutes(deps) : patientHomeRoutes(deps));
    if (portal === 'practice') app.route(base, staffRoutes(deps));
    if (portal === 'practice') app.route(base, auditRoutes(deps));
    if (portal === 'practice') app.route(base, practiceSettingsRoutes(deps));
    if (portal === 'practice') app.route(base, patientAdminRoutes(deps));
  }

  return app;
}
