import autocannon, { type Request } from 'autocannon';
import type { Measurement } from './measurement.ts';

// Long enough to open every connection, fill the database pool and let V8 optimise the hot path.
const WARMUP_SECONDS = 2;

export type HttpLoad = {
  id: string;
  name: string;
  url: string;
  connections: number;
  seconds: number;
  /** A fresh request description per run: autocannon writes its built buffer onto the object. */
  request: () => Request;
  expectedStatus: number;
};

/** A warm-up run, then the measured run with autocannon over loopback. */
export async function measureHttp(load: HttpLoad): Promise<Measurement> {
  const run = (duration: number) =>
    autocannon({ url: load.url, connections: load.connections, duration, timeout: 10, requests: [load.request()] });
  await run(WARMUP_SECONDS);
  const result = await run(load.seconds);
  const statuses = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count]));
  const unexpected = Object.entries(statuses)
    .filter(([code]) => Number(code) < 200 || Number(code) >= 400)
    .reduce((sum, [, count]) => sum + count, 0);
  return {
    id: load.id,
    name: load.name,
    perSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    total: result.latency.totalCount,
    unexpected,
    errors: result.errors + result.timeouts,
    statuses,
    expectedStatus: load.expectedStatus,
  };
}
