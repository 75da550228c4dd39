// The test runner behind `npm test` (everything) and `npm run test:fast` (unit and HTTP, no browser): one PostgreSQL
// for the run (embedded, or TEST_DATABASE_URL's server), a migrated and seeded template database, then every test
// file in its own process with its own copy of it. `npm test -- <part of a path>` runs some files only.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { prepareAppRole } from '../src/platform/app-role.ts';
import { connectAsOwner } from '../src/platform/db.ts';
import { startEmbeddedDatabase } from '../src/platform/embedded-db.ts';
import { migrate } from '../src/platform/migrate.ts';
import { seedDemoData } from '../src/cli/demo-seed.ts';
import { startPgBouncer } from './support/pgbouncer.ts';

export const TEMPLATE_DATABASE = 'gatehouse_test_template';
const CONCURRENCY = Number(process.env.TEST_CONCURRENCY ?? 2);
// A file that hangs must not hang CI: it is stopped and counted as failed.
const FILE_TIMEOUT_MS = Number(process.env.TEST_FILE_TIMEOUT_SECONDS ?? 900) * 1000;
// TEST_STREAM=1 shows a file's output as it happens (useful when running one file).
const STREAM = process.env.TEST_STREAM === '1';
// The application's role logs in with a password of this run (roles belong to the server, not to one database).
const APP_PASSWORD = randomBytes(18).toString('hex');

const filters = process.argv.slice(2);
const files = findTestFiles('test').filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));

// Unit tests need no database: a run of only those starts none.
const needsDatabase = files.some((file) => !file.startsWith(join('test', 'unit')));
let serverUrl = process.env.TEST_DATABASE_URL ?? null;
const embedded = serverUrl || !needsDatabase
  ? null
  : await startEmbeddedDatabase({ dataDir: join(tmpdir(), `gatehouse-test-${process.pid}`, 'postgres'), persistent: false, fast: true });
serverUrl ??= embedded?.url('postgres') ?? '';

if (needsDatabase) await prepareTemplate(serverUrl);
// TEST_PGBOUNCER=<binary>: the application's connections go through a PgBouncer in transaction mode (.ci/run).
const pooler = needsDatabase && process.env.TEST_PGBOUNCER ? await startPgBouncer(process.env.TEST_PGBOUNCER, serverUrl, APP_PASSWORD) : null;

const results: { file: string; passed: number; failed: number; skipped: number; code: number }[] = [];
const queue = [...files];
await Promise.all(Array.from({ length: Math.min(CONCURRENCY, queue.length) }, async () => {
  for (let file = queue.shift(); file; file = queue.shift()) results.push(await runFile(file, serverUrl!));
}));
await pooler?.stop();
await embedded?.stop();

const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed + (r.code !== 0 && r.failed === 0 ? 1 : 0), 0);
const skipped = results.reduce((n, r) => n + r.skipped, 0);
console.log('');
for (const r of results.sort((a, b) => a.file.localeCompare(b.file))) {
  console.log(`${r.code === 0 ? 'ok  ' : 'FAIL'} ${r.file}: ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}`);
}
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || files.length === 0 ? 1 : 0);

async function prepareTemplate(url: string) {
  const owner = connectAsOwner(url);
  try {
    await owner.unsafe(`drop database if exists ${TEMPLATE_DATABASE} with (force)`);
    await owner.unsafe(`create database ${TEMPLATE_DATABASE}`);
  } finally {
    await owner.end();
  }
  const template = connectAsOwner(withDatabase(url, TEMPLATE_DATABASE));
  try {
    await migrate(template);
    await prepareAppRole(template, APP_PASSWORD);
    await seedDemoData(template);
  } finally {
    await template.end();
  }
}

function runFile(file: string, url: string) {
  return new Promise<(typeof results)[number]>((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file], {
      env: {
        ...process.env, NO_COLOR: '1', NODE_ENV: 'test', TEST_SERVER_URL: url, TEST_TEMPLATE_DATABASE: TEMPLATE_DATABASE, TEST_APP_PASSWORD: APP_PASSWORD,
        ...(pooler ? { TEST_APP_SERVER_URL: pooler.url, DATABASE_PREPARED_STATEMENTS: 'off' } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk;
      if (STREAM) process.stdout.write(chunk);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => {
      output += `\n${file} was stopped after ${FILE_TIMEOUT_MS / 1000} s without finishing\n`;
      child.kill('SIGKILL');
    }, FILE_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      const count = (label: string) => Number(output.match(new RegExp(`${label}:\\s+(\\d+)`))?.[1] ?? 0);
      const total = count('Total');
      const passedCount = count('Passed');
      process.stdout.write(`\n── ${file}\n${output.trim()}\n`);
      done({ file, passed: passedCount, failed: Math.max(0, total - passedCount - count('Skipped')), skipped: count('Skipped'), code: code ?? 1 });
    });
  });
}

function findTestFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return findTestFiles(path);
    return /\.test\.tsx?$/.test(name) ? [relative('.', path)] : [];
  }).sort();
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
