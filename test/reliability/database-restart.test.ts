// PostgreSQL restarted under load (its own server here: the shared test server is never restarted). Requests fail
// calmly while it is away (a 503 page, never a 500 or a stack trace), /healthz says 503 then 200, and the instance
// reconnects by itself: sign-in works again without restarting anything.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { seedDemoData } from '../../src/cli/demo-seed.ts';
import { appDatabaseUrl, prepareAppRole } from '../../src/platform/app-role.ts';
import { connectAsOwner } from '../../src/platform/db.ts';
import { startEmbeddedDatabase } from '../../src/platform/embedded-db.ts';
import { migrate } from '../../src/platform/migrate.ts';
import { GUARDIAN_PASSWORD, STAFF_PASSWORD, signIn } from '../support/harness.ts';
import { eventually, startInstance } from '../support/instances.ts';

const folder = mkdtempSync(join(tmpdir(), 'gatehouse-restart-'));
chmodSync(folder, 0o755);
const pg = await startEmbeddedDatabase({ dataDir: join(folder, 'postgres'), persistent: false, fast: true, databases: ['gatehouse'] });
const password = randomBytes(18).toString('hex');
const owner = connectAsOwner(pg.url('gatehouse'));
await migrate(owner);
await prepareAppRole(owner, password);
await seedDemoData(owner);
await owner.end();
const instance = await startInstance('A', { APP_DATABASE_URL: appDatabaseUrl(pg.url('gatehouse'), password) });
test.after(async () => {
  await instance.stop();
  await pg.stop();
  rmSync(folder, { recursive: true, force: true });
});

const base = `http://127.0.0.1:${instance.port}`;
type Seen = { status: number | 'no answer'; calm: boolean; path: string; ms: number; why?: string };

test('restarted under load: 503 pages while it is away, never a 500; /healthz 503 then 200; it reconnects by itself', async () => {
  const seen: Seen[] = [];
  let running = true;
  const paths = ['/sunny-pediatrics/practice/login', '/healthz', '/oak-family-medicine/patient/login', '/sunny-pediatrics/patient/forgot-password'];
  const load = Array.from({ length: 4 }, async (_, worker) => {
    for (let i = worker; running; i++) {
      const path = paths[i % paths.length];
      const started = performance.now();
      const ms = () => Math.round(performance.now() - started);
      try {
        const response = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(30_000) });
        const body = await response.text();
        seen.push({ status: response.status, calm: !/\bat .+:\d+:\d+|node_modules|PostgresError|ECONNREFUSED/.test(body), path, ms: ms() });
      } catch (error) {
        seen.push({ status: 'no answer', calm: false, path, ms: ms(), why: String((error as Error)?.cause ?? error) });
      }
    }
  });
  const health = async () => (await fetch(`${base}/healthz`)).status;
  try {
    await restartUnderLoad();
  } catch (error) {
    console.log(instance.output());
    throw error;
  } finally {
    running = false;
    await Promise.all(load);
  }

  async function restartUnderLoad() {

  assert.ok(await eventually(async () => seen.filter((s) => s.status === 200).length >= 20), 'serving');
  await pg.halt();
  assert.ok(await eventually(async () => (await health()) === 503), '/healthz says 503 while the database is away');
  const away = await fetch(`${base}/sunny-pediatrics/practice/login`);
  assert.is(away.status, 503);
  const page = await away.text();
  assert.match(page, 'Error 503');
  assert.match(page, 'Please try again in a moment');
  assert.ok(await eventually(async () => seen.filter((s) => s.status === 503).length >= 10), 'requests under load answered 503');

  await pg.restart();
  assert.ok(await eventually(async () => (await health()) === 200), '/healthz says 200 once it is back');
  const after = seen.length;
  assert.ok(await eventually(async () => seen.slice(after).filter((s) => s.status === 200).length >= 20), 'serving again');
  }

  const overHttp = instance.client('198.18.11.1');
  await signIn(overHttp, 'sunny-pediatrics', 'practice', 'admin', STAFF_PASSWORD);
  await signIn(instance.client('198.18.11.2'), 'sunny-pediatrics', 'patient', 'jordan.parent@example.com', GUARDIAN_PASSWORD);

  const count = (status: Seen['status']) => seen.filter((s) => s.status === status).length;
  console.log(`reliability: PostgreSQL restarted under load: ${seen.length} requests, ${count(200)} answered 200, ${count(503)} answered 503, ${count(500)} answered 500, ${count('no answer')} unanswered; slowest answer ${Math.max(...seen.map((s) => s.ms))} ms`);
  const unanswered = seen.filter((s) => s.status === 'no answer');
  if (unanswered.length) console.log(`unanswered: ${unanswered.map((s) => `${s.path} (${s.why})`).join('; ')}\n${instance.output()}`);
  assert.is(count(500), 0, 'never a 500');
  assert.is(count('no answer'), 0, 'every request was answered');
  assert.ok(seen.every((s) => s.status === 200 || s.status === 503), 'only 200 and 503');
  assert.ok(seen.every((s) => s.calm), 'no stack trace or internals on any page');
});

test.run();
