// `npm run bench`: sign-in throughput and a signed-in page against the real app in a fresh process on a
// throwaway PostgreSQL, beside the floors they sit on (bare Argon2id verify, a bare Hono route), in one run.
// Options: --json <path> (write the results), --connections <n>, --seconds <n> (per HTTP measurement), --quick.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CLIENT_IP_HEADER, HOME_PATH, homePageRequest, signInOnce, signInRequest } from './app-requests.ts';
import { measureArgon2Verify } from './argon2.ts';
import { forgotPasswordRequest, recoveryAddresses } from './forgot-password.ts';
import { findFreePort, startChild, type Child } from './children.ts';
import { startBenchDatabase } from './database.ts';
import { measureHttp, measureMixed } from './http-load.ts';
import { measurePatientSearch } from './patient-search.ts';
import { BENCH_STAFF, seedStaffForBench, staffListRequest } from './staff-list.ts';
import { measureAtScale } from './scale.ts';
import { measureStartup } from './startup.ts';
import { connectAsOwner } from '../../src/platform/db.ts';
import type { Measurement } from './measurement.ts';
import { describeMachine, printReport, writeReport } from './report.ts';

// Four verifications at once: libuv's default thread pool, where the library's async call runs (the app runs it on
// threads of its own, one per core: src/platform/argon2-pool.ts).
const ARGON2_IN_FLIGHT = 4;
const ARGON2_SECONDS = 5;

const { values: args } = parseArgs({
  options: {
    json: { type: 'string' }, connections: { type: 'string', default: '10' }, seconds: { type: 'string', default: '8' },
    // Leaves out the million-patient search and the 1,000-practice rows (minutes of seeding): for a quick look only.
    quick: { type: 'boolean', default: false },
  },
});
const connections = readPositiveInteger('--connections', args.connections);
const seconds = readPositiveInteger('--seconds', args.seconds);
const machine = describeMachine();
const startedAt = new Date().toISOString();
const log = (line: string) => console.log(`· ${line}`);

// Children and the database are stopped in reverse order of starting, once, whether the run ends, fails or
// is interrupted (Ctrl-C reaches the whole process group; the handler waits for the stops before exiting).
const cleanups: (() => Promise<void>)[] = [];
let cleaning: Promise<void> | null = null;
function cleanUp(): Promise<void> {
  return (cleaning ??= (async () => {
    for (const step of cleanups.reverse()) await step().catch((error) => console.error('cleanup failed:', error));
  })());
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the children and the database`);
    void cleanUp().finally(() => process.exit(130));
  });
}

let exitCode = 0;
try {
  const database = await startBenchDatabase(log);
  cleanups.push(database.stop);
  const results = [...(await measureBaselines(database.appUrl)), ...(await measureGatehouse(database.url, database.appUrl))];
  log('building the production server (npm run build), then starting it 5 times');
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'ignore' });
  results.push(...(await measureStartup({ databaseUrl: database.url, appDatabaseUrl: database.appUrl, runs: 5, log })));
  // Patient Administration search over a million patients (seeded into this database, so it runs last).
  if (!args.quick) {
    const bench = { databaseUrl: database.url, appDatabaseUrl: database.appUrl, connections, seconds, log };
    results.push(...(await measurePatientSearch(bench)));
    // The same at 1,000 practices in one database (seeded last: it only adds rows).
    results.push(...(await measureAtScale(bench)));
  }
  const report = { startedAt, machine, connections, seconds, results };
  printReport(report);
  if (args.json) {
    writeReport(args.json, report);
    console.log(`\nresults written to ${args.json}`);
  }
} catch (error) {
  console.error('\nbench failed:', error instanceof Error ? error.message : error);
  exitCode = 1;
} finally {
  await cleanUp();
}
process.exit(exitCode);

async function measureBaselines(appDatabaseUrl: string): Promise<Measurement[]> {
  log(`Argon2id verify, ${ARGON2_IN_FLIGHT} in flight, ${ARGON2_SECONDS} s`);
  const argon2 = await measureArgon2Verify(ARGON2_SECONDS, ARGON2_IN_FLIGHT);
  const bareArgon2 = await startTracked('test/bench/bare-hono-argon2-child.ts', {});
  log(`bare Hono route verifying one posted password on port ${bareArgon2.port}, ${seconds} s`);
  const honoArgon2 = await measureHttp({
    id: 'bare-hono-argon2', name: 'bare Hono POST + one Argon2id verify (reference)', url: `http://127.0.0.1:${bareArgon2.port}`,
    connections, seconds, request: () => signInRequest(`http://127.0.0.1:${bareArgon2.port}`), expectedStatus: 303,
  });
  await bareArgon2.stop();
  const bare = await startTracked('test/bench/bare-hono-child.ts', {});
  log(`bare Hono route on port ${bare.port}, ${seconds} s`);
  const hono = await measureHttp({
    id: 'bare-hono', name: 'bare Hono GET / (c.text)', url: `http://127.0.0.1:${bare.port}`, connections, seconds,
    request: () => ({ method: 'GET', path: '/' }), expectedStatus: 200,
  });
  await bare.stop();
  const bareDb = await startTracked('test/bench/bare-hono-db-child.ts', { APP_DATABASE_URL: appDatabaseUrl });
  log(`bare Hono route with one indexed PostgreSQL lookup on port ${bareDb.port}, ${seconds} s`);
  const honoDb = await measureHttp({
    id: 'bare-hono-db', name: 'bare Hono GET / + one indexed PostgreSQL lookup', url: `http://127.0.0.1:${bareDb.port}`, connections, seconds,
    request: () => ({ method: 'GET', path: '/' }), expectedStatus: 200,
  });
  await bareDb.stop();
  return [argon2, honoArgon2, hono, honoDb];
}

