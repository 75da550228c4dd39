import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { serveAsset } from './http/assets.ts';
import { compressText } from './http/compression.ts';
import { clientIp } from './http/client.ts';
import type { AppDeps, Env } from './http/env.ts';
import { renderError } from './http/errors.tsx';
import { portalContext } from './http/portal.ts';
import { metricsHandler } from './http/metrics.ts';
import { requestLog } from './http/observability.ts';
import { originCheck, queryCheck, securityHeaders } from './http/security.ts';
import { BATCH, sweepAuditEvents, sweepSessions, sweepSpentSecrets } from './core/retention.ts';
import { isDatabaseUnavailable } from './platform/db.ts';
import { logger, serializeError } from './platform/log.ts';
import { startMailWorker, type MailWorkerOptions } from './mail/delivery.ts';
import { sweepOutbox } from './mail/outbox.ts';
import { runInBackground, type BackgroundWork } from './platform/background.ts';
import { deleteStaleCounters } from './platform/throttle.ts';
import { accountRoutes } from './features/account/routes.tsx';
import { auditRoutes } from './features/audit-log/routes.tsx';
import { homeRoutes } from './features/dashboard/routes.tsx';
import { devMailRoutes } from './features/dev-mail/routes.tsx';
import { landingRoutes } from './features/landing/routes.tsx';
import { passkeyAccountSlot, passkeySettingsRoutes } from './features/passkeys/settings-routes.tsx';
import { passkeySignInRoutes, passkeySignInSlot } from './features/passkeys/sign-in-routes.tsx';
import { passwordStrengthRoutes } from './features/password-strength/routes.tsx';
import { languageAccountSlot, languageRoutes } from './features/language/routes.tsx';
import { patientAdminRoutes } from './features/patient-admin/routes.tsx';
import { portalAccessRoutes } from './features/patient-admin/portal-access-routes.tsx';
import { temporaryPasswordRoutes } from './features/patient-admin/temporary-password-routes.tsx';
import { sweepExpiredPrintouts } from './features/patient-admin/temporary-password.ts';
import { practiceSettingsRoutes } from './features/practice-settings/routes.tsx';
import { processResetRequests } from './features/recovery/reset-requests.ts';
import { passwordResetRoutes } from './features/recovery/reset-routes.tsx';
import { welcomeRoutes } from './features/recovery/welcome-routes.tsx';
import { signInRoutes } from './features/sign-in/routes.tsx';
import { staffActionRoutes } from './features/staff-admin/action-routes.tsx';
import { staffRoutes } from './features/staff-admin/routes.tsx';
import { twoFactorAdminRoutes } from './features/two-factor/admin-routes.tsx';
import { twoFactorSettingsRoutes } from './features/two-factor/settings-routes.tsx';
import { twoFactorStepRoutes } from './features/two-factor/step-routes.tsx';

export const MAX_BODY_BYTES = 64 * 1024;

