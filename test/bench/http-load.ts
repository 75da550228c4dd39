import autocannon, { type Request, type Result } from 'autocannon';
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
  await run(load, WARMUP_SECONDS);
  return toMeasurement(load, await run(load, load.seconds));
}

function run(load: Pick<HttpLoad, 'url' | 'connections' | 'request'>, duration: number) {
  return autocannon({ url: load.url, connections: load.connections, duration, timeout: 10, requests: [load.request()] });
}

export type MixedLoad = {
  url: string;
  seconds: number;
  pageConnections: number;
  signInConnections: number;
  page: () => Request;
  signIn: () => Request;
};

/**
 * A signed-in page as a few people click through it while sign-ins keep every core busy with Argon2id: the page's
 * latency shows whether hashing ever starves the event loop. The sign-ins start first and end last.
 */
export async function measureMixed(load: MixedLoad): Promise<Measurement[]> {
  const signIns = run({ url: load.url, connections: load.signInConnections, request: load.signIn }, load.seconds + 2 * WARMUP_SECONDS);
  await new Promise((done) => setTimeout(done, WARMUP_SECONDS * 1000));
  const page = await run({ url: load.url, connections: load.pageConnections, request: load.page }, load.seconds);
  const signInResult = await signIns;
  return [
    toMeasurement({ id: 'mixed-signed-in-page', name: `mixed: signed-in page, ${load.pageConnections} connections, during sign-ins`, expectedStatus: 200 }, page),
    toMeasurement({ id: 'mixed-sign-in', name: `mixed: sign-in, ${load.signInConnections} connections, beside the page`, expectedStatus: 303 }, signInResult),
  ];
}

function toMeasurement(load: Pick<HttpLoad, 'id' | 'name' | 'expectedStatus'>, result: Result): Measurement {
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
