import { createHash } from 'node:crypto';
import type { Sql } from './db.ts';

// Fixed-window counters shared by every instance through PostgreSQL; keys are hashed so the table holds no
// addresses or names. Each limit is declared beside the rule that uses it.
export type Limit = { bucket: string; max: number; windowSeconds: number };

export type Hit = { allowed: boolean; retryAfterSeconds: number };

/** Counts one attempt against `key` in a fixed window and says whether it is still within the limit. */
export async function hitLimit(sql: Sql, limit: Limit, key: string): Promise<Hit> {
  const window = `${limit.windowSeconds} seconds`;
  const [row] = await sql`
    insert into rate_limits (bucket, key_hash, window_started_at, hits)
    values (${limit.bucket}, ${hashKey(key)}, now(), 1)
    on conflict (bucket, key_hash) do update set
      hits = case when rate_limits.window_started_at < now() - ${window}::interval then 1 else rate_limits.hits + 1 end,
      window_started_at = case when rate_limits.window_started_at < now() - ${window}::interval
                               then now() else rate_limits.window_started_at end
    returning hits, ceil(extract(epoch from window_started_at + ${window}::interval - now()))::int as retry_after`;
  return { allowed: row.hits <= limit.max, retryAfterSeconds: Math.max(1, row.retry_after) };
}

/**
 * Gives back an attempt counted by hitLimit: limits that count only failures reserve the attempt first (so
 * attempts sent at once cannot all slip past the check) and return it when the attempt succeeded.
 */
export async function giveBack(sql: Sql, limit: Limit, key: string): Promise<void> {
  await sql`update rate_limits set hits = greatest(0, hits - 1) where bucket = ${limit.bucket} and key_hash = ${hashKey(key)}`;
}

/** Whether `key` has used up its window already, without counting an attempt. */
export async function isOverLimit(sql: Sql, limit: Limit, key: string): Promise<Hit> {
  const window = `${limit.windowSeconds} seconds`;
  const [row] = await sql`
    select hits, ceil(extract(epoch from window_started_at + ${window}::interval - now()))::int as retry_after
    from rate_limits
    where bucket = ${limit.bucket} and key_hash = ${hashKey(key)} and window_started_at >= now() - ${window}::interval`;
  if (!row || row.hits < limit.max) return { allowed: true, retryAfterSeconds: 0 };
  return { allowed: false, retryAfterSeconds: Math.max(1, row.retry_after) };
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('base64url');
}

/** Counters whose window and block ended a day ago say nothing any more (housekeeping, across practices). */
export async function deleteStaleCounters(sql: Sql): Promise<number> {
  const gone = await sql`
    delete from rate_limits
    where window_started_at < now() - interval '1 day' and (blocked_until is null or blocked_until < now())
    returning 1`;
  return gone.length;
}
