import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// tsx reads tsconfig from the working directory, so children always start from the project root.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;

export type Child = { port: number; stop(): Promise<void>; stderr(): string };

/**
 * Starts `entry` in a fresh Node process and waits for it to report its port over IPC. The IPC channel also
 * ties the child's life to ours: the child exits when it closes, even if this process is killed.
 */
export function startChild(entry: string, env: Record<string, string>): Promise<Child> {
  const child = fork(entry, [], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx', ...(process.env.BENCH_CHILD_ARGS ? process.env.BENCH_CHILD_ARGS.split(' ') : [])],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => {
    if (stderr.length < 20_000) stderr += chunk;
  });
  const stop = once(() => stopChild(child));
  return new Promise((done, fail) => {
    const timer = setTimeout(() => {
      void stop();
      fail(new Error(`${entry} did not start within ${START_TIMEOUT_MS / 1000} s\n${stderr}`));
    }, START_TIMEOUT_MS);
    child.once('message', (message: { port: number }) => {
      clearTimeout(timer);
      done({ port: message.port, stop, stderr: () => stderr });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`${entry} exited with code ${code} before it was ready\n${stderr}`));
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

function once(work: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  return () => (running ??= work());
}

export { findFreePort } from '../../src/platform/embedded-db.ts';