async function measureGatehouse(databaseUrl: string, appDatabaseUrl: string): Promise<Measurement[]> {
  // PUBLIC_URL names the port, so the port is chosen before the app starts.
  const port = await findFreePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const app = await startTracked('test/bench/app-child.ts', {
    NODE_ENV: 'production', PORT: String(port), PUBLIC_URL: publicUrl, DATABASE_URL: databaseUrl, APP_DATABASE_URL: appDatabaseUrl,
    SECRET_KEY: randomBytes(32).toString('hex'), CLIENT_IP_HEADER,
    SMTP_URL: 'smtp://127.0.0.1:25', // never called: the bench starts no delivery worker
  });
  const cookie = await signInOnce(publicUrl, publicUrl);

  log(`Gatehouse sign-in on port ${port}, ${seconds} s`);
  const signIn = await measureHttp({
    id: 'sign-in', name: 'sign-in POST /sunny-pediatrics/practice/login', url: publicUrl, connections, seconds,
    request: () => signInRequest(publicUrl), expectedStatus: 303,
  });
  log(`Gatehouse signed-in page, ${seconds} s`);
  const page = await measureHttp({
    id: 'signed-in-page', name: 'signed-in GET /sunny-pediatrics/practice/', url: publicUrl, connections, seconds,
    request: () => homePageRequest(cookie), expectedStatus: 200,
  });
  const pageReference = await measurePageReference(publicUrl, cookie, appDatabaseUrl);
  log(`signed-in page (2 connections) while sign-ins (${connections} connections) saturate the CPU, ${seconds} s`);
  const mixed = await measureMixed({
    url: publicUrl, seconds, pageConnections: 2, signInConnections: connections,
    page: () => homePageRequest(cookie), signIn: () => signInRequest(publicUrl),
  });
  log(`staff list with ${BENCH_STAFF} staff, ${seconds} s`);
  const owner = connectAsOwner(databaseUrl);
  await seedStaffForBench(owner, BENCH_STAFF).finally(() => owner.end());
  const staffList = await measureHttp({
    id: 'staff-list', name: `staff list GET, ${BENCH_STAFF} staff`, url: publicUrl, connections, seconds,
    request: () => staffListRequest(cookie), expectedStatus: 200,
  });

  // The same number of addresses on each side, so the per-address limit drops the same share of requests.
  const addresses = await recoveryAddresses(databaseUrl);
  const forgot: Measurement[] = [];
  for (const [side, emails] of [['existing', addresses.known], ['unknown', addresses.unknown]] as const) {
    log(`forgot password for ${side} emails, ${seconds} s`);
    forgot.push(await measureHttp({
      id: `forgot-password-${side}`, name: `forgot password POST, ${side} emails`, url: publicUrl, connections, seconds,
      request: () => forgotPasswordRequest(publicUrl, emails), expectedStatus: 303,
    }));
  }
  await app.stop();
  const appErrors = app.stderr().trim();
  if (appErrors) console.log(`\nThe app wrote to stderr during the bench:\n${appErrors.slice(0, 2000)}`);
  return [signIn, page, pageReference, ...mixed, staffList, ...forgot];
}

/** The floor's one lookup answering with the home the app just rendered (bare-hono-page-child.ts). */
async function measurePageReference(publicUrl: string, cookie: string, appDatabaseUrl: string): Promise<Measurement> {
  const home = await fetch(publicUrl + HOME_PATH, { headers: { cookie } });
  const html = await home.text();
  // The reference must send the page itself, never an error page in its place.
  if (home.status !== 200 || !html.includes('Signed in as')) throw new Error(`${HOME_PATH} answered ${home.status}, not the signed-in page`);
  const folder = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
  cleanups.push(async () => rmSync(folder, { recursive: true, force: true }));
  const pageFile = join(folder, 'home.html');
  writeFileSync(pageFile, html);
  const child = await startTracked('test/bench/bare-hono-page-child.ts', { APP_DATABASE_URL: appDatabaseUrl, PAGE_FILE: pageFile });
  log(`bare Hono route with one lookup, answering the same home (${(html.length / 1024).toFixed(1)} KB, compressed), ${seconds} s`);
  const reference = await measureHttp({
    id: 'bare-hono-page', name: 'bare Hono GET + one lookup + the same page, compressed (reference)', url: `http://127.0.0.1:${child.port}`,
    connections, seconds, request: () => homePageRequest(cookie), expectedStatus: 200,
  });
  await child.stop();
  return reference;
}

async function startTracked(entry: string, env: Record<string, string>): Promise<Child> {
  const child = await startChild(entry, env);
  cleanups.push(child.stop);
  return child;
}

function readPositiveInteger(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`${flag} must be a positive whole number, not "${value}"`);
    process.exit(2);
  }
  return n;
}
