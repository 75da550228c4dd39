import type { Sql } from '../../platform/db.ts';

// Sign-in lockout, the same for a name that matches an account and one that does not (DESIGN.md §4: lockout must not
// tell an attacker which accounts exist). Known accounts keep their count in accounts (staff see it and may unlock);
// unknown names keep it in rate_limits under a hash of practice, portal and name, with the same columns' meaning.
//
// An attempt is reserved before its password is weighed: one UPDATE counts it as a failure and, from the fifth,
// locks the name, so guesses sent all at once queue on the row and no more than FREE_TRIES are ever weighed while
// the count is high. A right password gives the reservation back. Failures wear off (one every WEAR_OFF_MINUTES
// without another), so a guess an hour cannot keep the owner out for ever.

export const FREE_TRIES = 5;
export const WEAR_OFF_MINUTES = 15;
const MAX_LOCK_MINUTES = 60;

/** Minutes locked after `failures` counted failures: 5 free tries, then 1, 2, 4 … minutes, at most an hour. */
export function lockoutMinutes(failures: number): number {
  if (failures < FREE_TRIES) return 0;
  return Math.min(MAX_LOCK_MINUTES, 2 ** (failures - FREE_TRIES));
}

export type Reservation =
  | { ok: true; failures: number; lockedSeconds: number }
  | { ok: false; lockedSeconds: number };

const UNKNOWN_NAMES = 'sign-in:unknown-name';
const wearOff = `${WEAR_OFF_MINUTES} minutes`;

type Fragment = ReturnType<Sql>;

/**
 * The failures still counting: each WEAR_OFF_MINUTES since the last failure takes one away. The time is the clock's
 * (not the transaction's start) and never negative, so a transaction that began before another recorded its failure
 * does not count that failure twice.
 */
function remaining(tx: Sql, count: Fragment, since: Fragment): Fragment {
  return tx`greatest(0, ${count} - coalesce(greatest(0, floor(extract(epoch from clock_timestamp() - ${since}) / extract(epoch from ${wearOff}::interval))), 0)::int)`;
}

function lockFor(tx: Sql, failures: Fragment): Fragment {
  return tx`case when ${failures} >= ${FREE_TRIES}
    then now() + make_interval(mins => least(${MAX_LOCK_MINUTES}, power(2, ${failures} - ${FREE_TRIES})::int)) end`;
}

/** Reserves one attempt for an account: counted as a failure now, given back if the password is right. */
export async function reserveAccountAttempt(tx: Sql, accountId: string): Promise<Reservation> {
  const next: Fragment = tx`(${remaining(tx, tx`a.failed_sign_ins`, tx`a.last_failed_sign_in_at`)} + 1)`;
  const [row] = await tx`
    with reserved as (
      update accounts a set failed_sign_ins = ${next}, last_failed_sign_in_at = clock_timestamp(),
        locked_until = coalesce(${lockFor(tx, next)}, a.locked_until)
      where a.id = ${accountId} and (a.locked_until is null or a.locked_until <= now())
      returning a.failed_sign_ins)
    select (select failed_sign_ins from reserved) as failures,
           greatest(0, ceil(extract(epoch from locked_until - now())))::int as locked_seconds
    from accounts where id = ${accountId}`;
  return settle(row as ReservationRow | undefined);
}

/** The same reservation for a name that matches no account. */
export async function reserveUnknownAttempt(tx: Sql, keyHash: string): Promise<Reservation> {
  const next: Fragment = tx`(${remaining(tx, tx`r.hits`, tx`r.window_started_at`)} + 1)`;
  const [row] = await tx`
    with reserved as (
      insert into rate_limits as r (bucket, key_hash, window_started_at, hits) values (${UNKNOWN_NAMES}, ${keyHash}, now(), 1)
      on conflict (bucket, key_hash) do update set hits = ${next}, window_started_at = clock_timestamp(),
        blocked_until = coalesce(${lockFor(tx, next)}, r.blocked_until)
      where r.blocked_until is null or r.blocked_until <= now()
      returning r.hits)
    select (select hits from reserved) as failures,
           coalesce((select greatest(0, ceil(extract(epoch from blocked_until - now())))::int
                     from rate_limits where bucket = ${UNKNOWN_NAMES} and key_hash = ${keyHash}), 0) as locked_seconds`;
  return settle(row as ReservationRow | undefined);
}

type ReservationRow = { failures: number | null; locked_seconds: number | null };

function settle(row: ReservationRow | undefined): Reservation {
  if (!row || row.failures === null) return { ok: false, lockedSeconds: Math.max(1, row?.locked_seconds ?? 1) };
  return { ok: true, failures: row.failures, lockedSeconds: lockoutMinutes(row.failures) * 60 };
}

/** The right password: the reserved attempt and every failure before it are forgotten, the lock lifted. */
export async function clearAccountFailures(tx: Sql, accountId: string): Promise<void> {
  await tx`update accounts set failed_sign_ins = 0, locked_until = null, last_failed_sign_in_at = null where id = ${accountId}`;
}
