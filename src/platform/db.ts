import postgres from 'postgres';

// The only module that imports the driver, and the only one that says whose rows a transaction may see: a practice
// (app.tenant_id) or a named background worker (app.worker). The application connects as gatehouse_app, a role that
// cannot bypass row-level security; migrations connect as the database owner.
export type Sql = postgres.Sql<{}>;
export const APP_ROLE = 'gatehouse_app';

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
  close(): Promise<void>;
};

const quiet = { onnotice: () => {} };

export function connectDatabase(url: string, options: { max?: number } = {}): Database {
  const sql = postgres(url, { ...quiet, max: options.max ?? 10, connection: { role: APP_ROLE } });
  return {
    sql,
    inTenant: (tenantId, work) => runInTenant(sql, tenantId, work),
    asWorker: (worker, work) => runAsWorker(sql, worker, work),
    close: () => sql.end({ timeout: 5 }),
  };
}

/** One transaction scoped to a tenant, for the app's client and owner connections alike (FORCE binds owners too). */
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
