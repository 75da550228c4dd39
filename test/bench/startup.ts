// The production process as the image runs it: the bundled server (npm run build) with NODE_ENV=production against
// an external PostgreSQL (a throwaway embedded server, already migrated and seeded, reached over TCP like any other).
// Cold start is the time from spawning node to the first 200 from /healthz; idle RSS is read from /proc five seconds
// after that, with no request in between. Several runs, medians reported.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { findFreePort } from './children.ts';
import type { Measurement } from './measurement.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const IDLE_SECONDS = 5;

export type StartupRun = { coldStartMs: number; idleRssMb: number };

export async function measureStartup(options: { databaseUrl: string; appDatabaseUrl: string; runs: number; log: (line: string) => void }): Promise<Measurement[]> {
  const entry = join(ROOT, 'dist/server.js');
  if (!existsSync(entry)) throw new Error('no compiled server: run `npm run build` first');
  const runs: StartupRun[] = [];
  for (let i = 0; i < options.runs; i++) {
    runs.push(await startOnce(entry, options));
    options.log(`  run ${i + 1}: cold start ${runs[i].coldStartMs.toFixed(0)} ms, idle RSS ${runs[i].idleRssMb.toFixed(1)} MB`);
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const row = (id: string, name: string, value: number): Measurement => ({
    id, name, perSecond: 0, p50Ms: 0, p99Ms: 0, total: runs.length, unexpected: 0, errors: 0, statuses: {}, value,
  });
  return [
    row('cold-start-ms', `production process: cold start to /healthz, ms (median of ${runs.length})`, median(runs.map((r) => r.coldStartMs))),
    row('idle-rss-mb', `production process: idle RSS, MB (median of ${runs.length})`, median(runs.map((r) => r.idleRssMb))),
  ];
}

async function startOnce(entry: string, options: { databaseUrl: string; appDatabaseUrl: string }): Promise<StartupRun> {
  const port = await findFreePort();
  const base = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = spawn(process.execPath, [entry], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH, NODE_ENV: 'production', PORT: String(port), PUBLIC_URL: base, LOG_LEVEL: 'warn',
      DATABASE_URL: options.databaseUrl, APP_DATABASE_URL: options.appDatabaseUrl, SECRET_KEY: randomBytes(32).toString('hex'),
      SMTP_URL: 'smtp://127.0.0.1:9',
    },
    stdio: ['ignore', 'ignore', process.env.SHOW ? 'inherit' : 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  try {
    let coldStartMs = 0;
    while (!coldStartMs) {
      if (child.exitCode !== null) throw new Error(`the compiled server exited with ${child.exitCode}: ${stderr}`);
      if (performance.now() - started > 30_000) throw new Error(`no /healthz within 30 s: ${stderr}`);
      const ok = await fetch(`${base}/healthz`).then((r) => r.status === 200, () => false);
      if (ok) coldStartMs = performance.now() - started;
      else await sleep(5);
    }
    await sleep(IDLE_SECONDS * 1000);
    const rssKb = Number(readFileSync(`/proc/${child.pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m)?.[1]);
    return { coldStartMs, idleRssMb: rssKb / 1024 };
  } finally {
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    await exited;
  }
}
