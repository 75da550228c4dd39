import postgres from 'postgres';
import { logger, serializeError } from './log.ts';

// The only module that imports the driver, and the only one that says whose rows a transaction may see: a practice
// (app.tenant_id) or a named background worker (app.worker). The application connects as gatehouse_app, its own
// login role that cannot bypass row-level security (app-role.ts); migrations connect as the database owner. Only
// transaction-local settings are used, so a transaction pooler in front changes nothing.
export type Sql = postgres.Sql<{}>;

/** Work that crosses practices, each name allowed exactly what its policy in sql/ says. */
export type Worker = 'outbox' | 'devmail' | 'reset-requests' | 'printout-sweep'
  // retention sweeps (sql/030): expired sessions, links and two-factor leftovers; audit events past six years
  | 'retention' | 'audit-retention';

export type Database = {
  /** Queries outside any tenant (tenant lookup, shared throttles). Tenant rows are invisible here. */
  sql: Sql;
  /** Runs `work` in one transaction whose row-level security is scoped to `tenantId`. */
  inTenant<T>(tenantId: string, work: (tx: Sql) => Promise<T>): Promise<T>;
  /** Runs `work` in one transaction as a background worker, across practices as far as its policy allows. */
  asWorker<T>(worker: Worker, work: (tx: Sql) => Promise<T>): Promise<T>;
  /**
   * Bulk reads (audit exports) on a small pool of their own: however many run, they never take the connections that
   * every practice's pages need.
   */
  bulk: { inTenant<T>(tenantId: string, work: (tx: Sql) => Promise<T>): Promise<T> };
  /** Connections of the main pool in use and requests waiting for one, for /metrics. */
  poolUse(): { size: number; inUse: number; waiting: number };
  close(): Promise<void>;
};

const quiet = { onnotice: () => {} };
// A server that does not answer must not hold a request for long: it fails, calmly (see isDatabaseUnavailable).
const CONNECT_TIMEOUT_SECONDS = 5;

/**
 * Seconds a connection waits before trying the server again after failing. The driver's own wait grows to 20 s, and
 * its count of failures is shared by the whole pool, so ten connections failing through a restart soon made every
 * request wait out those 20 s before it could even be refused: a visitor stared at a blank tab for half a minute
 * (the restart test caught one). Capped at one second, with jitter so instances do not knock together; a refused
 * connection costs the server next to nothing, and the 503 page comes while the visitor is still looking.
 */
export function reconnectDelaySeconds(failures: number): number {
  return (0.5 + Math.random() / 2) * Math.min(3 ** failures / 100, 1);
}

/**
 * The application's pools. `prepare: false` is for a transaction-mode pooler in front (PgBouncer before 1.21, which
 * cannot carry a prepared statement from one transaction to the next server connection): every query is then parsed
 * afresh, at the cost of a second round trip for each one with parameters.
 */
export function connectDatabase(url: string, options: { max?: number; bulkMax?: number; prepare?: boolean } = {}): Database {
  surviveDriverWriteRace();
  const max = options.max ?? 10;
  const settings = {
    ...quiet, connect_timeout: CONNECT_TIMEOUT_SECONDS, backoff: reconnectDelaySeconds, idle_timeout: 60, prepare: options.prepare ?? true,
  };
  const pool = postgres(url, { ...settings, max });
  const bulk = postgres(url, { ...settings, max: options.bulkMax ?? 2 });
  let active = 0;
  const counted = <T,>(work: () => Promise<T>): Promise<T> => {
    active++;
    return work().finally(() => active--);
  };
  // Direct queries on `sql` (throttles, the tenant lookup) are counted as they run; they are never used as fragments.
  const sql = new Proxy(pool, {
    apply(target, self, args) {
      const query = Reflect.apply(target, self, args) as Promise<unknown>;
      return Array.isArray(args[0]) && 'raw' in args[0] ? counted(() => query) : query;
    },
  });
  return {
    sql,
    inTenant: (tenantId, work) => counted(() => runInTenant(pool, tenantId, work)),
    asWorker: (worker, work) => counted(() => runAsWorker(pool, worker, work)),
    bulk: { inTenant: (tenantId, work) => runInTenant(bulk, tenantId, work) },
    poolUse: () => ({ size: max, inUse: Math.min(active, max), waiting: Math.max(0, active - max) }),
    close: async () => {
      await Promise.all([pool.end({ timeout: 5 }), bulk.end({ timeout: 5 })]);
    },
  };
}

// Errors that mean the database is away or refusing work just now (restarting, unreachable, out of time), as opposed
// to a fault in a query: the visitor gets a calm 503 and the next request tries again on a fresh connection.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH',
  'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT',
  '57P01', '57P02', '57P03', '57014', '55P03', '3D000', '28P01', '28000', '53300',
]);

/**
 * A known fault of the driver (postgres.js 3.4.x): when the server closes a connection while a small write is
 * queued, the queued write runs against the closed socket and throws from a timer, where nothing can catch it, and
 * the process would die in the middle of an outage it otherwise rides out (the query itself has already been
 * rejected with CONNECTION_CLOSED and the pool replaces the connection). That one error is logged and survived;
 * any other uncaught exception still ends the process, as Node would.
 */
let driverGuarded = false;
function surviveDriverWriteRace() {
  if (driverGuarded) return;
  driverGuarded = true;
  process.on('uncaughtException', (error) => {
    const isRace = error instanceof TypeError && /reading 'write'/.test(error.message) && /postgres[\\/]src[\\/]connection\.js/.test(error.stack ?? '');
    if (isRace) {
      logger().warn('database connection closed while a write was queued; the pool replaces it');
      return;
    }
    logger().fatal({ err: serializeError(error) }, 'uncaught exception');
    console.error(error);
    process.exit(1);
  });
}

export function isDatabaseUnavailable(error: unknown): boolean {
  const code = String((error as { code?: unknown })?.code ?? '');
  return UNAVAILABLE_CODES.has(code) || code.startsWith('08');
}

/**
 * One transaction scoped to a tenant, for the app's client and owner connections alike (FORCE binds owners too). The
 * setting is awaited before the work's first statement on purpose: sent together, they left a connection that the
 * server dropped at that moment with a statement that never settled (postgres.js 3.4; the restart test caught it).
 */
export function runInTenant<T>(sql: Sql, tenantId: string, work: (tx: Sql) => Promise<T>): Promise<T> {
  return sql.begin(async (tx) => {
    await enterTenant(tx as unknown as Sql, tenantId);
    return work(tx as unknown as Sql);
  }) as Promise<T>;
}

export function runAsWorker<T>(sql: Sql, worker: Worker, work: (tx: Sql) => Promise<T>): Promise<T> {
  return sql.begin(async (tx) => {
    await tx`select set_config('app.worker', ${worker}, true)`;
    return work(tx as unknown as Sql);
  }) as Promise<T>;
}

/**
 * Scopes the rest of an open transaction to one practice: a worker moving from one practice's row to the next, or an
 * operator command that has just created the practice.
 */
export async function enterTenant(tx: Sql, tenantId: string): Promise<void> {
  await tx`select set_config('app.tenant_id', ${tenantId}, true)`;
}

/** A connection with the owner's rights, for migrations, seeding and operator commands. */
export function connectAsOwner(url: string): Sql {
  return postgres(url, { ...quiet, max: 1 });
}

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as { code?: string; constraint_name?: string };
  return e?.code === '23505' && (!constraint || e.constraint_name === constraint);
}
