import { createHash } from 'node:crypto';
import type { Sql } from './db.ts';

export type Limit = { bucket: string; max: number; windowSeconds: number };

// Shared by every instance through PostgreSQL; keys are hashed so the table holds no addresses or names.
export const SIGN_IN_PER_IP: Limit = { bucket: 'sign-in:ip', max: 60, windowSeconds: 300 };
export const RECOVERY_PER_IP: Limit = { bucket: 'recovery:ip', max: 30, windowSeconds: 3600 };
// Wrong "current password" entries (My Account, 2FA, administrator confirmations) share one budget per account.
export const CURRENT_PASSWORD_TRIES: Limit = { bucket: 'current-password', max: 10, windowSeconds: 900 };
export const RECOVERY_PER_EMAIL: Limit = { bucket: 'recovery:email', max: 5, windowSeconds: 3600 };

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

/** Lockout after repeated sign-in failures: 5 free tries, then 1, 2, 4 … minutes, at most an hour. */
export function lockoutMinutes(failures: number): number {
  const FREE_TRIES = 5;
  if (failures < FREE_TRIES) return 0;
  return Math.min(60, 2 ** (failures - FREE_TRIES));
}
