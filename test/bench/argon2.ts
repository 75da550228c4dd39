import { hash, verify } from '@node-rs/argon2';
import { performance } from 'node:perf_hooks';
import { percentile, type Measurement } from './measurement.ts';

// The parameters src/password.ts uses (OWASP's Argon2id: m=19 MiB, t=2, p=1), written out so the baseline
// stays the bare library even if the app's wrapper changes.
const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

/** Verifies one hash over and over with `inFlight` verifications running at once, for `seconds`. */
export async function measureArgon2Verify(seconds: number, inFlight: number): Promise<Measurement> {
  const password = 'correct horse battery staple';
  const stored = await hash(password, OPTIONS);
  await verify(stored, password);
  const durations: number[] = [];
  let failures = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      if (!(await verify(stored, password))) failures++;
      durations.push(performance.now() - t0);
    }
  }));
  const elapsedSeconds = (performance.now() - started) / 1000;
  durations.sort((a, b) => a - b);
  return {
    id: 'argon2-verify',
    name: `argon2id verify (bare, ${inFlight} in flight)`,
    perSecond: durations.length / elapsedSeconds,
    p50Ms: percentile(durations, 50),
    p99Ms: percentile(durations, 99),
    total: durations.length,
    unexpected: failures,
    errors: 0,
    statuses: {},
  };
}
