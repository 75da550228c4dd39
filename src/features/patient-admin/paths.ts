import type { Context } from 'hono';
import type { AppDeps, Env } from '../../http/env.ts';
import { isUuid } from '../../http/ids.ts';
import { portalPath } from '../../http/paths.ts';
import type { Sql } from '../../platform/db.ts';
import { findPortalAccess, type PortalAccess } from './portal-access.ts';

// Shared by the Patient Administration route modules: addresses, id checks and the portal access of the URL.

export const patientsPath = (c: Context<Env>, path = '') => portalPath(c, `/patients${path}`);

export type AccessKey = { patientId: string; accountId: string };

/** The patient and account of a portal-access address, if both look like ids. */
export function accessKey(c: Context<Env>): AccessKey | null {
  const { patientId, accountId } = c.req.param() as Record<string, string | undefined>;
  return isUuid(patientId) && isUuid(accountId) ? { patientId, accountId } : null;
}

export function accessPath(c: Context<Env>, key: AccessKey, path = ''): string {
  return patientsPath(c, `/${key.patientId}/portal/${key.accountId}${path}`);
}

/**
 * Runs `work` on the portal access of the address in one tenant transaction (the account row locked when `lock`,
 * for a change). null — answered as 404 — unless the account is a family contact of that very patient.
 */
export function withPortalAccess<T>(
  deps: AppDeps, c: Context<Env>, lock: boolean, work: (tx: Sql, access: PortalAccess, key: AccessKey) => Promise<T>,
): Promise<T | null> {
  const key = accessKey(c);
  if (!key) return Promise.resolve(null);
  return deps.db.inTenant(c.var.tenant.id, async (tx) => {
    const access = await findPortalAccess(tx, key.patientId, key.accountId, { lock });
    return access ? work(tx, access, key) : null;
  });
}
