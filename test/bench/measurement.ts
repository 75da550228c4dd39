/** One row of the bench table; `unexpected` counts answers outside 2xx/3xx (failed verifications for Argon2). */
export type Measurement = {
  /** Stable key for readers of the JSON: argon2-verify, bare-hono, sign-in, signed-in-page. */
  id: string;
  name: string;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  total: number;
  unexpected: number;
  /** Socket errors and timeouts: requests that got no answer at all. */
  errors: number;
  /** Answers by HTTP status, e.g. { "303": 812 }; empty for non-HTTP rows. */
  statuses: Record<string, number>;
  /** What the row is expected to answer; anything else is reported as a warning. */
  expectedStatus?: number;
  /** The 95th percentile, where the row measures it (patient search). */
  p95Ms?: number;
  /** A row that is one figure rather than a rate (start-up time, memory). */
  value?: number;
};

/** Nearest-rank percentile of an ascending list. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
