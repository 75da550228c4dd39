import { timingSafeEqual } from 'node:crypto';
import type { Handler } from 'hono';
import type { Database } from '../platform/db.ts';
import { renderMetrics, type Gauge } from '../platform/metrics.ts';
import type { AppDeps } from './env.ts';

/**
 * /metrics in Prometheus' text format. On the main port it exists only when METRICS_TOKEN is set, and answers only
 * `Authorization: Bearer <token>` (a 404 otherwise, so it is not even seen); on METRICS_PORT it needs no token.
 */
export function metricsHandler(deps: AppDeps, options: { requireToken: boolean }): Handler {
  return async (c) => {
    if (options.requireToken) {
      const token = deps.config.metricsToken;
      const given = c.req.header('authorization')?.replace(/^Bearer\s+/i, '') ?? '';
      if (!token || !sameSecret(given, token)) return c.text('Not Found', 404);
    }
    c.header('Cache-Control', 'no-store');
    c.header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8');
    return c.body(renderMetrics(await readGauges(deps.db)));
  };
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function readGauges(db: Database): Promise<Gauge[]> {
  const pool = db.poolUse();
  const gauges: Gauge[] = [
    { name: 'gatehouse_db_pool_connections', help: 'Connections of the main pool, by state.', labels: { state: 'in_use' }, value: pool.inUse },
    { name: 'gatehouse_db_pool_connections', help: '', labels: { state: 'size' }, value: pool.size },
    { name: 'gatehouse_db_pool_waiting', help: 'Database work waiting for a connection of the main pool.', value: pool.waiting },
  ];
  try {
    const [row] = await db.asWorker('outbox', (tx) => tx`
      select count(*)::int as waiting, coalesce(extract(epoch from now() - min(created_at)), 0)::float as oldest,
             count(*) filter (where attempts > 0)::int as retrying
      from outbox where status in ('pending', 'sending')`);
    gauges.push(
      { name: 'gatehouse_outbox_waiting', help: 'Emails not yet delivered (pending or being sent).', value: row.waiting },
      { name: 'gatehouse_outbox_retrying', help: 'Undelivered emails that failed at least once.', value: row.retrying },
      { name: 'gatehouse_outbox_oldest_seconds', help: 'Age of the oldest undelivered email.', value: Math.round(row.oldest) },
      { name: 'gatehouse_database_up', help: '1 when the database answered this scrape.', value: 1 },
    );
  } catch {
    gauges.push({ name: 'gatehouse_database_up', help: '1 when the database answered this scrape.', value: 0 });
  }
  return gauges;
}
