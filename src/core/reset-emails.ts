import type { Sql } from '../platform/db.ts';
import { metrics } from '../platform/metrics.ts';
import { recordEvent, type RequestOrigin } from './audit.ts';

// Reset emails may not flood an inbox, whoever asks (the person on "forgot password", an administrator, the front
// desk): while a link sent in the last RECENT_MINUTES is unused and still valid, no new one goes out (the person
// has it); and an address gets at most DAILY_CAP reset links in 24 hours. A held-back email is said in the audit log;
// the public "Almost done" page stays the same whatever happened, so it reveals nothing.

export const RECENT_MINUTES = 15;
export const DAILY_CAP = 5;

export type ResetHold = 'recent link still valid' | 'daily limit reached';
export type ResetSource = 'forgot-password' | 'administrator' | 'patient-administration';

/** Null when a new reset link may be emailed to this account now; otherwise why not. */
export async function resetEmailHold(tx: Sql, accountId: string): Promise<ResetHold | null> {
  const [row] = await tx`
    select count(*) filter (where created_at > now() - interval '24 hours')::int as today,
           count(*) filter (where created_at > now() - make_interval(mins => ${RECENT_MINUTES})
                              and used_at is null and revoked_at is null and expires_at > now())::int as live
    from account_tokens where account_id = ${accountId} and purpose = 'reset'`;
  if (row.live > 0) return 'recent link still valid';
  if (row.today >= DAILY_CAP) return 'daily limit reached';
  return null;
}

/** Records a reset email that was held back, for staff reading the audit log. */
export async function recordHeldReset(
  tx: Sql, origin: RequestOrigin, input: { accountId: string; actorAccountId?: string | null; portal: string; via: ResetSource; hold: ResetHold },
): Promise<void> {
  metrics.resetsRequested.inc({ via: input.via, outcome: 'held' });
  await recordEvent(tx, origin, {
    action: 'password.reset_held_back', actorAccountId: input.actorAccountId ?? null, subjectAccountId: input.accountId,
    detail: { portal: input.portal, via: input.via, why: input.hold },
  });
}

export function countResetSent(via: ResetSource): void {
  metrics.resetsRequested.inc({ via, outcome: 'sent' });
}
