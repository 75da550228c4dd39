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
  const rows = report.results.map((r) => [
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
  console.log('');
  printRatio(report, 'sign-in', 'argon2-verify', 'sign-ins/s as a share of bare Argon2id verifies/s');
  printRatio(report, 'signed-in-page', 'bare-hono', 'signed-in page req/s as a share of the bare Hono route');
  for (const r of report.results) {
    const others = Object.keys(r.statuses).filter((code) => Number(code) !== r.expectedStatus);
    if (r.expectedStatus && (others.length || r.errors)) console.log(`warning: ${r.name} expected only ${r.expectedStatus}, got ${describeAnswers(r)}`);
  }
}

function printRatio(report: BenchReport, id: string, baselineId: string, label: string) {
  const row = report.results.find((r) => r.id === id);
  const baseline = report.results.find((r) => r.id === baselineId);
  if (row && baseline && baseline.perSecond > 0) console.log(`${label}: ${((100 * row.perSecond) / baseline.perSecond).toFixed(1)}%`);
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
  writeFileSync(path, JSON.stringify(report, null, 2) + '\n');
}
