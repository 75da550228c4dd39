// Reads what Gatehouse logs while `work` runs: every JSON line, parsed, and the raw text (for "never contains" checks).
import { redirectLogs } from '../../src/platform/log.ts';

export type LogLine = { level: string; msg: string; requestId?: string; job?: string; [key: string]: unknown };

export async function captureLogs<T>(work: () => Promise<T>, level = 'info'): Promise<{ result: T; lines: LogLine[]; raw: string }> {
  let raw = '';
  const restore = redirectLogs({ write: (chunk: string) => { raw += chunk; } }, level);
  try {
    const result = await work();
    return { result, lines: raw.split('\n').filter(Boolean).map((line) => JSON.parse(line) as LogLine), raw };
  } finally {
    restore();
  }
}
