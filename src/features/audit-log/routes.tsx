import { Hono, type Context } from 'hono';
import { AuditPage, AuditResults, type AuditFilterErrors, type AuditFilterValues, type AuditResultsProps } from '../../../views/audit-log/audit.tsx';
import { practiceText } from '../../copy/practice/index.ts';
import { chrome, clockOf } from '../../http/chrome.ts';
import { isHtmx } from '../../http/client.ts';
import type { AppDeps, Env } from '../../http/env.ts';
import { renderError } from '../../http/errors.tsx';
import { requireRole, scopeOf } from '../../http/portal.ts';
import { portalPath } from '../../http/paths.ts';
import { startAuditExport, auditFilterSchema, listAuditEvents, parseCursor, recordExport, type AuditFilters } from './audit-log.ts';

const FILTER_KEYS = ['person', 'action', 'from', 'to'] as const;

/** P6: /audit (page, htmx fragment) and /audit/export (CSV), for administrators only. */
export function auditRoutes(deps: AppDeps) {
  const routes = new Hono<Env>();

  routes.get('/audit', requireRole('admin'), async (c) => {
    // The page and its fragment share an address: caches must tell them apart, and keep neither.
    c.header('Cache-Control', 'no-store');
    c.header('Vary', 'HX-Request');
    const values = filterValues(c);
    const cursor = parseCursor(c.req.query('cursor'));
    if (cursor === 'invalid') return renderError(c, 400, practiceText.audit.errors.badCursor);
    const parsed = auditFilterSchema.safeParse(values);
    if (!parsed.success) {
      const errors: AuditFilterErrors = {};
      for (const issue of parsed.error.issues) errors[issue.path[0] as keyof AuditFilterErrors] ??= issue.message;
      const results = { events: [], exportHref: '', nextHref: null, newestHref: null, problem: practiceText.audit.errors.correct };
      return render(c, 422, values, results, errors);
    }
    const page = await deps.db.inTenant(c.var.tenant.id, (tx) => listAuditEvents(tx, parsed.data, cursor, c.var.tenant.settings.timeZone));
    return render(c, 200, values, {
      events: page.events,
      exportHref: portalPath(c, `/audit/export${queryString(parsed.data)}`),
      nextHref: page.next ? portalPath(c, `/audit${queryString(parsed.data, page.next)}`) : null,
      newestHref: cursor ? portalPath(c, `/audit${queryString(parsed.data)}`) : null,
    });
  });

  routes.get('/audit/export', requireRole('admin'), async (c) => {
    const parsed = auditFilterSchema.safeParse(filterValues(c));
    if (!parsed.success) return renderError(c, 422, practiceText.audit.errors.badExport);
    const filters = parsed.data;
    const { tenant } = c.var;
    const started = await startAuditExport(deps.db, tenant.id, filters, tenant.settings.timeZone);
    if (!started.ok) {
      c.header('Retry-After', String(started.retryAfterSeconds));
      return renderError(c, 429, practiceText.audit.errors.busy);
    }
    // Recorded on its own before any row leaves: an export that breaks off half-way is still on the record.
    await deps.db.inTenant(tenant.id, (tx) => recordExport(tx, scopeOf(c, deps), definedOnly(filters)));
    const filename = `audit-log-${tenant.slug}-${new Date().toISOString().slice(0, 10)}.csv`;
    c.header('Cache-Control', 'no-store');
    return c.body(started.stream, 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${filename}"`,
    });
  });

  function render(c: Context<Env>, status: 200 | 422, values: AuditFilterValues, results: Omit<AuditResultsProps, 'clock'>, errors?: AuditFilterErrors) {
    const full = { ...results, clock: clockOf(c) };
    if (isHtmx(c)) return c.html(<AuditResults {...full} />, status);
    return c.html(<AuditPage chrome={chrome(c)} action={portalPath(c, '/audit')} values={values} errors={errors} results={full} />, status);
  }

  return routes;
}

function filterValues(c: Context<Env>): AuditFilterValues {
  return Object.fromEntries(FILTER_KEYS.map((key) => [key, c.req.query(key) ?? ''])) as AuditFilterValues;
}

function definedOnly(filters: AuditFilters): Record<string, string> {
  return Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined)) as Record<string, string>;
}

function queryString(filters: AuditFilters, cursor?: string): string {
  const params = new URLSearchParams(definedOnly(filters));
  if (cursor) params.set('cursor', cursor);
  const query = params.toString();
  return query ? `?${query}` : '';
}