/** Builds the whole web app from its dependencies; opens no port (src/server.ts does). The route map is here. */
export function createApp(deps: AppDeps) {
  // Not strict: /{t}/practice and /{t}/practice/ are the same page, as people type both.
  const app = new Hono<Env>({ strict: false });
  const { config, db } = deps;

  app.onError((error, c) => {
    // The database away (restarting, unreachable) or out of time is not a fault of the request: a calm 503, and the
    // next request tries again on a fresh connection. Anything else is a 500. The log gets the route, never the URL.
    if (isDatabaseUnavailable(error)) {
      logger().warn({ err: serializeError(error) }, 'database unavailable');
      c.header('Retry-After', '5');
      return renderError(c, 503);
    }
    logger().error({ err: serializeError(error), method: c.req.method }, 'request failed');
    return renderError(c, 500);
  });
  app.notFound((c) => renderError(c, 404));

  app.use(requestLog());
  app.use(compressText());
  app.use(securityHeaders(config));
  app.use(async (c, next) => {
    c.set('origin', { ip: clientIp(c, config), userAgent: c.req.header('user-agent') ?? '' });
    await next();
  });
  // GET and HEAD carry no body here; asking one for its body would make the server build a whole Request for nothing.
  const limitBody = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => renderError(c, 413) });
  app.use((c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : limitBody(c, next)));
  app.use(originCheck(config, (c) => renderError(c, 403)));
  app.use(queryCheck((c) => renderError(c, 400)));

  app.get('/healthz', async (c) => {
    c.header('Cache-Control', 'no-store');
    try {
      await db.sql`select 1`;
      return c.text('ok');
    } catch {
      return c.text('database unavailable', 503);
    }
  });
  app.get('/metrics', metricsHandler(deps, { requireToken: true }));
  app.get('/public/:name', serveAsset);
  app.get('/favicon.ico', (c) => c.body(null, 204));
  app.route('/', landingRoutes(deps));
  // Shows every practice's email: development and tests only (a plain 404 in production).
  if (config.env !== 'production') app.route('/_dev/mail', devMailRoutes(deps));

  // Both portals of every practice: /{tenant}/practice/… and /{tenant}/patient/….
  for (const portal of ['practice', 'patient'] as const) {
    const base = `/:tenant/${portal}`;
    // Pages of a portal show people's names, dates of birth and accounts: no copy is kept by the browser or any
    // cache, so Back after Sign out shows nothing (assets live under /public and keep their long cache).
    // `${base}/*` matches the portal's home with and without its slash too: registered once, each runs once.
    app.use(`${base}/*`, noStore);
    app.use(`${base}/*`, portalContext(deps, portal));
    app.route(base, signInRoutes(deps, { belowForm: passkeySignInSlot() })); // /login, /logout
    app.route(base, twoFactorStepRoutes(deps)); //           /login/two-factor
    app.route(base, passkeySignInRoutes(deps)); //           /login/passkey, /login/passkey/options
    app.route(base, passwordResetRoutes(deps)); //           /forgot-password, /reset/{token}, /reset
    app.route(base, welcomeRoutes(deps)); //                 /welcome/{token}, /welcome
    app.route(base, passwordStrengthRoutes(deps)); //        /password-strength
    const languageSection = portal === 'patient' ? [languageAccountSlot()] : [];
    app.route(base, accountRoutes(deps, portal, { sections: [...languageSection, passkeyAccountSlot(deps, portal)] })); // /account or /settings/account, /update-password
    app.route(base, twoFactorSettingsRoutes(deps, portal)); // …/two-factor
    app.route(base, passkeySettingsRoutes(deps, portal)); //  …/passkeys, …/passkeys/{id}/remove
    app.route(base, homeRoutes(deps)); //                    /
  }
  // Families choose English or Spanish; the practice portal is English.
  app.route('/:tenant/patient', languageRoutes(deps)); //     /language, /settings/account/language

  // The practice portal's administration.
  const practice = '/:tenant/practice';
  app.route(practice, staffRoutes(deps)); //                 /staff, /staff/invite, /staff/{id}, /staff/{id}/edit
  app.route(practice, staffActionRoutes(deps)); //           /staff/{id}/reset-password, /email, /password, …
  app.route(practice, twoFactorAdminRoutes(deps)); //        /staff/{id}/two-factor/reset
  app.route(practice, patientAdminRoutes(deps)); //          /patients, /patients/{id}, …/contacts/{id}/invite
  app.route(practice, portalAccessRoutes(deps)); //          /patients/{id}/portal/{accountId}, …
  app.route(practice, temporaryPasswordRoutes(deps)); //     …/portal/{accountId}/temporary-password, /printouts/{id}
  app.route(practice, auditRoutes(deps)); //                 /audit, /audit/export
  app.route(practice, practiceSettingsRoutes(deps)); //      /settings

  return app;
}

const noStore: MiddlewareHandler = async (c, next) => {
  c.header('Cache-Control', 'no-store');
  await next();
};

/** /metrics alone, for a port of its own on a private network (METRICS_PORT): no token there. */
export function createMetricsApp(deps: AppDeps) {
  const app = new Hono();
  app.get('/metrics', metricsHandler(deps, { requireToken: false }));
  return app;
}

const SWEEP_EVERY_MS = 10 * 60 * 1000;

/**
 * Retention (README.md, "Retention"): everything past its window goes, each sweep bounded by its worker's policy
 * (sql/006, sql/030). True while a sweep came back with a full batch, so the next round starts at once.
 */
export async function sweepRetention(deps: Pick<AppDeps, 'db' | 'config'>): Promise<boolean> {
  await deleteStaleCounters(deps.db.sql);
  await sweepExpiredPrintouts(deps.db);
  const swept = [
    await sweepSessions(deps.db),
    await sweepSpentSecrets(deps.db),
    await sweepOutbox(deps.db, BATCH),
    await sweepAuditEvents(deps.db, deps.config.auditRetentionYears),
  ];
  return swept.some((count) => count >= BATCH);
}

/**
 * What each instance does beside serving requests: delivering the outbox, turning "forgot password" requests into
 * emails, and housekeeping. Every job claims its rows in PostgreSQL, so any number of instances may run this.
 */
export function startBackgroundWork(
  deps: AppDeps, options: { intervalMs?: number; mail?: Partial<MailWorkerOptions> } = {},
): BackgroundWork & { mailTransport: string } {
  const interval = options.intervalMs ?? 500;
  const mail = startMailWorker({ db: deps.db, config: deps.config, pollIntervalMs: interval, ...options.mail });
  const jobs = runInBackground([
    { name: 'reset requests', everyMs: interval, run: async () => (await processResetRequests(deps.db, deps)) > 0 },
    {
      name: 'housekeeping', everyMs: SWEEP_EVERY_MS,
      run: () => sweepRetention(deps),
    },
  ]);
  return {
    mailTransport: mail.transport,
    async stop() {
      await jobs.stop();
      await mail.stop();
    },
  };
}
