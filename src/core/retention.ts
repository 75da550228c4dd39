import type { Database } from '../platform/db.ts';
import { parseSettings } from './tenant.ts';

// What Gatehouse deletes once it is no longer needed, across practices, as the named workers of sql/030 (whose
// policies bound each table to its window, so a mistake here cannot delete anything younger). Each sweep deletes at
// most BATCH rows a round and says how many went; the background job runs again at once while a batch came back full.
// The windows are stated in README.md ("Retention").

export const BATCH = 5000;
/** A used, revoked or expired reset or invitation link is kept a week, so its page can still say why it fails. */
export const SPENT_LINK_DAYS = 7;

/** Audit events older than the deployment's window (AUDIT_RETENTION_YEARS, never under six years). */
export async function sweepAuditEvents(db: Database, years: number): Promise<number> {
  if (!Number.isInteger(years) || years < 6) throw new Error('the audit log is kept at least six years');
  const practices = await db.sql`select id from tenants`;
  let deleted = 0;
  for (const { id } of practices) {
    if (deleted >= BATCH) break;
    // The trigger and policies of sql/030 refuse anything younger than six years whatever this query says.
    deleted += await db.asWorker('audit-retention', async (tx) => (await tx`
      delete from audit_events where tenant_id = ${id} and id in (
        select id from audit_events
        where tenant_id = ${id} and occurred_at < now() - make_interval(years => ${years})
        order by occurred_at limit ${BATCH - deleted})
      returning 1`).length);
  }
  return deleted;
}

/** Sessions past their absolute end, or idle longer than their practice allows on their portal. */
export async function sweepSessions(db: Database): Promise<number> {
  const practices = await db.sql`select id, settings from tenants`;
  let deleted = 0;
  for (const practice of practices) {
    if (deleted >= BATCH) break;
    const settings = parseSettings(practice.settings);
    deleted += await db.asWorker('retention', async (tx) => (await tx`
      delete from sessions where tenant_id = ${practice.id} and id_hash in (
        select id_hash from sessions
        where tenant_id = ${practice.id} and (expires_at <= now()
          or (portal = 'practice' and last_seen_at <= now() - make_interval(mins => ${settings.idleMinutesPractice}))
          or (portal = 'patient' and last_seen_at <= now() - make_interval(mins => ${settings.idleMinutesPatient})))
        limit ${BATCH - deleted})
      returning 1`).length);
  }
  return deleted;
}

/** Spent links after their week of grace, and two-factor leftovers as soon as they can no longer be used. */
export async function sweepSpentSecrets(db: Database): Promise<number> {
  return db.asWorker('retention', async (tx) => {
    const links = await tx`
      delete from account_tokens where (tenant_id, id) in (
        select tenant_id, id from account_tokens
        where least(used_at, revoked_at, expires_at) < now() - make_interval(days => ${SPENT_LINK_DAYS}) limit ${BATCH})
      returning 1`;
    const steps = await tx`delete from two_factor_challenges where expires_at <= now() returning 1`;
    const texts = await tx`delete from two_factor_sms_codes where expires_at <= now() or used_at is not null returning 1`;
    const setups = await tx`delete from two_factor_enrolments where expires_at <= now() returning 1`;
    const browsers = await tx`delete from remembered_devices where expires_at <= now() returning 1`;
    return links.length + steps.length + texts.length + setups.length + browsers.length;
  });
}
