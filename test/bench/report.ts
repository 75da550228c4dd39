import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import type { Measurement } from './measurement.ts';

export type Machine = { nproc: number; cpu: string; node: string; loadAverage1m: number };

export type BenchReport = {
  startedAt: string;
  machine: Machine;
  connections: number;
  seconds: number;
  results: Measurement[];
};

/** Read at start: on a shared machine the load average says how noisy the figures may be. */
export function describeMachine(): Machine {
  return { nproc: availableParallelism(), cpu: cpus()[0]?.model ?? 'unknown', node: process.version, loadAverage1m: loadavg()[0] };
}

export function printReport(report: BenchReport): void {
  const { machine } = report;
  const header = ['name', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx/3xx', 'answers'];
  const rates = report.results.filter((r) => r.value === undefined);
  const rows = rates.map((r) => [
    r.name,
    r.perSecond.toFixed(r.perSecond < 100 ? 1 : 0),
    formatMs(r.p50Ms),
    formatMs(r.p99Ms),
    String(r.unexpected + r.errors),
    describeAnswers(r),
  ]);
  const widths = header.map((_, i) => Math.max(header[i].length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 || i === cells.length - 1 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ').trimEnd();
  console.log('');
  console.log(`machine: nproc ${machine.nproc} (${machine.cpu}), node ${machine.node}, load average ${machine.loadAverage1m.toFixed(2)} at start`);
  console.log(`load: autocannon over loopback, ${report.connections} connections, ${report.seconds} s per HTTP row after a 2 s warm-up; client and servers share the cores`);
  console.log('');
  console.log(line(header));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const row of rows) console.log(line(row));
  for (const r of report.results.filter((r) => r.value !== undefined)) console.log(`${r.name}: ${r.value!.toFixed(r.id.endsWith('-mb') ? 1 : 0)}`);
  console.log('');
  console.log('targets (each against its floor measured in this run):');
  for (const target of checkTargets(report)) console.log(`  ${target.reference ? 'ref ' : target.met ? 'met ' : 'MISS'}  ${target.text}`);
  for (const r of rates) {
    const others = Object.keys(r.statuses).filter((code) => Number(code) !== r.expectedStatus);
    if (r.expectedStatus && (others.length || r.errors)) console.log(`warning: ${r.name} expected only ${r.expectedStatus}, got ${describeAnswers(r)}`);
  }
}

/** A target of the issue, or (`reference`) a ratio printed to explain one, with nothing to meet. */
export type Target = { id: string; text: string; value: number; met: boolean; reference?: true };

/** The targets, as ratios to floors of the same run (or absolute where the target is absolute). */
export function checkTargets(report: BenchReport): Target[] {
  const row = (id: string) => report.results.find((r) => r.id === id);
  const targets: Target[] = [];
  const share = (id: string, floorId: string) => {
    const a = row(id);
    const floor = row(floorId);
    return a && floor && floor.perSecond > 0 ? a.perSecond / floor.perSecond : null;
  };
  const ratio = (id: string, floorId: string, atLeast: number, label: string) => {
    const value = share(id, floorId);
    if (value !== null) targets.push({ id: `${id}/${floorId}`, value, met: value >= atLeast, text: `${label}: ${(100 * value).toFixed(1)}% (target ≥ ${100 * atLeast}%)` });
  };
  // How much of each gap is the plain cost of answering on these cores (HTTP, a page's bytes, the load generator on
  // the same cores), and how much is Gatehouse's own work.
  const reference = (id: string, floorId: string, label: string) => {
    const value = share(id, floorId);
    if (value !== null) targets.push({ id: `${id}/${floorId}`, value, met: true, reference: true, text: `${label}: ${(100 * value).toFixed(1)}% (reference, no target)` });
  };
  ratio('signed-in-page', 'bare-hono-db', 0.5, 'signed-in page req/s / bare Hono + one indexed lookup');
  ratio('sign-in', 'argon2-verify', 0.8, 'sign-ins/s / bare Argon2id verifies/s');
  reference('bare-hono-page', 'bare-hono-db', 'bare Hono + one lookup + the same page / bare Hono + one lookup');
  reference('signed-in-page', 'bare-hono-page', 'signed-in page req/s / bare Hono + one lookup + the same page');
  reference('bare-hono-argon2', 'argon2-verify', 'bare Hono POST + one verify / bare Argon2id verifies/s');
  reference('sign-in', 'bare-hono-argon2', 'sign-ins/s / bare Hono POST + one verify');
  const mixed = row('mixed-signed-in-page');
  if (mixed) targets.push({ id: 'mixed-p99', value: mixed.p99Ms, met: mixed.p99Ms < 100, text: `signed-in page p99 while sign-ins saturate the CPU: ${formatMs(mixed.p99Ms)} ms (target < 100 ms)` });
  const existing = row('forgot-password-existing');
  const unknown = row('forgot-password-unknown');
  if (existing && unknown) {
    const slower = Math.min(existing.perSecond, unknown.perSecond);
    targets.push({ id: 'forgot-password', value: slower, met: slower >= 1000, text: `forgot password: ${existing.perSecond.toFixed(0)} / ${unknown.perSecond.toFixed(0)} req/s existing / unknown, p50 ${formatMs(existing.p50Ms)} / ${formatMs(unknown.p50Ms)} ms (target ≥ 1,000 req/s, same timing)` });
  }
  const start = row('cold-start-ms');
  if (start?.value !== undefined) targets.push({ id: 'cold-start', value: start.value, met: start.value <= 500, text: `production process cold start to /healthz: ${start.value.toFixed(0)} ms (target ≤ 500 ms)` });
  const rss = row('idle-rss-mb');
  if (rss?.value !== undefined) targets.push({ id: 'idle-rss', value: rss.value, met: rss.value <= 100, text: `production process idle RSS: ${rss.value.toFixed(1)} MB (target ≤ 100 MB)` });
  // Each row at scale against the same row at one practice with the same data (sign-in and the page were measured
  // again just before the other practices were seeded; patient search was measured on that data already).
  for (const scaled of report.results.filter((r) => r.id.startsWith('scale:'))) {
    const base = scaled.id.slice('scale:'.length);
    const one = row(`alone:${base}`) ?? row(base);
    if (!one || one.perSecond <= 0) continue;
    const value = scaled.perSecond / one.perSecond;
    targets.push({ id: scaled.id, value, met: value >= 0.9, text: `${scaled.name}: ${(100 * value).toFixed(1)}% of the same practice's req/s alone (target ≥ 90%)` });
  }
  return targets;
}

// autocannon records whole milliseconds, so a 0 means "under a millisecond", not "free".
function formatMs(ms: number): string {
  return ms === 0 ? '<1' : ms.toFixed(ms < 10 ? 1 : 0);
}

function describeAnswers(r: Measurement): string {
  const parts = Object.entries(r.statuses).map(([code, count]) => `${code}×${count}`);
  if (r.errors) parts.push(`no answer×${r.errors}`);
  return parts.length ? parts.join(' ') : `${r.total} verified`;
}

export function writeReport(path: string, report: BenchReport): void {
  writeFileSync(path, JSON.stringify({ ...report, targets: checkTargets(report) }, null, 2) + '\n');
}
